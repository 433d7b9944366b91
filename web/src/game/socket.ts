import { decodeServerFrame, encodeClientFrame, gameSocketUrl, type ClientEvent, type ClientMessages, type ServerFrame } from '@shared/protocol.js';
import { freshAccessToken, trackGameSocket } from '../session/session';

/** Give up connecting after this long. */
export const CONNECT_TIMEOUT_MS = 5500;

export interface GameSocketHandlers {
  onOpen(): void;
  onFrame(frame: ServerFrame): void;
  /** `everOpened` false: the server refused the connection (or it timed out). */
  onClose(info: { code: number; reason: string; everOpened: boolean; timedOut: boolean }): void;
}

export interface GameSocket {
  send<K extends ClientEvent>(event: K, data: ClientMessages[K]): void;
  close(): void;
}

/** The game WebSocket `/ws/game/?token=…[&match_code=…]` (docs/game-protocol.md). */
export function openGameSocket(handlers: GameSocketHandlers, matchCode?: string): GameSocket {
  let ws: WebSocket | null = null;
  let closed = false;
  let opened = false;
  let timedOut = false;
  let untrack = () => {};
  const timer = setTimeout(() => {
    if (opened) return;
    timedOut = true;
    ws?.close();
    finish(4000, 'timeout');
  }, CONNECT_TIMEOUT_MS);

  function finish(code: number, reason: string) {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    untrack();
    handlers.onClose({ code, reason, everOpened: opened, timedOut });
  }

  void freshAccessToken().then((token) => {
    if (closed) return;
    if (!token) return finish(4001, 'not authenticated');
    ws = new WebSocket(gameSocketUrl(location.origin, token, matchCode));
    untrack = trackGameSocket(() => ws?.close(1000));
    ws.onopen = () => {
      opened = true;
      clearTimeout(timer);
      handlers.onOpen();
    };
    ws.onmessage = (message) => {
      if (typeof message.data !== 'string') return;
      const frame = decodeServerFrame(message.data);
      if (frame) handlers.onFrame(frame);
    };
    ws.onclose = (event) => finish(event.code, event.reason);
  });

  return {
    send(event, data) {
      if (ws?.readyState === WebSocket.OPEN) ws.send(encodeClientFrame(event, data));
    },
    close() {
      ws?.close(1000);
      finish(1000, 'closed by the client');
    },
  };
}

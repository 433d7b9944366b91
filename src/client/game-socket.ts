import { BallBase, COMPACT_ENCODING, decodeServerMessage, ENCODING_PARAM, encodeClientCompact, type WireEncoding } from '../game/compact.js';
import { BallReckoner, type ReckonClock } from '../game/reckoning.js';
import {
  CloseCodes, decodeServerFrame, encodeClientFrame, gameSocketUrl, type ClientEvent, type ClientFrame, type ClientMessages, type ServerFrame,
} from '../game/protocol.js';

/**
 * The game socket `/ws/game/?token=…[&match_code=…]` (docs/game-protocol.md),
 * for every client: the browser, the terminal, the bots. The WebSocket
 * implementation comes from the caller (the browser's own, or the `ws`
 * package in Node), so nothing here depends on either environment.
 *
 * By default it asks for the compact encoding (`&encoding=compact`: binary
 * frames, docs/game-protocol.md, The compact encoding) and hands the same
 * `ServerFrame`s to its caller as the JSON encoding would: the ball the
 * compact stream leaves out while it flies straight on is filled in here
 * (reckoning.ts), 30 times a second. It reads JSON text frames too (a
 * server that does not know the encoding sends them).
 */

/** Give up connecting after this long. */
export const CONNECT_TIMEOUT_MS = 5500;

/** `readyState` of an open socket (the same number in every WebSocket implementation). */
const OPEN = 1;
const NOT_AUTHENTICATED = 'not authenticated';

/*
 * Handlers are typed as methods so that their parameter is compared both ways:
 * the browser's (`MessageEvent`, `CloseEvent`) and the `ws` package's event
 * types then both fit, without naming either.
 */
type Handler<E> = { handle(event: E): void }['handle'];

/** The part of the browser WebSocket API used here, which the `ws` package has too. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  /** Set so that Node's `ws` never throws an unhandled `error` event; the `close` that follows says it all. */
  onerror: Handler<unknown> | null;
  /** Set to `arraybuffer` for the compact encoding (browsers default to `blob`). */
  binaryType?: string;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/** Opens a WebSocket to `url`: `(url) => new WebSocket(url)` in a browser. */
export type WebSocketFactory = (url: string) => WebSocketLike;

export interface GameSocketClose {
  code: number;
  reason: string;
  /** False: the server refused the connection (or it timed out) before it opened. */
  everOpened: boolean;
  timedOut: boolean;
}

export interface GameSocketHandlers {
  onOpen(): void;
  onFrame(frame: ServerFrame): void;
  /** Called once, however the socket ends (the caller's `close()` included). */
  onClose(info: GameSocketClose): void;
}

export interface GameSocketOptions {
  /** The server's `http(s)://` origin. */
  baseUrl: string;
  /** The access token, or where to get a fresh one (null or a rejection: not authenticated). */
  token: string | (() => Promise<string | null>);
  /** Spectate this match instead of joining one's own. */
  matchCode?: string;
  /** The socket's path when the server names another one (a `game-start` target); `/ws/game/` otherwise. */
  path?: string;
  webSocket: WebSocketFactory;
  /** Null: wait as long as the WebSocket implementation does. */
  connectTimeoutMs?: number | null;
  /** `compact` (default): binary frames, ~10x fewer bytes; `json`: the JSON text frames of docs/game-protocol.md. */
  encoding?: WireEncoding;
  /**
   * The time of the ball filled in between the compact stream's `game_state`s (reckoning.ts): the
   * game's clock where it is not the real one (a bot on a test server's clock); real timers otherwise.
   */
  clock?: ReckonClock;
}

/**
 * Real intervals (they never keep a Node process alive) on `now`: the performance clock by
 * default, or a game's own time (the terminal client on a test server's clock).
 */
export function intervalClock(now: () => number = () => (typeof performance !== 'undefined' ? performance.now() : Date.now())): ReckonClock {
  return {
    now,
    setInterval(fn, ms) {
      const handle = setInterval(fn, ms);
      (handle as unknown as { unref?: () => void }).unref?.();
      return { cancel: () => clearInterval(handle) };
    },
  };
}

export interface GameSocket {
  /** False when the frame could not be sent (the socket is not open). */
  send<K extends ClientEvent>(event: K, data: ClientMessages[K]): boolean;
  close(): void;
}

function socketUrl(options: GameSocketOptions, token: string): string {
  const plain = gameSocketUrl(options.baseUrl, token, options.matchCode);
  const withEncoding = new URL(plain);
  if ((options.encoding ?? COMPACT_ENCODING) === COMPACT_ENCODING) withEncoding.searchParams.set(ENCODING_PARAM, COMPACT_ENCODING);
  const url = withEncoding.toString();
  if (!options.path) return url;
  const target = new URL(options.path, url);
  target.search = new URL(url).search;
  return target.toString();
}

async function tokenOf(source: GameSocketOptions['token']): Promise<string | null> {
  return typeof source === 'string' ? source : source();
}

export function openGameSocket(options: GameSocketOptions, handlers: GameSocketHandlers): GameSocket {
  let ws: WebSocketLike | null = null;
  let finished = false;
  let opened = false;
  let timedOut = false;
  const compact = (options.encoding ?? COMPACT_ENCODING) === COMPACT_ENCODING;
  /** The compact stream's last `game_state`: the base of the next one. */
  const base = new BallBase();
  /** Commands go compact once the server has answered in binary (a server without the encoding keeps JSON). */
  let binaryFromServer = false;
  const reckoner = new BallReckoner(options.clock ?? intervalClock(), (frame) => {
    if (!finished) handlers.onFrame(frame);
  });
  const emit = (frame: ServerFrame) => reckoner.handle(frame);
  const timeoutMs = options.connectTimeoutMs === undefined ? CONNECT_TIMEOUT_MS : options.connectTimeoutMs;
  const timer = timeoutMs === null ? null : setTimeout(() => {
    if (opened) return;
    timedOut = true;
    ws?.close();
    finish(4000, 'timeout');
  }, timeoutMs);

  function finish(code: number, reason: string): void {
    if (finished) return;
    finished = true;
    reckoner.stop();
    if (timer !== null) clearTimeout(timer);
    handlers.onClose({ code, reason, everOpened: opened, timedOut });
  }

  function connect(token: string): void {
    const socket = options.webSocket(socketUrl(options, token));
    ws = socket;
    if (compact) socket.binaryType = 'arraybuffer';
    socket.onopen = () => {
      if (finished) return;
      opened = true;
      if (timer !== null) clearTimeout(timer);
      handlers.onOpen();
    };
    socket.onmessage = (message) => {
      if (finished) return;
      const data = message.data;
      if (typeof data === 'string') {
        const frame = decodeServerFrame(data);
        if (frame) handlers.onFrame(frame);
        return;
      }
      // Binary: compact records (an ArrayBuffer, or a Node Buffer where binaryType could not be set).
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data instanceof Uint8Array ? data : null;
      if (!bytes) return;
      binaryFromServer = true;
      decodeServerMessage(bytes, base, emit);
    };
    socket.onerror = () => {};
    socket.onclose = (event) => finish(event.code, event.reason);
  }

  tokenOf(options.token).then(
    (token) => {
      if (finished) return;
      if (!token) finish(CloseCodes.unauthenticated, NOT_AUTHENTICATED);
      else connect(token);
    },
    (error: unknown) => finish(CloseCodes.unauthenticated, error instanceof Error ? error.message : NOT_AUTHENTICATED),
  );

  return {
    send(event, data) {
      if (ws?.readyState !== OPEN) return false;
      ws.send(compact && binaryFromServer ? encodeClientCompact({ event, data } as ClientFrame) : encodeClientFrame(event, data));
      return true;
    },
    close() {
      ws?.close(CloseCodes.normal);
      finish(CloseCodes.normal, 'closed by the client');
    },
  };
}

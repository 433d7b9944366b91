import { openGameSocket as openSocket, type GameSocket, type GameSocketHandlers } from '@client/game-socket.js';
import { freshAccessToken, trackGameSocket } from '../session/session';

export type { GameSocket, GameSocketHandlers } from '@client/game-socket.js';

/** The browser's game socket: this page's origin, the session's token, closed on logout with the others. */
export function openGameSocket(handlers: GameSocketHandlers, matchCode?: string): GameSocket {
  let untrack = () => {};
  const socket = openSocket(
    { baseUrl: location.origin, token: freshAccessToken, matchCode, webSocket: (url) => new WebSocket(url) },
    {
      ...handlers,
      onClose(info) {
        untrack();
        handlers.onClose(info);
      },
    },
  );
  untrack = trackGameSocket(() => socket.close());
  return socket;
}

import WebSocket from 'ws';
import { LiveStream, GameModel, openGameSocket, type ApiClient, type GameOver } from '../index.js';

/** A computer player in 20 lines (src/client/README.md): queue for a duel, follow the ball, report the result. */
export function playOneDuel(api: ApiClient, myId: number, fetchUrl?: typeof fetch): Promise<GameOver> {
  return new Promise((resolve) => {
    const stream = new LiveStream({ api, fetch: fetchUrl, onEvent: ({ envelope }) => {
      if (envelope.event_code !== 'game-start') return;
      const myTeam = envelope.data.teams.a.players.some((p: { id: number }) => p.id === myId) ? 'a' : 'b';
      const game = new GameModel({ perspective: { kind: 'player', myId, myTeam }, send: (event, data) => socket.send(event, data) });
      const socket = openGameSocket({ baseUrl: api.baseUrl, token: () => api.freshAccess(), webSocket: (url) => new WebSocket(url, { rejectUnauthorized: false }) }, {
        onOpen: () => {},
        onClose: () => stream.stop(),
        onFrame: (frame) => {
          game.handle(frame);
          const { ball, myY, layout } = game;
          const gap = ball.y + layout.ballSize / 2 - (myY + layout.paddleHeight / 2);
          game.setInput(Math.abs(gap) < layout.paddleHeight / 4 ? 0 : gap < 0 ? -1 : 1);
          if (game.over) resolve(game.over);
        },
      });
    } });
    stream.start();
    void stream.whenUp().then(() => api.typed.POST('/api/play/duel/'));
  });
}

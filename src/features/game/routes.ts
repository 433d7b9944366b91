import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { Clock } from '../../platform/clock.js';
import type { GuessThrottle } from '../../platform/http/guess-throttle.js';
import type { Authenticator } from '../../platform/http/pipeline.js';
import { CloseCodes, ErrorTexts, GAME_SOCKET_PATH } from '../../game/protocol.js';
import type { Connection, RoomSocket } from '../../game/rooms/members.js';
import type { RoomRegistry } from '../../game/rooms/registry.js';
import type { MatchesService } from '../matches/service.js';
import { admit } from './admission.js';
import { FrameBudget } from './frame-budget.js';
import type { RoomDirectory } from './directory.js';
import { proxyGameSocket, type ProxiedSocket } from './proxy.js';
import type { SpectatorCounts } from './spectators.js';

/** The ws library refuses (closes with 1009) anything bigger; frames over MAX_CLIENT_FRAME_BYTES only earn an `error`. */
const HARD_FRAME_LIMIT = 16 * 1024;

function socketOf(ws: WebSocket): RoomSocket {
  return {
    send: (text) => {
      if (ws.readyState === ws.OPEN) ws.send(text);
    },
    close: (code, reason) => {
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, Buffer.from(reason).subarray(0, 123).toString());
    },
  };
}

/** `GET /ws/game/` upgraded to a plain WebSocket (see docs/game-protocol.md). */
export function gameSocketRoutes(deps: {
  auth: Authenticator;
  matches: MatchesService;
  rooms: RoomRegistry;
  clock: Clock;
  /** Many nodes: where each live room is; sockets for a room elsewhere are proxied there. */
  directory?: RoomDirectory;
  /** Spectating by code: failed guesses are throttled like joins by code. */
  guesses?: GuessThrottle;
  config?: { nodeId: string };
  /** The spectators of this node's rooms, shown in the live list of every node. */
  spectators?: SpectatorCounts;
}) {
  return async function routes(app: FastifyInstance) {
    const proxies = new Set<ProxiedSocket>();
    await app.register(websocket, {
      // No permessage-deflate (the ws default, kept explicit): frames of ~100 bytes at 30-60 Hz per socket cost more to compress than to send.
      options: { maxPayload: HARD_FRAME_LIMIT, perMessageDeflate: false },
      // Closing: sockets still open (proxied ones, or any the rooms did not close) are told to reconnect elsewhere.
      preClose(this: FastifyInstance, done: () => void) {
        for (const proxy of proxies) proxy.close(CloseCodes.restarting, ErrorTexts.restarting);
        for (const client of this.websocketServer.clients) client.close(CloseCodes.restarting, ErrorTexts.restarting);
        this.websocketServer.close(() => done());
      },
    });
    app.addHook('onClose', async () => deps.rooms.disposeAll());

    app.get(GAME_SOCKET_PATH, {
      websocket: true,
      config: { auth: 'none' },
      schema: {
        tags: ['game'],
        summary: 'The real-time game socket (token by Bearer header or ?token=; ?match_code= to spectate)',
        querystring: { type: 'object', properties: { token: { type: 'string' }, match_code: { type: 'string' } } },
      },
    }, (ws, request) => {
      const socket = socketOf(ws);
      const budget = new FrameBudget(deps.clock);
      let member: { connection: Connection; receive(text: string): void; leave(): void } | null = null;
      let proxy: ProxiedSocket | null = null;
      let closed = false;

      ws.on('error', () => {});
      ws.on('close', () => {
        closed = true;
        member?.leave();
        if (proxy) {
          proxy.clientClosed();
          proxies.delete(proxy);
        }
      });
      // Frames that arrive before the handshake is over are dropped: nothing may be steered yet.
      ws.on('message', (data, isBinary) => {
        if (!budget.take()) {
          // Over the budget: dropped, the room never sees it; a flood disconnects its sender.
          if (budget.flooding()) socket.close(CloseCodes.policyViolation, ErrorTexts.tooMany);
          return;
        }
        if (proxy) {
          proxy.forward(data, isBinary);
          return;
        }
        if (!member) return;
        if (isBinary) {
          if (member.connection.seat) member.connection.send('error', { message: ErrorTexts.malformed });
          return;
        }
        member.receive(data.toString());
      });

      admit(request, deps).then((admission) => {
        if (admission.kind === 'refused') {
          socket.close(admission.code, admission.reason);
          return;
        }
        if (closed) return;
        if (admission.kind === 'remote') {
          proxy = proxyGameSocket(ws, request, admission.url, deps.config?.nodeId ?? 'node');
          proxies.add(proxy);
          return;
        }
        const { room } = admission;
        const connection = admission.kind === 'player' ? room.joinPlayer(admission.userId, socket) : room.joinSpectator(socket);
        member = { connection, receive: (text) => room.receive(connection, text), leave: () => room.leave(connection) };
        if (admission.kind === 'spectator' && deps.spectators) {
          const { spectators } = deps;
          const { userId } = admission;
          spectators.joined(room.matchId, userId);
          member.leave = () => {
            room.leave(connection);
            spectators.left(room.matchId, userId);
          };
        }
      }, (error) => {
        request.log.error({ err: error }, 'game socket admission failed');
        socket.close(1011, 'Server Error');
      });
    });
  };
}

import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Clock } from '../../platform/clock.js';
import type { GuessThrottle } from '../../platform/http/guess-throttle.js';
import type { Authenticator } from '../../platform/http/pipeline.js';
import { COMPACT_ENCODING, ENCODING_PARAM, type WireEncoding } from '../../game/compact.js';
import { CloseCodes, ErrorTexts, GAME_SOCKET_PATH } from '../../game/protocol.js';
import type { Connection, OutFrame, RoomSocket } from '../../game/rooms/members.js';
import type { RoomRegistry } from '../../game/rooms/registry.js';
import type { MatchesService } from '../matches/service.js';
import { admit } from './admission.js';
import { FrameBudget } from './frame-budget.js';
import type { RoomDirectory } from './directory.js';
import { proxyGameSocket, type ProxiedSocket } from './proxy.js';
import type { SpectatorCounts } from './spectators.js';

/** The ws library refuses (closes with 1009) anything bigger; frames over MAX_CLIENT_FRAME_BYTES only earn an `error`. */
const HARD_FRAME_LIMIT = 16 * 1024;

/**
 * A room message as a WebSocket frame from the server (FIN, unmasked: RFC 6455 section 5.2), built once per
 * message and written as is to every socket that gets it.
 */
export function wireFrame(frame: OutFrame): Buffer {
  if (frame.wire) return frame.wire as Buffer;
  const bytes = frame.bytes;
  if (bytes && frame.headroom >= 2 && frame.length < 126) {
    // The header goes in the room left before the message: the frame is a view, nothing is copied.
    const start = frame.offset - 2;
    bytes[start] = 0x82;
    bytes[start + 1] = frame.length;
    const wire = Buffer.from(bytes.buffer, bytes.byteOffset + start, frame.length + 2);
    frame.wire = wire;
    return wire;
  }
  const payload = bytes ? Buffer.from(bytes.buffer, bytes.byteOffset + frame.offset, frame.length) : Buffer.from(frame.text ?? '', 'utf8');
  const opcode = bytes ? 0x82 : 0x81;
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + n);
  out[0] = opcode;
  if (n < 126) {
    out[1] = n;
  } else if (n < 65536) {
    out[1] = 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 127;
    out.writeUInt32BE(0, 2);
    out.writeUInt32BE(n, 6);
  }
  payload.copy(out, head);
  frame.wire = out;
  return out;
}

/**
 * The room's side of a game socket. What a room sends is written as ready-made frames straight to the socket
 * the WebSocket runs on, everything of one room action in one write (ws itself only writes its control
 * frames there, a whole frame per write, so the two never interleave inside a frame); the close goes through ws.
 */
function socketOf(ws: WebSocket, raw: Duplex): RoomSocket {
  return {
    send: (frames, count) => {
      if (ws.readyState !== ws.OPEN || raw.destroyed) return;
      if (count === 1) {
        raw.write(wireFrame(frames[0]));
        return;
      }
      raw.cork();
      for (let i = 0; i < count; i++) raw.write(wireFrame(frames[i]));
      raw.uncork();
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
        querystring: { type: 'object', properties: { token: { type: 'string' }, match_code: { type: 'string' }, [ENCODING_PARAM]: { type: 'string' } } },
      },
    }, (ws, request) => {
      const socket = socketOf(ws, request.raw.socket);
      // `?encoding=compact`: binary frames (docs/game-protocol.md, The compact encoding); anything else, JSON.
      const encoding: WireEncoding = (request.query as Record<string, unknown> | undefined)?.[ENCODING_PARAM] === COMPACT_ENCODING ? 'compact' : 'json';
      const budget = new FrameBudget(deps.clock);
      let member: { connection: Connection; receive(text: string): void; receiveBinary(bytes: Uint8Array): void; leave(): void } | null = null;
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
          member.receiveBinary(Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data);
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
        const connection = admission.kind === 'player' ? room.joinPlayer(admission.userId, socket, encoding) : room.joinSpectator(socket, encoding);
        member = {
          connection,
          receive: (text) => room.receive(connection, text),
          receiveBinary: (bytes) => room.receiveBinary(connection, bytes),
          leave: () => room.leave(connection),
        };
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

/**
 * The Colyseus server of `bench:peers`: one process, the `pong` room of
 * room.ts, the ws transport (plain TCP, as our server with `TLS=off`),
 * local presence and matchmaking (no Redis). Listens on PORT and prints
 * `ready` on stdout.
 *
 *   PORT=2567 node --import tsx bench/peers/colyseus/server.ts
 */
import { Server } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { PongRoom } from './room.js';

const port = Number(process.env.PORT ?? 2567);
const server = new Server({
  transport: new WebSocketTransport({ perMessageDeflate: false, maxPayload: 16 * 1024 }),
  greet: false,
  gracefullyShutdown: false,
});
server.define('pong', PongRoom);
await server.listen(port, '127.0.0.1');
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));

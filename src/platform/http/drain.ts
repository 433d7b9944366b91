import type { Server } from 'node:net';
import type { Socket } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * HTTP/1.1 connections of a server, with the requests in flight on each, so
 * that a draining node can close the idle ones at once (Node's HTTP/2
 * server with the HTTP/1.1 fallback has no closeIdleConnections) and the
 * busy ones as soon as their last response is over. HTTP/2 sessions get a
 * GOAWAY from Fastify (`forceCloseConnections`). Every connection also
 * gets TCP_NODELAY.
 */
export function trackConnections(server: Server): { closeIdle(): void } {
  const inFlight = new Map<Socket, number>();
  let draining = false;

  server.on('secureConnection', (socket: Socket & { alpnProtocol?: string | false }) => {
    // Small frames (SSE events, pings) go out at once instead of waiting for the ACK of the previous write (Nagle).
    socket.setNoDelay(true);
    if (socket.alpnProtocol === 'h2') return;
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (request.httpVersionMajor !== 1) return;
    const socket = request.socket;
    if (!inFlight.has(socket)) return;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    response.once('close', () => {
      const left = Math.max(0, (inFlight.get(socket) ?? 1) - 1);
      if (inFlight.has(socket)) inFlight.set(socket, left);
      if (draining && left === 0) socket.end();
    });
  });

  return {
    closeIdle() {
      draining = true;
      for (const [socket, count] of inFlight) if (count === 0) socket.end();
    },
  };
}

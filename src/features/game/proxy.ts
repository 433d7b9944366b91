import type { FastifyRequest } from 'fastify';
import WebSocket, { type RawData } from 'ws';
import { CloseCodes, ErrorTexts, GAME_SOCKET_PATH } from '../../game/protocol.js';
import { FORWARDED_HEADER } from './admission.js';

/** The end of a proxied socket this node holds towards the client. */
export interface ProxiedSocket {
  /** A client frame, passed on as is. */
  forward(data: RawData, isBinary: boolean): void;
  /** The client went away. */
  clientClosed(): void;
  /** Shutdown: the client is told to reconnect, the owner sees the player leave. */
  close(code: number, reason: string): void;
}

/** Codes a close frame may carry (1005, 1006 and 1015 are reserved for reporting). */
function sendable(code: number): number {
  if (code === 1005) return CloseCodes.normal;
  if (code < 1000 || code === 1004 || code === 1006 || code === 1015 || code >= 5000) return CloseCodes.unavailable;
  return code;
}

/**
 * Relays a game socket to the node that referees its match (node to node
 * over the nodes' own HTTPS port, the peers' certificates being
 * self-signed): the upgrade is replayed there with the client's query
 * (`token`, `match_code`) and Authorization header, frames go both ways
 * untouched, and each side's close reaches the other. The owner does the
 * whole handshake again, so the client needs nothing but the match code.
 */
export function proxyGameSocket(client: WebSocket, request: FastifyRequest, ownerUrl: string, nodeId: string): ProxiedSocket {
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
  const target = `${ownerUrl.replace(/^http/, 'ws')}${GAME_SOCKET_PATH}${query}`;
  const headers: Record<string, string> = { [FORWARDED_HEADER]: nodeId, 'x-forwarded-for': request.ip };
  if (request.headers.authorization) headers.authorization = request.headers.authorization;
  const upstream = new WebSocket(target, { headers, rejectUnauthorized: false, perMessageDeflate: false, handshakeTimeout: 5000 });
  let done = false;

  const closeClient = (code: number, reason: string) => {
    if (client.readyState === WebSocket.OPEN || client.readyState === WebSocket.CONNECTING) {
      client.close(sendable(code), Buffer.from(reason).subarray(0, 123).toString());
    }
  };
  const closeUpstream = (code = CloseCodes.normal) => {
    if (upstream.readyState === WebSocket.OPEN) upstream.close(code);
    else if (upstream.readyState === WebSocket.CONNECTING) upstream.terminate();
  };

  upstream.on('message', (data, isBinary) => {
    if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
  });
  upstream.on('close', (code, reason) => {
    if (done) return;
    done = true;
    closeClient(code, reason.toString());
  });
  upstream.on('error', () => {
    // Owner unreachable (or gone mid-game): the client reconnects; a dead owner's match is taken over after the TTL.
    if (done) return;
    done = true;
    closeClient(CloseCodes.unavailable, 'Failed to connect to game service.');
  });
  upstream.on('unexpected-response', (_req, response) => {
    response.resume();
    if (done) return;
    done = true;
    closeClient(CloseCodes.unavailable, 'Failed to connect to game service.');
    upstream.terminate();
  });

  return {
    forward(data, isBinary) {
      // Frames sent before the owner accepted are dropped, as the owner drops frames sent before its handshake ends.
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary: isBinary });
    },
    clientClosed() {
      done = true;
      closeUpstream();
    },
    close(code = CloseCodes.restarting, reason = ErrorTexts.restarting) {
      done = true;
      closeClient(code, reason);
      closeUpstream(CloseCodes.normal);
    },
  };
}

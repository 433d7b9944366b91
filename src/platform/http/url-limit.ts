import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';

/** The longest request target (path and query) accepted, in bytes; longer ones answer 414. */
export const MAX_URL_BYTES = 8 * 1024;

/**
 * The HTTP/1.1 parser's limit on a request head. Above the URL limit, so
 * that an over-long URL reaches the 414 check below with its headers; a
 * head larger still is refused by the parser (see `clientErrorHandler`).
 */
export const MAX_HEADER_BYTES = 64 * 1024;

export const URI_TOO_LONG = 'Request-URI too long.';

const CLIENT_ERRORS: Record<number, string> = {
  400: 'Bad request.',
  408: 'Request timeout.',
  414: URI_TOO_LONG,
  431: 'Request header fields too large.',
};

/** `414 {"detail": "Request-URI too long."}` before anything else runs (authentication included), over HTTP/1.1 and HTTP/2 alike. */
export function installUrlLimit(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const url = request.raw.url ?? '';
    if (url.length > MAX_URL_BYTES / 3 && Buffer.byteLength(url) > MAX_URL_BYTES) throw new ApiError(414, { detail: URI_TOO_LONG });
  });
}

/** Whether the bytes the HTTP/1.1 parser choked on are (part of) a request line longer than the URL limit. */
function requestLineTooLong(raw: unknown): boolean {
  if (!Buffer.isBuffer(raw)) return false;
  const end = raw.indexOf('\r\n');
  return (end === -1 ? raw.length : end) > MAX_URL_BYTES;
}

const answered = new WeakSet<Socket>();

/**
 * What an HTTP/1.1 connection gets when its request cannot be parsed at all
 * (Fastify's `clientErrorHandler`): the platform's error body instead of
 * Fastify's, `414` for a request line over the URL limit, `431` for a head
 * over MAX_HEADER_BYTES, `408` for a head not received in time; then the
 * connection is closed.
 */
export function clientErrorHandler(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  // The rest of a refused head keeps arriving (and failing) while the answer goes out: it is only drained.
  if (error.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
  answered.add(socket);
  let status = 400;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') status = 408;
  else if (error.code === 'HPE_HEADER_OVERFLOW') status = requestLineTooLong(error.rawPacket) ? 414 : 431;
  else if (error.code === 'HPE_URI_TOO_LONG' || error.code === 'HPE_INVALID_URL') status = requestLineTooLong(error.rawPacket) ? 414 : 400;
  const body = JSON.stringify({ detail: CLIENT_ERRORS[status] });
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  // Closed for good a moment later (when the peer has read the answer): a peer that never stops sending does not keep the descriptor.
  setTimeout(() => socket.destroy(), 1000).unref();
}

import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** Headers every answer carries (API, streams, pages, files, errors). */
const COMMON: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** The public app is HTTPS only: browsers must never fall back to plain HTTP. */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Security headers of every response, set on the raw response as the
 * request arrives, so that answers written by Fastify, by a plugin, by the
 * error handler or straight to the socket (the hijacked SSE stream) all
 * carry them. The client pages add their Content-Security-Policy
 * (features/web). No CORS: no `Access-Control-Allow-*` is ever sent, so
 * foreign origins can neither read answers nor pass a preflight.
 */
export function installSecurityHeaders(app: FastifyInstance, options: { hsts: boolean }): void {
  const headers = options.hsts ? { ...COMMON, 'strict-transport-security': HSTS } : COMMON;
  app.addHook('onRequest', async (_request, reply) => {
    for (const [name, value] of Object.entries(headers)) reply.raw.setHeader(name, value);
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.removeHeader('x-powered-by');
  });
}

/** Constant-time comparison of a presented secret with the expected one. */
export function sameSecret(presented: unknown, expected: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The internal API's optional shared secret (`INTERNAL_TOKEN`), checked before
 * anything else (authentication, routing): without it every path is 403.
 */
export function requireInternalToken(app: FastifyInstance, token: string | null): void {
  if (!token) return;
  app.addHook('onRequest', async (request, reply) => {
    if (!sameSecret(request.headers['x-internal-token'], token)) return reply.status(403).send({ detail: 'Invalid internal token.' });
  });
}

import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';

const WRITES = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Per-user (per-IP when anonymous) limits on writes, and a stricter per-IP
 * limit on login attempts; both answer 429 "Request was throttled.". With
 * Redis the counters are shared by every node.
 */
export async function installRateLimits(
  app: FastifyInstance,
  options: { writesPerMinute: number; loginsPerMinute: number; redis: Redis | null },
): Promise<void> {
  const isLogin = (request: FastifyRequest) => request.routeOptions.config?.loginThrottle === true;
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    timeWindow: 60_000,
    redis: options.redis ?? undefined,
    skipOnError: true,
    allowList: (request) => !WRITES.has(request.method),
    keyGenerator: (request) => {
      if (isLogin(request)) return `login:${request.ip}`;
      return request.user ? `user:${request.user.id}` : `ip:${request.ip}`;
    },
    max: (_request, key) => (key.startsWith('login:') ? options.loginsPerMinute : options.writesPerMinute),
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    errorResponseBuilder: () => ({ statusCode: 429, detail: 'Request was throttled.' }),
  });
}

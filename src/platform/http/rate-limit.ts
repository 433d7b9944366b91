import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';

const WRITES = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Per-user (per-IP when anonymous) limits on writes, and stricter per-IP
 * limits on login attempts and, counted apart at the same rate, on account
 * creation (each registration hashes a password; each guest is a new row);
 * all answer 429 "Request was throttled.". With Redis the counters are
 * shared by every node.
 */
export async function installRateLimits(
  app: FastifyInstance,
  options: { writesPerMinute: number; loginsPerMinute: number; redis: Redis | null },
): Promise<void> {
  const isLogin = (request: FastifyRequest) => request.routeOptions.config?.loginThrottle === true;
  const isSignup = (request: FastifyRequest) => request.routeOptions.config?.signupThrottle === true;
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    timeWindow: 60_000,
    redis: options.redis ?? undefined,
    skipOnError: true,
    allowList: (request) => !WRITES.has(request.method),
    keyGenerator: (request) => {
      if (isLogin(request)) return `login:${request.ip}`;
      if (isSignup(request)) return `signup:${request.ip}`;
      return request.user ? `user:${request.user.id}` : `ip:${request.ip}`;
    },
    max: (_request, key) => (key.startsWith('login:') || key.startsWith('signup:') ? options.loginsPerMinute : options.writesPerMinute),
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    errorResponseBuilder: () => ({ statusCode: 429, detail: 'Request was throttled.' }),
  });
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Platform } from '../../context.js';
import { notFound } from '../../platform/http/errors.js';

const Health = Type.Object({
  status: Type.String({ description: '`ok`, `degraded` (a dependency is down) or `draining` (shutting down)' }),
  database: Type.String(),
  bus: Type.String(),
  redis: Type.String({ description: '`ok`, `down`, or `off` when REDIS_URL is not set' }),
  node: Type.String(),
});

type HealthDeps = Pick<Platform, 'db' | 'bus' | 'redis' | 'status' | 'config'>;

/** A dependency that does not answer within this is reported down: readiness itself never hangs. */
const CHECK_TIMEOUT_MS = 2000;

function withinTime<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('health check timed out')), ms);
  });
  work.catch(() => {});
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Readiness: the database answers, the bus and Redis are connected, and the node is not draining. */
export async function readiness(platform: HealthDeps) {
  let database = 'ok';
  try {
    await withinTime(sql`select 1`.execute(platform.db), CHECK_TIMEOUT_MS);
  } catch {
    database = 'down';
  }
  const bus = platform.bus.isReady() ? 'ok' : 'down';
  let redis = 'off';
  if (platform.redis) {
    try {
      redis = platform.redis.status === 'ready' && (await withinTime(platform.redis.ping(), CHECK_TIMEOUT_MS)) === 'PONG' ? 'ok' : 'down';
    } catch {
      redis = 'down';
    }
  }
  const healthy = database === 'ok' && bus === 'ok' && redis !== 'down';
  const status = platform.status.draining ? 'draining' : healthy ? 'ok' : 'degraded';
  return { ok: status === 'ok', body: { status, database, bus, redis, node: platform.config.nodeId } };
}

/** Liveness (no dependency touched) and readiness (database, bus, Redis, draining); the metrics are `metricsRoute`. */
export function healthRoutes(platform: Platform) {
  return async function routes(app: FastifyInstance) {
    const tags = ['health'];
    app.get('/api/health/live', { schema: { tags, summary: 'Liveness', response: { 200: Type.Object({ status: Type.String() }) } } },
      async () => ({ status: 'ok' }));

    app.get('/api/health', {
      schema: { tags, summary: 'Readiness: database, event bus, Redis; 503 while draining', response: { 200: Health, 503: Health } },
    }, async (_request, reply) => {
      const { ok, body } = await readiness(platform);
      return reply.status(ok ? 200 : 503).header('cache-control', 'no-store').send(body);
    });
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * `GET /metrics`: Prometheus text exposition of this node's registry. The
 * internal app serves it as is (loopback, INTERNAL_TOKEN); the public app
 * only with `bearer` (METRICS_TOKEN): any request without
 * `Authorization: Bearer <token>` gets the 404 of a path that does not
 * exist, and the route is left out of the API documentation.
 */
export function metricsRoute(platform: Pick<Platform, 'metrics'>, options: { bearer?: string } = {}) {
  return async function routes(app: FastifyInstance) {
    const { bearer } = options;
    app.get('/metrics', {
      schema: { tags: ['health'], summary: 'Prometheus metrics (text format 0.0.4)', ...(bearer ? { hide: true } : {}) },
    }, async (request, reply) => {
      if (bearer) {
        const [scheme, token, ...rest] = (request.headers.authorization ?? '').trim().split(/\s+/);
        if (scheme !== 'Bearer' || rest.length > 0 || !sameSecret(token ?? '', bearer)) throw notFound();
      }
      return reply.header('content-type', platform.metrics.contentType).header('cache-control', 'no-store').send(await platform.metrics.render());
    });
  };
}

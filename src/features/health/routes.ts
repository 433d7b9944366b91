import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Platform } from '../../context.js';

const Health = Type.Object({ status: Type.String(), database: Type.String(), bus: Type.String() });

/** Liveness (no dependency touched) and readiness (database and bus reachable). */
export function healthRoutes(platform: Platform) {
  return async function routes(app: FastifyInstance) {
    const tags = ['health'];
    app.get('/api/health/live', { schema: { tags, summary: 'Liveness', response: { 200: Type.Object({ status: Type.String() }) } } },
      async () => ({ status: 'ok' }));

    app.get('/api/health', { schema: { tags, summary: 'Readiness of the database and the event bus', response: { 200: Health, 503: Health } } },
      async (_request, reply) => {
        let database = 'ok';
        try {
          await sql`select 1`.execute(platform.db);
        } catch {
          database = 'down';
        }
        const bus = platform.bus.isReady() ? 'ok' : 'down';
        const ok = database === 'ok' && bus === 'ok';
        return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', database, bus });
      });
  };
}

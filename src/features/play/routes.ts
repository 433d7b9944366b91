import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { callerOf } from '../../platform/http/request-context.js';
import { AuthError, bearer, DateTime, Detail, StringEnum } from '../../platform/http/schemas.js';
import { QUEUE_MODES } from './messages.js';
import type { QueueService } from './service.js';

const QueueEntry = Type.Object({
  id: Type.Integer({ description: 'the user id' }),
  game_mode: StringEnum([...QUEUE_MODES]),
  trophies: Type.Integer(),
  join_at: DateTime,
});

/** `POST` and `DELETE /api/play/duel/` and `/api/play/ranked/`. */
export function queueRoutes(queues: QueueService) {
  return async function routes(app: FastifyInstance) {
    const tags = ['play'];
    for (const mode of QUEUE_MODES) {
      // Every play endpoint needs an open SSE stream; guests never play ranked.
      const config = { auth: 'required' as const, sse: 'required' as const, ...(mode === 'ranked' ? { guests: false } : {}) };
      app.post(`/api/play/${mode}/`, {
        config,
        schema: {
          tags, summary: `Enter the ${mode} queue`, security: bearer,
          response: { 201: QueueEntry, 401: AuthError, 403: Detail, 409: Detail },
        },
      }, async (request, reply) => reply.status(201).send(await queues.enter(callerOf(request), mode)));

      app.delete(`/api/play/${mode}/`, {
        config,
        schema: { tags, summary: 'Leave the queue (whatever its mode)', security: bearer, response: { 204: Type.Null(), 401: AuthError, 403: Detail, 404: Detail } },
      }, async (request, reply) => {
        await queues.leave(callerOf(request));
        return reply.status(204).send();
      });
    }
  };
}

import type { FastifyInstance } from 'fastify';
import { AuthError, bearer, Detail, IdParam } from '../../platform/http/schemas.js';
import { ReplayObject } from './schemas.js';
import type { ReplaysService } from './service.js';

/** `GET /api/game/matches/<match id>/replay/` (docs/replays.md). */
export function replaysRoutes(replays: ReplaysService) {
  return async function routes(app: FastifyInstance) {
    app.get('/api/game/matches/:match_id/replay/', {
      config: { auth: 'required' },
      schema: {
        tags: ['game'], summary: "A finished match's replay: seed, layout, inputs and events to run through the engine", security: bearer,
        params: IdParam('match_id'), response: { 200: ReplayObject, 401: AuthError, 404: Detail },
      },
    }, async (request, reply) => {
      const replay = await replays.replayOf((request.params as { match_id: number }).match_id);
      // The schema's serializer tries each kind of the event union in turn, per event: ~6 times slower than
      // JSON.stringify on the event loop that runs the rooms. The document is built to that schema already.
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(replay));
    });
  };
}

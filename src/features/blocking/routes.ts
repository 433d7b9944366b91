import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { paginateArray } from '../../platform/http/pagination.js';
import { callerOf } from '../../platform/http/request-context.js';
import { AuthError, bearer, Detail, FieldErrorMap, paged } from '../../platform/http/schemas.js';
import { BlockedEntry, idParam, NumericIdParam } from '../users/schemas.js';
import type { BlockingService } from './service.js';

const BlockBody = Type.Object({ user_id: Type.Integer() });

/** `/api/users/me/blocked/...`; guests refused. */
export function blockingRoutes(blocking: BlockingService) {
  return async function routes(app: FastifyInstance) {
    const tags = ['blocking'];
    const config = { auth: 'required' as const, guests: false };
    const errors = { 401: AuthError, 403: Detail, 404: Detail };

    app.get('/api/users/me/blocked/', {
      config,
      schema: { tags, summary: 'Users the caller blocked', security: bearer, response: { 200: paged(BlockedEntry), ...errors } },
    }, async (request) => paginateArray(request, await blocking.entries(callerOf(request).id)));

    app.post('/api/users/me/blocked/', {
      config,
      schema: { tags, summary: 'Block a user', security: bearer, body: BlockBody, response: { 201: BlockedEntry, 400: FieldErrorMap, ...errors, 409: Detail } },
    }, async (request, reply) => reply.status(201).send(await blocking.block(callerOf(request), (request.body as { user_id: number }).user_id)));

    app.delete('/api/users/me/blocked/:id/', {
      config,
      schema: { tags, summary: 'Remove a block entry (by entry id)', security: bearer, params: NumericIdParam('id'), response: { 204: Type.Null(), ...errors } },
    }, async (request, reply) => {
      await blocking.unblock(callerOf(request).id, idParam(request, 'id'));
      return reply.status(204).send();
    });
  };
}

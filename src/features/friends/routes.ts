import type { FastifyInstance, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { Type } from 'typebox';
import { paginate, paginateArray, pageParams } from '../../platform/http/pagination.js';
import { callerOf } from '../../platform/http/request-context.js';
import { AuthError, bearer, Detail, FieldErrorMap, paged } from '../../platform/http/schemas.js';
import { USERNAME_MAX } from '../auth/messages.js';
import { FriendRequest, Friendship, idParam, NumericIdParam } from '../users/schemas.js';
import type { FriendsService } from './service.js';

const SendBody = Type.Object({ username: Type.String({ minLength: 1, maxLength: USERNAME_MAX }) });
const OnlineQuery = Type.Object({ online: Type.Optional(Type.String()) }, { additionalProperties: true });

const idOf = (request: FastifyRequest) => idParam(request, 'id');

/** `/api/users/me/friend_requests/...` and `/api/users/me/friends/...`; guests refused. */
export function friendsRoutes(friends: FriendsService) {
  return async function routes(app: FastifyInstance) {
    const tags = ['friends'];
    const config = { auth: 'required' as const, guests: false };
    const errors = { 401: AuthError, 403: Detail, 404: Detail };

    app.get('/api/users/me/friend_requests/', {
      config,
      schema: { tags, summary: 'Pending requests sent by the caller', security: bearer, response: { 200: paged(FriendRequest), ...errors } },
    }, async (request) => paginateArray(request, await friends.sentRequests(callerOf(request).id)));

    app.post('/api/users/me/friend_requests/', {
      config,
      schema: {
        tags, summary: 'Send a friend request', security: bearer, body: SendBody,
        response: { 201: FriendRequest, 400: FieldErrorMap, ...errors, 409: Detail },
      },
    }, async (request, reply) => reply.status(201).send(await friends.sendRequest(callerOf(request), (request.body as { username: string }).username)));

    app.get('/api/users/me/friend_requests/received/', {
      config,
      schema: { tags, summary: 'Pending requests received by the caller (marks them seen)', security: bearer, response: { 200: paged(FriendRequest), ...errors } },
    }, async (request) => {
      const callerId = callerOf(request).id;
      // `new` shows the value before this call; every received request is seen afterwards.
      const all = await friends.receivedRequests(callerId);
      return paginateArray(request, all);
    });

    const requestSchema = (summary: string, success: Record<number, unknown>): RouteShorthandOptions => ({
      config,
      schema: { tags, summary, security: bearer, params: NumericIdParam('id'), response: { ...success, ...errors } },
    });
    app.get('/api/users/me/friend_requests/:id/', requestSchema('One friend request', { 200: FriendRequest }),
      async (request) => friends.getRequest(callerOf(request).id, idOf(request)));
    app.delete('/api/users/me/friend_requests/:id/', requestSchema('Cancel (sender) or reject (receiver) a request', { 204: Type.Null() }),
      async (request, reply) => {
        await friends.deleteRequest(callerOf(request).id, idOf(request));
        return reply.status(204).send();
      });
    app.post('/api/users/me/friend_requests/:id/', requestSchema('Accept a request received', { 201: Friendship }),
      async (request, reply) => reply.status(201).send(await friends.acceptRequest(callerOf(request), idOf(request))));

    app.get('/api/users/me/friends/', {
      config,
      schema: { tags, summary: "The caller's friendships (?online=true|false)", security: bearer, querystring: OnlineQuery, response: { 200: paged(Friendship), ...errors } },
    }, async (request) => {
      const raw = (request.query as { online?: string }).online;
      const online = raw === 'true' ? true : raw === 'false' ? false : undefined;
      const { limit, offset } = pageParams(request);
      const page = await friends.friendsPage(callerOf(request).id, online, limit, offset);
      return paginate(request, page.count, async () => page.results);
    });

    app.get('/api/users/me/friends/:id/', requestSchema('One friendship', { 200: Friendship }),
      async (request) => friends.getFriendship(callerOf(request).id, idOf(request)));
    app.delete('/api/users/me/friends/:id/', requestSchema('End a friendship', { 204: Type.Null() }),
      async (request, reply) => {
        await friends.deleteFriendship(callerOf(request).id, idOf(request));
        return reply.status(204).send();
      });
  };
}

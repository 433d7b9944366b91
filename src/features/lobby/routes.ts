import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { callerOf } from '../../platform/http/request-context.js';
import { AuthError, bearer, DateTime, Detail, FieldErrorMap, IdParam } from '../../platform/http/schemas.js';
import type { LobbyService } from './service.js';
import { MESSAGE_MAX_LENGTH } from './messages.js';

const Picture = Type.Object({ id: Type.Integer(), name: Type.String(), small: Type.String(), medium: Type.String() });
const Team = Type.String({ enum: ['a', 'b', 'spectator'], description: 'custom_game only; `Team A`, `Team B`, `Spectator` also accepted on input' });

/** A lobby participant as the API shows it (LobbyParticipantInstance): SmallUser + membership fields. */
const Participant = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  profile_picture: Picture,
  creator: Type.Boolean(),
  join_at: DateTime,
  is_ready: Type.Boolean(),
  team: Type.Optional(Team),
});

const Lobby = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  participants: Type.Array(Participant),
  is_full: Type.Boolean(),
  max_participants: Type.Integer(),
  created_at: DateTime,
  game_mode: Type.String({ enum: ['clash', 'custom_game'] }),
  match_type: Type.String({ enum: ['1v1', '3v3'] }),
  is_ready: Type.Boolean(),
  game_playing: Type.Union([Type.String(), Type.Null()]),
  bot: Type.Boolean({ description: 'computer players fill the empty seats of a custom game' }),
});

// Bodies are checked by the service (one exact message per field); these describe them for the docs.
const CreateBody = Type.Object({
  game_mode: Type.Optional(Type.Unknown({ description: '`clash` or `custom_game` (required)' })),
  match_type: Type.Optional(Type.Unknown({ description: '`1v1` (default) or `3v3`; clash is always 3v3' })),
  bot: Type.Optional(Type.Unknown({ description: 'boolean, default false: bots fill the empty seats of a custom game' })),
});
const SettingsBody = Type.Object({
  match_type: Type.Optional(Type.Unknown({ description: '`1v1` or `3v3`' })),
  bot: Type.Optional(Type.Unknown({ description: 'boolean' })),
});
const MembershipBody = Type.Object({
  is_ready: Type.Optional(Type.Unknown({ description: 'boolean' })),
  team: Type.Optional(Type.Unknown({ description: '`a`, `b`, `spectator` (or `Team A`, `Team B`, `Spectator`)' })),
});
const MessageBody = Type.Object({ content: Type.Optional(Type.Unknown({ description: `the text, trimmed; 1-${MESSAGE_MAX_LENGTH} characters (required)` })) });
const MessageEcho = Type.Object({ id: Type.Integer({ description: "the author's user id" }), content: Type.String() });

const CodeParam = Type.Object({ code: Type.String() });
const CodeUserParams = Type.Object({ code: Type.String(), ...IdParam('user_id').properties });

const codeOf = (request: FastifyRequest) => (request.params as { code: string }).code;
const userIdOf = (request: FastifyRequest) => (request.params as { user_id: number }).user_id;
const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;

/** `/api/play/lobby/...`: lobbies, their members, bans, invitations and messages. */
export function lobbyRoutes(lobbies: LobbyService) {
  return async function routes(app: FastifyInstance) {
    const tags = ['lobby'];
    // Every play endpoint needs an open SSE stream; some refuse guests.
    const open = { auth: 'required' as const, sse: 'required' as const };
    const registered = { ...open, guests: false };
    const errors = { 400: FieldErrorMap, 401: AuthError, 403: Detail, 404: Detail, 405: Detail, 409: Detail };

    app.post('/api/play/lobby/', {
      config: registered,
      schema: { tags, summary: 'Create a lobby', security: bearer, body: CreateBody, response: { 201: Lobby, ...errors } },
    }, async (request, reply) => reply.status(201).send(await lobbies.create(callerOf(request), bodyOf(request))));

    app.get('/api/play/lobby/', {
      config: open,
      schema: { tags, summary: "The caller's lobby", security: bearer, response: { 200: Lobby, ...errors } },
    }, async (request) => lobbies.mine(callerOf(request)));

    for (const method of ['PATCH', 'PUT'] as const) {
      app.route({
        method, url: '/api/play/lobby/', config: open,
        schema: { tags, summary: "Change the lobby's settings (creator; 405 for a clash lobby)", security: bearer, body: SettingsBody, response: { 200: Lobby, ...errors } },
        handler: async (request) => lobbies.updateSettings(callerOf(request), bodyOf(request), method),
      });
    }

    app.post('/api/play/lobby/:code/', {
      // An unknown code (404) counts against the caller's and his address's guess budget (platform/http/guess-throttle.ts).
      config: { ...open, codeGuess: true },
      schema: { tags, summary: 'Join a lobby (answers the new participant)', security: bearer, params: CodeParam, response: { 201: Participant, ...errors } },
    }, async (request, reply) => reply.status(201).send(await lobbies.join(callerOf(request), codeOf(request))));

    for (const method of ['PATCH', 'PUT'] as const) {
      app.route({
        method, url: '/api/play/lobby/:code/', config: open,
        schema: { tags, summary: "Update one's own membership (`is_ready`, `team`)", security: bearer, params: CodeParam, body: MembershipBody, response: { 200: Participant, ...errors } },
        handler: async (request) => lobbies.updateMembership(callerOf(request), codeOf(request), bodyOf(request)),
      });
    }

    app.delete('/api/play/lobby/:code/', {
      config: open,
      schema: { tags, summary: 'Leave the lobby', security: bearer, params: CodeParam, response: { 204: Type.Null(), ...errors } },
    }, async (request, reply) => {
      await lobbies.leave(callerOf(request), codeOf(request));
      return reply.status(204).send();
    });

    app.delete('/api/play/lobby/:code/ban/:user_id/', {
      config: registered,
      schema: { tags, summary: 'Ban a member (creator)', security: bearer, params: CodeUserParams, response: { 204: Type.Null(), ...errors } },
    }, async (request, reply) => {
      await lobbies.ban(callerOf(request), codeOf(request), userIdOf(request));
      return reply.status(204).send();
    });

    app.post('/api/play/lobby/:code/invite/:user_id/', {
      config: registered,
      schema: { tags, summary: 'Invite a friend (creator)', security: bearer, params: CodeUserParams, response: { 204: Type.Null(), ...errors } },
    }, async (request, reply) => {
      await lobbies.invite(callerOf(request), codeOf(request), userIdOf(request));
      return reply.status(204).send();
    });

    app.post('/api/play/lobby/:code/message/', {
      config: open,
      schema: { tags, summary: 'Send a message to the other members', security: bearer, params: CodeParam, body: MessageBody, response: { 201: MessageEcho, ...errors } },
    }, async (request, reply) => reply.status(201).send(await lobbies.message(callerOf(request), codeOf(request), bodyOf(request))));
  };
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { paginateArray } from '../../platform/http/pagination.js';
import { callerOf } from '../../platform/http/request-context.js';
import { AuthError, bearer, DateTime, Detail, FieldErrorMap, IdParam, paged, StringEnum } from '../../platform/http/schemas.js';
import { COMPUTER_LEVELS, ComputerMessages, DEFAULT_COMPUTER_LEVEL, type ComputerLevel as Level } from '../computer/messages.js';
import type { TournamentBots } from './bots.js';
import type { TournamentService } from './service.js';
import { MESSAGE_MAX_LENGTH } from './messages.js';

const Picture = Type.Object({ id: Type.Integer(), name: Type.String(), small: Type.String(), medium: Type.String() });
const ComputerLevel = StringEnum([...COMPUTER_LEVELS], ComputerMessages.levelChoice);
const Nullable = <T extends ReturnType<typeof Type.Integer> | ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

/** A tournament participant as the API shows it (TournamentParticipantInstance): SmallUser + record fields (`tournament` is the tournament id). */
const Participant = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  profile_picture: Picture,
  tournament: Type.Integer({ description: 'the tournament id' }),
  stage: Nullable(Type.Integer({ description: 'the round the participant plays in (its id), null before the start' })),
  seed: Nullable(Type.Integer()),
  still_in: Type.Boolean(),
  creator: Type.Boolean(),
  join_at: DateTime,
  computer: Type.Optional(ComputerLevel),
});

const Member = Type.Object({
  id: Type.Integer(), username: Type.String(), profile_picture: Picture, creator: Type.Boolean(), join_at: DateTime, computer: Type.Optional(ComputerLevel),
});

const BracketMatch = Type.Object({
  id: Type.Integer({ description: 'the bracket slot id (keys of tournament-available-spectate-matches)' }),
  n: Type.Integer(),
  match_code: Nullable(Type.String()),
  match_id: Type.Optional(Type.Integer({
    description: 'the game played for this slot: the `id` of its match object and of its replay (the archived bracket\'s `id`); absent until the game is created, and for a slot decided without a game',
  })),
  live_score: Type.Optional(Type.Object({ user_1: Type.Integer(), user_2: Type.Integer() }, {
    description: 'while its game is played (GET only, not in events): the goals of user_1 and user_2 so far',
  })),
  winner: Type.Optional(Type.Integer({ description: 'absent while there is no winner' })),
  score_winner: Nullable(Type.Integer()),
  score_looser: Nullable(Type.Integer()),
  finish_reason: Nullable(Type.String()),
  finished: Type.Boolean(),
  user_1: Type.Union([Participant, Type.Null()]),
  user_2: Type.Union([Participant, Type.Null()]),
});

const Tournament = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  participants: Type.Array(Member),
  size: Type.Integer({ enum: [4, 8, 16] }),
  private: Type.Boolean(),
  is_started: Type.Boolean(),
  start_at: Type.Union([DateTime, Type.Null()], { description: 'the planned start during the countdown, then the actual start' }),
  created_at: DateTime,
  created_by: Type.Integer(),
  matches: Type.Optional(Type.Record(Type.String(), Type.Array(BracketMatch), { description: 'once started: final, semi-final, quarter-final, round-of-16 (the rounds of its size)' })),
});

const SearchItem = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  code: Type.String(),
  private: Type.Boolean(),
  n_participants: Type.Integer(),
  size: Type.Integer(),
  created_by: Type.String({ description: "the creator's username" }),
});

// Bodies are checked by the service (one exact message per field); these describe them for the docs.
const CreateBody = Type.Object({
  name: Type.Optional(Type.Unknown({ description: '1-50 characters, unique among existing tournaments (required)' })),
  size: Type.Optional(Type.Unknown({ description: '4, 8 or 16 (required)' })),
  private: Type.Optional(Type.Unknown({ description: 'boolean, default false' })),
});
const MessageBody = Type.Object({ content: Type.Optional(Type.Unknown({ description: `the text, trimmed; 1-${MESSAGE_MAX_LENGTH} characters (required)` })) });
const MessageEcho = Type.Object({ id: Type.Integer({ description: "the author's user id" }), content: Type.String() });
const BotsBody = Type.Object({
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: 15, description: 'how many computer players to seat (default 1); at most the free seats' })),
  level: Type.Optional(ComputerLevel),
}, { description: `\`level\`: how well they play, \`easy\`, \`medium\` or \`hard\` (default \`${DEFAULT_COMPUTER_LEVEL}\`)` });

const CodeParam = Type.Object({ code: Type.String() });
const CodeUserParams = Type.Object({ code: Type.String(), ...IdParam('user_id').properties });

const codeOf = (request: FastifyRequest) => (request.params as { code: string }).code;
const userIdOf = (request: FastifyRequest) => (request.params as { user_id: number }).user_id;
const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;

/** `/api/play/tournament/...`: tournaments, their participants, search, bans, invitations and messages. */
export function tournamentRoutes(tournaments: TournamentService, bots: TournamentBots) {
  return async function routes(app: FastifyInstance) {
    const tags = ['tournament'];
    // Every play endpoint needs an open SSE stream; some refuse guests.
    const open = { auth: 'required' as const, sse: 'required' as const };
    const registered = { ...open, guests: false };
    const errors = { 400: FieldErrorMap, 401: AuthError, 403: Detail, 404: Detail, 405: Detail, 409: Detail };

    app.post('/api/play/tournament/', {
      config: registered,
      schema: { tags, summary: 'Create a tournament', security: bearer, body: CreateBody, response: { 201: Tournament, ...errors } },
    }, async (request, reply) => reply.status(201).send(await tournaments.create(callerOf(request), bodyOf(request))));

    app.get('/api/play/tournament/', {
      config: open,
      schema: { tags, summary: "The caller's tournament", security: bearer, response: { 200: Tournament, ...errors } },
    }, async (request) => tournaments.mine(callerOf(request)));

    app.get('/api/play/tournament/search/', {
      config: open,
      schema: {
        tags, summary: 'Open tournaments whose name contains `q` (public ones, and the caller\'s)', security: bearer,
        querystring: Type.Object({ q: Type.Optional(Type.String()), limit: Type.Optional(Type.String()), offset: Type.Optional(Type.String()) }),
        response: { 200: paged(SearchItem), ...errors },
      },
    }, async (request) => {
      const q = (request.query as { q?: string }).q ?? '';
      return paginateArray(request, await tournaments.search(callerOf(request), q));
    });

    app.post('/api/play/tournament/:code/', {
      // An unknown code (404) counts against the caller's and his address's guess budget (platform/http/guess-throttle.ts).
      config: { ...open, codeGuess: true },
      schema: { tags, summary: 'Join a tournament, or reconnect to it (answers the participant)', security: bearer, params: CodeParam, response: { 201: Participant, ...errors } },
    }, async (request, reply) => reply.status(201).send(await tournaments.join(callerOf(request), codeOf(request))));

    app.delete('/api/play/tournament/:code/', {
      config: open,
      schema: { tags, summary: 'Leave the tournament (eliminated after the start)', security: bearer, params: CodeParam, response: { 204: Type.Null(), ...errors } },
    }, async (request, reply) => {
      await tournaments.leave(callerOf(request), codeOf(request));
      return reply.status(204).send();
    });

    app.delete('/api/play/tournament/:code/ban/:user_id/', {
      config: registered,
      schema: { tags, summary: 'Ban a participant (creator, before the start)', security: bearer, params: CodeUserParams, response: { 204: Type.Null(), ...errors } },
    }, async (request, reply) => {
      await tournaments.ban(callerOf(request), codeOf(request), userIdOf(request));
      return reply.status(204).send();
    });

    app.post('/api/play/tournament/:code/invite/:user_id/', {
      config: registered,
      schema: { tags, summary: 'Invite a friend (the creator of a private tournament)', security: bearer, params: CodeUserParams, response: { 204: Type.Null(), ...errors } },
    }, async (request, reply) => {
      await tournaments.invite(callerOf(request), codeOf(request), userIdOf(request));
      return reply.status(204).send();
    });

    app.post('/api/play/tournament/:code/bots/', {
      config: registered,
      schema: {
        tags, summary: 'Seat computer players in empty seats (creator, before the start); answers the tournament', security: bearer,
        params: CodeParam, body: BotsBody, response: { 201: Tournament, ...errors, 503: Detail },
      },
    }, async (request, reply) => {
      const body = request.body as { count?: number; level?: Level };
      return reply.status(201).send(await bots.add(callerOf(request), codeOf(request), { count: body.count ?? 1, level: body.level ?? DEFAULT_COMPUTER_LEVEL }));
    });

    app.delete('/api/play/tournament/:code/bots/:user_id/', {
      config: registered,
      schema: { tags, summary: 'Take a computer player back (creator, before the start)', security: bearer, params: CodeUserParams, response: { 204: Type.Null(), ...errors } },
    }, async (request, reply) => {
      await bots.remove(callerOf(request), codeOf(request), userIdOf(request));
      return reply.status(204).send();
    });

    app.post('/api/play/tournament/:code/message/', {
      config: open,
      schema: { tags, summary: 'Send a message to the other participants', security: bearer, params: CodeParam, body: MessageBody, response: { 201: MessageEcho, ...errors } },
    }, async (request, reply) => reply.status(201).send(await tournaments.message(callerOf(request), codeOf(request), bodyOf(request))));
  };
}

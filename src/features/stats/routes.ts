import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { paginate } from '../../platform/http/pagination.js';
import { callerOf } from '../../platform/http/request-context.js';
import { AuthError, bearer, Detail, FieldErrorMap, paged, StringEnum } from '../../platform/http/schemas.js';
import { RankedStat, Stat } from '../users/schemas.js';
import { GAME_MODES, StatsMessages } from './messages.js';
import type { MatchResult, StatsService } from './service.js';

/** `/api/users/me/stats/` and `/api/users/me/stats/ranked/`; guests allowed. */
export function statsRoutes(stats: StatsService) {
  return async function routes(app: FastifyInstance) {
    const tags = ['stats'];

    app.get('/api/users/me/stats/', {
      config: { auth: 'required' },
      schema: { tags, summary: 'Statistics: global, clash, duel, ranked, tournament', security: bearer, response: { 200: Type.Array(Stat), 401: AuthError } },
    }, async (request) => stats.stats(callerOf(request).id));

    app.get('/api/users/me/stats/ranked/', {
      config: { auth: 'required' },
      schema: { tags, summary: 'Ranked trophy history, oldest first', security: bearer, response: { 200: paged(RankedStat), 401: AuthError } },
    }, async (request) => {
      const userId = callerOf(request).id;
      return paginate(request, await stats.countRanked(userId), (limit, offset) => stats.rankedPage(userId, limit, offset));
    });
  };
}

const Player = Type.Object({
  id: Type.Integer(),
  score: Type.Integer(),
  trophies: Type.Optional(Type.Integer()),
  own_goals: Type.Optional(Type.Integer()),
  own_goal: Type.Optional(Type.Integer()),
});
const Team = Type.Object({ score: Type.Integer(), players: Type.Array(Player) });
const MatchResultBody = Type.Object({
  game_mode: StringEnum([...GAME_MODES], StatsMessages.gameModeChoice),
  winner: Type.String({ minLength: 1, maxLength: 1 }),
  looser: Type.String({ minLength: 1, maxLength: 1 }),
  teams: Type.Object({ a: Team, b: Team }),
});
const TournamentBody = Type.Object({ winner: Type.Integer() });

/** The validated echo of a match result: the known keys only. */
function echo(result: MatchResult): MatchResult {
  const team = (t: MatchResult['teams']['a']) => ({
    score: t.score,
    players: t.players.map((p) => {
      const player: Record<string, number> = { id: p.id, score: p.score };
      if (p.trophies !== undefined) player.trophies = p.trophies;
      if (p.own_goals !== undefined || p.own_goal !== undefined) player.own_goals = (p.own_goals ?? p.own_goal)!;
      return player as unknown as MatchResult['teams']['a']['players'][number];
    }),
  });
  return { game_mode: result.game_mode, winner: result.winner, looser: result.looser, teams: { a: team(result.teams.a), b: team(result.teams.b) } };
}

/** The private results endpoints (match results, tournament wins), on the internal API. */
export function statsInternalRoutes(stats: StatsService) {
  return async function routes(app: FastifyInstance) {
    const tags = ['internal'];

    app.post('/api/private/users/result-match/', {
      schema: { tags, summary: 'Record a finished match', body: MatchResultBody, response: { 201: MatchResultBody, 400: FieldErrorMap } },
    }, async (request, reply) => {
      const result = echo(request.body as MatchResult);
      await stats.recordMatchResult(result);
      return reply.status(201).send(result);
    });

    app.post('/api/private/users/result-tournament/', {
      schema: { tags, summary: 'Record a tournament win', body: TournamentBody, response: { 201: TournamentBody, 400: FieldErrorMap, 404: Detail } },
    }, async (request, reply) => {
      const { winner } = request.body as { winner: number };
      await stats.recordTournamentWin(winner);
      return reply.status(201).send({ winner });
    });
  };
}

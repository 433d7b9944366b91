import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ApiError } from '../../platform/http/errors.js';
import { paginate } from '../../platform/http/pagination.js';
import { AuthError, bearer, Detail, FieldErrorMap, IdParam, paged } from '../../platform/http/schemas.js';
import { fieldErrorsFromAjv, type AjvError } from '../../platform/http/validation.js';
import {
  ExportAnswer, FinishAnswer, FinishBody, MatchObject, NewMatchBody, NotPlayedAnswer, NotPlayedBody, ScoreBody, TournamentBody, TournamentObject,
} from './schemas.js';
import type { MatchesService, NotPlayedInput, TournamentArchive } from './service.js';
import { parseNewMatchBody } from './validation.js';
import type { ForfeitReason } from './messages.js';

const param = <K extends string>(request: FastifyRequest, name: K) => (request.params as Record<K, number>)[name];

/** Throws the 400 of a route declared with `attachValidation`, at its place in the order of the checks. */
function validationOf(request: FastifyRequest): () => void {
  return () => {
    const error = request.validationError as { validation?: AjvError[] } | undefined;
    if (error?.validation) throw new ApiError(400, fieldErrorsFromAjv(error.validation));
  };
}

/** The public game endpoints: match history and archived tournaments. */
export function matchesRoutes(matches: MatchesService) {
  return async function routes(app: FastifyInstance) {
    const tags = ['game'];
    app.get('/api/game/matches/:user_id/', {
      config: { auth: 'required' },
      schema: {
        tags, summary: "A user's finished matches, most recent first", security: bearer,
        params: IdParam('user_id'), response: { 200: paged(MatchObject), 401: AuthError },
      },
    }, async (request) => {
      const userId = param(request, 'user_id');
      return paginate(request, await matches.countFinishedOf(userId), (limit, offset) => matches.finishedPageOf(userId, limit, offset));
    });

    app.get('/api/game/tournaments/:tournament_id/', {
      config: { auth: 'required' },
      schema: {
        tags, summary: 'An archived tournament with its matches by stage', security: bearer,
        params: IdParam('tournament_id'), response: { 200: TournamentObject, 401: AuthError, 404: Detail },
      },
    }, async (request) => matches.tournament(param(request, 'tournament_id'), true));
  };
}

/** The private match endpoints, on the loopback internal API. */
export function matchesInternalRoutes(matches: MatchesService) {
  return async function routes(app: FastifyInstance) {
    const tags = ['internal'];

    app.post('/api/private/match/create/', {
      config: { bodyShape: 'non_field_errors' },
      schema: { tags, summary: 'Create a match', body: NewMatchBody, response: { 201: MatchObject, 400: Type.Unknown(), 404: Detail, 409: Detail } },
    }, async (request, reply) => {
      const match = await matches.createMatch(parseNewMatchBody(request.body as Record<string, unknown>));
      return reply.status(201).send(await matches.present(match));
    });

    app.post('/api/private/match/create/not-played/', {
      schema: { tags, summary: 'Record a tournament slot won without playing', body: NotPlayedBody, response: { 201: NotPlayedAnswer, 400: FieldErrorMap } },
    }, async (request, reply) => reply.status(201).send(await matches.recordNotPlayed(request.body as NotPlayedInput)));

    app.get('/api/private/match/:user_id/', {
      schema: { tags, summary: "The user's unfinished match", params: IdParam('user_id'), response: { 200: MatchObject, 404: Detail } },
    }, async (request) => matches.present(await matches.activeMatchOf(param(request, 'user_id'))));

    app.get('/api/private/match/:match_id/:user_id/', {
      schema: {
        tags, summary: 'A player claims his seat; the match counts as started',
        params: Type.Object({ ...IdParam('match_id').properties, ...IdParam('user_id').properties }),
        response: { 200: MatchObject, 403: Detail },
      },
    }, async (request) => matches.present(await matches.claim(param(request, 'match_id'), param(request, 'user_id'))));

    const score = {
      attachValidation: true,
      schema: { tags, summary: "One goal in the user's match", params: IdParam('user_id'), body: ScoreBody, response: { 200: MatchObject, 400: FieldErrorMap, 404: Detail } },
    };
    const scoreHandler = async (request: FastifyRequest) => {
      const ownGoal = (request.body as { own_goal?: boolean } | undefined)?.own_goal === true;
      return matches.presentBare(await matches.scoreGoal(param(request, 'user_id'), ownGoal, validationOf(request)));
    };
    app.put('/api/private/match/score/:user_id/', score, scoreHandler);
    app.patch('/api/private/match/score/:user_id/', score, scoreHandler);

    const finish = {
      attachValidation: true,
      schema: { tags, summary: 'Forfeit: the named player\'s team loses 0–3', params: IdParam('match_id'), body: FinishBody, response: { 200: FinishAnswer, 400: FieldErrorMap, 404: Detail, 409: Detail } },
    };
    const finishHandler = async (request: FastifyRequest) => {
      const body = request.body as { user_id: number; finish_reason: ForfeitReason };
      return matches.forfeit(param(request, 'match_id'), body, validationOf(request));
    };
    app.put('/api/private/match/finish/:match_id/', finish, finishHandler);
    app.patch('/api/private/match/finish/:match_id/', finish, finishHandler);

    app.post('/api/private/tournaments/', {
      schema: { tags, summary: 'Archive a finished tournament', body: TournamentBody, response: { 201: TournamentObject, 400: FieldErrorMap } },
    }, async (request, reply) => {
      const body = request.body as TournamentArchive;
      return reply.status(201).send(await matches.archiveTournament({ ...body, size: body.size ?? 16 }));
    });

    app.get('/api/private/export-data/:user_id/', {
      schema: { tags, summary: "A user's finished matches and tournaments", params: IdParam('user_id'), response: { 200: ExportAnswer } },
    }, async (request) => matches.exportData(param(request, 'user_id')));
  };
}

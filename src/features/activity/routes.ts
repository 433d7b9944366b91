import type { FastifyInstance, FastifyReply } from 'fastify';
import { guessThrottled, type GuessThrottle } from '../../platform/http/guess-throttle.js';
import { paginate, paginateArray, pageJson, pageParams, type Page } from '../../platform/http/pagination.js';
import { credentialOf, type Authenticator } from '../../platform/http/pipeline.js';
import { callerOf } from '../../platform/http/request-context.js';
import { AuthError, bearer, Detail, FieldErrorMap, paged } from '../../platform/http/schemas.js';
import { CALLER_MAX_AGE_MS, MAX_PAGE } from './messages.js';
import { ActivityCounts, LadderEntry, LadderQuery, LiveMatch, LiveQuery } from './schemas.js';
import type { ActivityService } from './service.js';

/** A page of JSON items, sent as is (pagination.ts, pageJson). */
const sendPage = (reply: FastifyReply, page: Page<string>) => reply.type('application/json; charset=utf-8').send(pageJson(page));

/** `GET /api/activity/`, `GET /api/game/live/`, `GET /api/users/leaderboard/` (docs/api.md, Activity). */
export function activityRoutes(activity: ActivityService, auth: Authenticator, guesses: GuessThrottle) {
  return async function routes(app: FastifyInstance) {
    app.get('/api/activity/', {
      schema: {
        tags: ['activity'],
        summary: "The home page's figures: users online, people playing, live matches, open public tournaments (no token needed)",
        response: { 200: ActivityCounts },
      },
    }, async () => activity.counts());

    app.get('/api/game/live/', {
      config: { auth: 'required', callerMaxAgeMs: CALLER_MAX_AGE_MS },
      schema: {
        tags: ['game'],
        summary: 'The live matches the caller may watch, newest first (custom games: their lobby only; none with a blocked player); `?code=`: only that match, private or not (failed codes are throttled)',
        security: bearer, querystring: LiveQuery, response: { 200: paged(LiveMatch), 401: AuthError, 429: Detail },
      },
    }, async (request, reply) => {
      const code = (request.query as { code?: string }).code;
      const caller = callerOf(request);
      if (code === undefined) return sendPage(reply, await paginateArray(request, await activity.liveFor(caller), { maxLimit: MAX_PAGE }));
      // A code shows a private game (visibility.ts): one that finds nothing is a guess, throttled like joins by code.
      const attempt = await guesses.attempt(caller.id, request.ip);
      if (attempt.throttled) throw guessThrottled(attempt);
      const found = await activity.liveFor(caller, code);
      attempt.settle(await activity.failedGuess(code, found));
      return sendPage(reply, await paginateArray(request, found, { maxLimit: MAX_PAGE }));
    });

    app.get('/api/users/leaderboard/', {
      schema: {
        tags: ['users'],
        summary: 'The ladder of registered users by trophies (no token needed; `?around=me` needs one: the page that holds the caller)',
        querystring: LadderQuery,
        response: { 200: paged(LadderEntry), 400: FieldErrorMap, 401: AuthError, 404: Detail },
      },
    }, async (request, reply) => {
      const around = (request.query as { around?: string }).around === 'me';
      const caller = around ? await auth.authenticate(credentialOf(request, false), { maxAgeMs: CALLER_MAX_AGE_MS }) : null;
      const { limit } = pageParams(request, { maxLimit: MAX_PAGE });
      const source = await activity.ladder(caller ? { caller, limit } : null);
      return sendPage(reply, await paginate(request, source.count, source.fetch, { maxLimit: MAX_PAGE, offset: source.offset, dropParams: ['around'] }));
    });
  };
}

import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { callerOf } from '../../platform/http/request-context.js';
import { AuthError, bearer, Detail, FieldErrorMap, StringEnum } from '../../platform/http/schemas.js';
import { MatchObject } from '../matches/schemas.js';
import { COMPUTER_LEVELS, ComputerMessages as M, DEFAULT_COMPUTER_LEVEL, type ComputerLevel } from './messages.js';
import type { ComputerGames } from './service.js';

const PlayBody = Type.Object({
  level: Type.Optional(StringEnum([...COMPUTER_LEVELS], M.levelChoice)),
}, { description: `\`level\`: how well the computer plays, \`easy\`, \`medium\` or \`hard\` (default \`${DEFAULT_COMPUTER_LEVEL}\`)` });

/** `POST /api/play/computer/`: a game against a computer player. */
export function computerRoutes(computer: ComputerGames) {
  return async function routes(app: FastifyInstance) {
    app.post('/api/play/computer/', {
      // Like every play endpoint: the `game-start` event comes over the caller's stream.
      config: { auth: 'required', sse: 'required' },
      schema: {
        tags: ['play'],
        summary: 'Play the computer: an unranked custom 1v1 against a computer player (a duel entry stays meanwhile)',
        security: bearer,
        body: PlayBody,
        response: { 201: MatchObject, 400: FieldErrorMap, 401: AuthError, 409: Detail, 503: Detail },
      },
    }, async (request, reply) => {
      const level = (request.body as { level?: ComputerLevel } | undefined)?.level ?? DEFAULT_COMPUTER_LEVEL;
      return reply.status(201).send(await computer.play(callerOf(request), level));
    });
  };
}

import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../platform/http/errors.js';
import { credentialOf, type Authenticator } from '../../platform/http/pipeline.js';
import type { MatchesService } from '../matches/service.js';
import type { RoomRegistry } from '../../game/rooms/registry.js';
import type { Room } from '../../game/rooms/room.js';
import { CloseCodes, ErrorTexts, MATCH_CODE_PARAM } from '../../game/protocol.js';

export type Admission =
  | { kind: 'refused'; code: number; reason: string }
  | { kind: 'player'; room: Room; userId: number }
  | { kind: 'spectator'; room: Room; userId: number };

const refused = (code: number, reason: string): Admission => ({ kind: 'refused', code, reason });

function refusalOf(error: unknown, fallback: Admission): Admission {
  if (!(error instanceof ApiError)) return fallback;
  const detail = typeof error.body.detail === 'string' ? error.body.detail : 'Connection refused.';
  if (error.statusCode === 401) return refused(CloseCodes.unauthenticated, detail);
  if (error.statusCode === 404 || error.statusCode === 403) return refused(CloseCodes.forbidden, detail);
  return fallback;
}

/**
 * The connection handshake of game.md §6.2: a token (`Authorization: Bearer`
 * or `?token=`), then either the spectator path (`?match_code=`) or the
 * player path (the user's unfinished match, claimed, its room created on the
 * first connection).
 */
export async function admit(request: FastifyRequest, deps: { auth: Authenticator; matches: MatchesService; rooms: RoomRegistry }): Promise<Admission> {
  let userId: number;
  try {
    userId = (await deps.auth.authenticate(credentialOf(request, true))).id;
  } catch (error) {
    return refusalOf(error, refused(CloseCodes.unavailable, 'Failed to connect to auth service.'));
  }

  const code = (request.query as Record<string, unknown> | undefined)?.[MATCH_CODE_PARAM];
  if (typeof code === 'string' && code !== '') {
    const room = deps.rooms.findByCode(code);
    if (!room) return refused(CloseCodes.notFound, ErrorTexts.noMatch(code.slice(0, 16)));
    return { kind: 'spectator', room, userId };
  }

  const unavailable = refused(CloseCodes.unavailable, 'Failed to connect to game service.');
  try {
    const match = await deps.matches.activeMatchOf(userId);
    await deps.matches.claim(match.id, userId);
    const room = deps.rooms.roomFor({ id: match.id, code: match.code!, matchType: match.matchType, players: match.players, score: match.score });
    return { kind: 'player', room, userId };
  } catch (error) {
    return refusalOf(error, unavailable);
  }
}

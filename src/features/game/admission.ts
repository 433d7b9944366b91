import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../platform/http/errors.js';
import { GUESS_THROTTLED, type GuessThrottle } from '../../platform/http/guess-throttle.js';
import { credentialOf, type Authenticator } from '../../platform/http/pipeline.js';
import type { MatchesService } from '../matches/service.js';
import type { RoomRegistry } from '../../game/rooms/registry.js';
import type { Room } from '../../game/rooms/room.js';
import { CloseCodes, ErrorTexts, MATCH_CODE_PARAM } from '../../game/protocol.js';
import type { RoomDirectory } from './directory.js';

/** Set on a socket one node proxies to another: the receiving node never proxies it again. */
export const FORWARDED_HEADER = 'x-pong-forwarded-by';

export type Admission =
  | { kind: 'refused'; code: number; reason: string }
  | { kind: 'player'; room: Room; userId: number }
  | { kind: 'spectator'; room: Room; userId: number }
  /** The room lives on another node: the socket is proxied to it. */
  | { kind: 'remote'; url: string; nodeId: string };

const refused = (code: number, reason: string): Admission => ({ kind: 'refused', code, reason });

function refusalOf(error: unknown, fallback: Admission): Admission {
  if (!(error instanceof ApiError)) return fallback;
  const detail = typeof error.body.detail === 'string' ? error.body.detail : 'Connection refused.';
  if (error.statusCode === 401) return refused(CloseCodes.unauthenticated, detail);
  if (error.statusCode === 404 || error.statusCode === 403) return refused(CloseCodes.forbidden, detail);
  return fallback;
}

/**
 * The connection handshake (see docs/game-protocol.md, Connecting): a token
 * (`Authorization: Bearer` or `?token=`), then either the spectator path
 * (`?match_code=`) or the player path (the user's unfinished match, claimed,
 * its room created on the first connection).
 */
export async function admit(
  request: FastifyRequest,
  deps: { auth: Authenticator; matches: MatchesService; rooms: RoomRegistry; directory?: RoomDirectory; guesses?: GuessThrottle },
): Promise<Admission> {
  let userId: number;
  try {
    userId = (await deps.auth.authenticate(credentialOf(request, true))).id;
  } catch (error) {
    return refusalOf(error, refused(CloseCodes.unavailable, 'Failed to connect to auth service.'));
  }

  const unavailable = refused(CloseCodes.unavailable, 'Failed to connect to game service.');
  const code = (request.query as Record<string, unknown> | undefined)?.[MATCH_CODE_PARAM];
  if (typeof code === 'string' && code !== '') {
    // Codes are short: guessing is throttled per user and per address, and only codes that name no match count.
    const guess = await deps.guesses?.attempt(userId, request.ip);
    if (guess?.throttled) return refused(CloseCodes.forbidden, GUESS_THROTTLED);
    const admission = await (async (): Promise<Admission> => {
      const room = deps.rooms.findByCode(code);
      if (room) return { kind: 'spectator', room, userId };
      const elsewhere = deps.directory && !request.headers[FORWARDED_HEADER] ? await deps.directory.ownerOfCode(code).catch(() => null) : null;
      if (elsewhere && !elsewhere.local) return { kind: 'remote', url: elsewhere.url, nodeId: elsewhere.nodeId };
      try {
        return await spectateFromTheStart(request, code, userId, deps, unavailable);
      } catch (error) {
        return refusalOf(error, unavailable);
      }
    })();
    guess?.settle(admission.kind === 'refused' && admission.code === CloseCodes.notFound);
    return admission;
  }

  try {
    const match = await deps.matches.activeMatchOf(userId);
    await deps.matches.claim(match.id, userId);
    if (deps.directory && !deps.rooms.findByMatch(match.id)) {
      const owner = await deps.directory.claim(match.id, match.code!);
      if (!owner.local) {
        // Never proxy twice: a socket forwarded here by a node that thought this one owns the room.
        if (request.headers[FORWARDED_HEADER]) return unavailable;
        return { kind: 'remote', url: owner.url, nodeId: owner.nodeId };
      }
    }
    const room = deps.rooms.roomFor({
      id: match.id, code: match.code!, matchType: match.matchType, players: match.players, score: match.score, resumed: match.gameStart,
    });
    return { kind: 'player', room, userId };
  } catch (error) {
    return refusalOf(error, unavailable);
  }
}

/**
 * A spectator who comes before any player (bench spectators of a lobby are
 * sent here the instant its game starts): the room of the unfinished match
 * with this code is created, or claimed among the nodes, exactly as the first
 * player's connection would, without starting the players' 5 s to connect.
 */
async function spectateFromTheStart(
  request: FastifyRequest,
  code: string,
  userId: number,
  deps: { matches: MatchesService; rooms: RoomRegistry; directory?: RoomDirectory },
  unavailable: Admission,
): Promise<Admission> {
  const notRunning = refused(CloseCodes.notFound, ErrorTexts.noMatch(code.slice(0, 16)));
  if (code.length > 16) return notRunning;
  const match = await deps.matches.unfinishedMatchByCode(code);
  if (!match) return notRunning;
  if (deps.directory && !deps.rooms.findByMatch(match.id)) {
    const owner = await deps.directory.claim(match.id, code);
    if (!owner.local) {
      if (request.headers[FORWARDED_HEADER]) return unavailable;
      return { kind: 'remote', url: owner.url, nodeId: owner.nodeId };
    }
  }
  const room = deps.rooms.roomFor(
    { id: match.id, code, matchType: match.matchType, players: match.players, score: match.score, resumed: match.gameStart },
    { awaitFirstPlayer: true },
  );
  if (room.isOver) return notRunning;
  return { kind: 'spectator', room, userId };
}

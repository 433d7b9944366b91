import { randomInt } from 'node:crypto';
import { ApiError, badRequest } from '../../platform/http/errors.js';
import { CODE_ATTEMPTS, MatchMessages as M } from './messages.js';
import type { MatchType } from './model.js';
import type { NewMatchInput } from './validation.js';

const teamsError = (message: string) => badRequest({ teams: { non_field_errors: [message] } });

/** The team checks of a match creation (after the field errors); returns the match type. */
export function checkTeams(input: NewMatchInput): MatchType {
  const { a, b } = input.teams;
  if (a.length !== b.length) throw teamsError(M.sameTeamSize);
  if (a.length !== 1 && a.length !== 3) throw teamsError(M.teamSizes);
  const ids = [...a, ...b].map((seat) => seat.id);
  if (new Set(ids).size !== ids.length) throw teamsError(M.bothTeams);
  return a.length === 1 ? '1v1' : '3v3';
}

/** The checks of each game mode (after the busy-player check), then the trophies every ranked player must carry. */
export function checkModeRules(input: NewMatchInput, matchType: MatchType): void {
  if (input.game_mode === 'tournament') {
    for (const key of ['tournament_id', 'tournament_stage_id', 'tournament_n'] as const) {
      if (!input[key]) throw badRequest({ [key]: [M.required] });
    }
  }
  if (input.game_mode === 'clash' && matchType === '1v1') throw new ApiError(400, [M.clashSize] as unknown as Record<string, unknown>);
  if (matchType === '3v3' && ['duel', 'ranked', 'tournament'].includes(input.game_mode)) {
    throw new ApiError(400, [M.oneVsOneOnly(input.game_mode)] as unknown as Record<string, unknown>);
  }
  if (input.game_mode === 'ranked') {
    const missing = (seats: { trophies?: number }[]) => seats.map((s) => (s.trophies === undefined ? { trophies: [M.required] } : {}));
    if ([...input.teams.a, ...input.teams.b].some((s) => s.trophies === undefined)) {
      throw badRequest({ teams: { a: missing(input.teams.a), b: missing(input.teams.b) } });
    }
  }
}

/** Random 4-digit codes to try; the caller keeps the first no unfinished match holds. */
export function codeCandidates(count: number): string[] {
  return Array.from({ length: count }, () => String(randomInt(0, 10_000)).padStart(4, '0'));
}

/** A match code: four random digits no unfinished match holds. */
export function drawCode(inUse: Set<string>): string {
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    const code = String(randomInt(0, 10_000)).padStart(4, '0');
    if (!inUse.has(code)) return code;
  }
  throw new ApiError(500, { detail: M.codeGenerationFailed });
}

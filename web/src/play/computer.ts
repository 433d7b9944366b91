import { api, type ApiResult } from '../api/client';
import type { MatchObject } from '../api/types';

/**
 * Games against the computer (docs/api.md, Playing the computer) as the tab
 * knows them. The match object does not say which seat the computer holds,
 * so the tab remembers the game it asked for: its level (for the computer's
 * name) and the page that plays it — `/game/computer`, or the duel page that
 * offered it while searching. Kept in localStorage so that a reload finds it.
 */
export const COMPUTER_LEVELS = ['easy', 'medium', 'hard'] as const;
export type ComputerLevel = (typeof COMPUTER_LEVELS)[number];
export type ComputerHost = '/game/computer' | '/game/duel';

interface ComputerGame {
  /** Null until the match is known (its `game-start` may come before the answer). */
  matchId: number | null;
  level: ComputerLevel;
  host: ComputerHost;
  /** When it was asked for (ms): a claim that waits too long is stale. */
  at: number;
}

/** A `game-start` this long after the request is not the one it asked for. */
const CLAIM_WITHIN_MS = 15_000;
const GAME_KEY = 'pong.computerGame';
const LEVEL_KEY = 'pong.computerLevel';

function load(): ComputerGame | null {
  try {
    return JSON.parse(localStorage.getItem(GAME_KEY) ?? 'null') as ComputerGame | null;
  } catch {
    return null;
  }
}

const save = (game: ComputerGame) => localStorage.setItem(GAME_KEY, JSON.stringify(game));

/** The level a one-click game uses: the last one chosen, `medium` at first. */
export function preferredLevel(): ComputerLevel {
  const stored = localStorage.getItem(LEVEL_KEY);
  return (COMPUTER_LEVELS as readonly string[]).includes(stored ?? '') ? (stored as ComputerLevel) : 'medium';
}

export function preferLevel(level: ComputerLevel): void {
  localStorage.setItem(LEVEL_KEY, level);
}

/** The computer game this match is, if the tab asked for it. */
export function computerGameOf(match: Pick<MatchObject, 'id'>): { level: ComputerLevel; host: ComputerHost } | null {
  const game = load();
  return game && game.matchId === match.id ? game : null;
}

/** A `game-start` that answers the pending request (a custom 1v1 shortly after it) is that computer game. */
export function claimComputerGame(match: Pick<MatchObject, 'id' | 'game_mode' | 'match_type'>): void {
  const game = load();
  if (!game || game.matchId !== null || Date.now() - game.at > CLAIM_WITHIN_MS) return;
  if (match.game_mode === 'custom_game' && match.match_type === '1v1') save({ ...game, matchId: match.id });
}

/** `POST /api/play/computer/`, remembered for the page that plays it. */
export async function startComputerGame(level: ComputerLevel, host: ComputerHost): Promise<ApiResult<MatchObject>> {
  preferLevel(level);
  save({ matchId: null, level, host, at: Date.now() });
  const result = await api<MatchObject>('POST', '/api/play/computer/', { level });
  if (result.ok) save({ matchId: result.data.id, level, host, at: Date.now() });
  else if (load()?.matchId === null) localStorage.removeItem(GAME_KEY);
  return result;
}

export const computerName = (level: ComputerLevel) => `Computer (${level})`;

/**
 * A player as people read him: a computer player (the API marks it with `computer`, its level) as
 * "Computer (medium)" rather than its bot account's name; anybody else by his username.
 */
export function playerName(player: { username?: string | null; computer?: ComputerLevel } | null | undefined, otherwise = 'a player'): string {
  if (player?.computer) return computerName(player.computer);
  return player?.username ?? otherwise;
}

/** Bot accounts seen with their computer mark: live events' texts carry account names, people read "Computer (easy)". */
const computerNames = new Map<string, string>();

export function rememberComputers(players: ReadonlyArray<{ username?: string | null; computer?: ComputerLevel } | null | undefined>): void {
  for (const player of players) if (player?.computer && player.username) computerNames.set(player.username, computerName(player.computer));
}

/** A username as people read it: a computer player's (seen before) as its level. */
export const shownName = (username: string): string => computerNames.get(username) ?? username;

/** The match as the player reads it: the computer's seat under its name rather than its bot account's. */
export function withComputerName(match: MatchObject, myId: number): MatchObject {
  const game = computerGameOf(match);
  if (!game) return match;
  const rename = (team: MatchObject['teams']['a']) => ({
    ...team,
    players: team.players.map((p) => (p.id === myId ? p : { ...p, username: computerName(game.level) })),
  });
  return { ...match, teams: { a: rename(match.teams.a), b: rename(match.teams.b) } };
}

/** The computer's user id in this computer game. */
export function computerIdOf(match: MatchObject, myId: number): number | null {
  if (!computerGameOf(match)) return null;
  return [...match.teams.a.players, ...match.teams.b.players].find((p) => p.id !== myId)?.id ?? null;
}

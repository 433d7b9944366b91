import type { MatchObject, RankedEntry, StatsRow, TeamLetter } from '../../api/types';
import { HISTORY_WINDOW } from './load';

export { HISTORY_WINDOW };

/**
 * What the statistics charts draw, computed from what the API already answers:
 * `GET /api/users/me/stats/` (all-time counters per mode), `GET /api/users/me/stats/ranked/`
 * (trophy total after each ranked match) and the match history `GET /api/game/matches/<id>/`
 * (dates, modes, results and team scores), the last {@link HISTORY_WINDOW} matches of it.
 * Pure functions: the fetching is in load.ts (in the initial bundle; this module is not).
 */

const DAY = 864e5;

export const MODE_NAMES: Record<string, string> = {
  global: 'All modes',
  clash: 'Clash',
  duel: 'Duel',
  ranked: 'Ranked',
  tournament: 'Tournament',
  custom_game: 'Custom',
};
/** The order modes are listed in (custom games last: they stay out of the statistics). */
const MODE_ORDER = ['clash', 'duel', 'ranked', 'tournament', 'custom_game'];

export const modeName = (mode: string) => MODE_NAMES[mode] ?? mode;

/** The side `myId` played on. */
export function sideOf(match: MatchObject, myId: number): TeamLetter {
  return match.teams.a.players.some((p) => p.id === myId) ? 'a' : 'b';
}

const finishedOnly = (matches: MatchObject[]) => matches.filter((m) => m.finished && m.winner);

// ---------------------------------------------------------------- goals per mode

export interface ModeGoals {
  mode: string;
  matches: number;
  /** Goals of my team (the recorded team score: a forfeit counts as recorded). */
  goalsFor: number;
  goalsAgainst: number;
}

/** Goals for and against per mode over the given matches; only modes played, in a fixed order. */
export function goalsPerMode(matches: MatchObject[], myId: number): ModeGoals[] {
  const byMode = new Map<string, ModeGoals>();
  for (const match of finishedOnly(matches)) {
    const mine = sideOf(match, myId);
    const other = mine === 'a' ? 'b' : 'a';
    const row = byMode.get(match.game_mode) ?? { mode: match.game_mode, matches: 0, goalsFor: 0, goalsAgainst: 0 };
    row.matches += 1;
    row.goalsFor += match.teams[mine].score;
    row.goalsAgainst += match.teams[other].score;
    byMode.set(match.game_mode, row);
  }
  const rank = (mode: string) => (MODE_ORDER.includes(mode) ? MODE_ORDER.indexOf(mode) : MODE_ORDER.length);
  return [...byMode.values()].sort((x, y) => rank(x.mode) - rank(y.mode));
}

// ---------------------------------------------------------------- win rate per mode

export interface ModeWinRate {
  mode: string;
  played: number;
  wins: number;
  losses: number;
  /** Percentage 0–100, rounded to one decimal; null when nothing was played. */
  rate: number | null;
}

/** Win rate per statistics row (all time): `global` first, then clash, duel, ranked, tournament. */
export function winRates(rows: StatsRow[]): ModeWinRate[] {
  return rows.map((row) => ({
    mode: row.game_mode,
    played: row.game_played,
    wins: row.wins,
    losses: Math.max(0, row.game_played - row.wins),
    rate: row.game_played > 0 ? Math.round((row.wins / row.game_played) * 1000) / 10 : null,
  }));
}

// ---------------------------------------------------------------- wins and losses over time

export type BucketUnit = 'day' | 'week' | 'month';

export interface Bucket {
  /** Start of the bucket, local time, in ms. */
  start: number;
  label: string;
  wins: number;
  losses: number;
}

const two = (n: number) => String(n).padStart(2, '0');
/** `2025-05-12` in local time. */
export const dayKey = (t: number) => {
  const d = new Date(t);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
};

function bucketStart(t: number, unit: BucketUnit): number {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  if (unit === 'week') d.setDate(d.getDate() - ((d.getDay() + 6) % 7)); // Monday
  if (unit === 'month') d.setDate(1);
  return d.getTime();
}

export function bucketLabel(start: number, unit: BucketUnit): string {
  if (unit === 'month') return dayKey(start).slice(0, 7);
  if (unit === 'week') return `week of ${dayKey(start)}`;
  return dayKey(start);
}

/** The unit that keeps a span readable: days up to 6 weeks, weeks up to a year, then months. */
export function unitFor(spanMs: number): BucketUnit {
  if (spanMs <= 42 * DAY) return 'day';
  if (spanMs <= 366 * DAY) return 'week';
  return 'month';
}

export interface WinsOverTime {
  unit: BucketUnit;
  /** Every bucket from the first match (at least {@link MIN_BUCKETS} back) to now or the last match, empty ones included. */
  buckets: Bucket[];
}

const MIN_BUCKETS = 7;

/** Wins and losses per day (week, month) of finished matches, all modes (custom games included). */
export function winsLossesOverTime(matches: MatchObject[], myId: number, now = Date.now()): WinsOverTime {
  const done = finishedOnly(matches).map((m) => ({ t: Date.parse(m.created_at), won: m.winner === sideOf(m, myId) }));
  if (done.length === 0) return { unit: 'day', buckets: [] };
  const first = Math.min(...done.map((m) => m.t));
  const last = Math.max(now, ...done.map((m) => m.t));
  const unit = unitFor(last - first);
  const byStart = new Map<number, Bucket>();
  for (let s = bucketStart(last, unit), n = 0; s >= bucketStart(first, unit) || n < MIN_BUCKETS; n++) {
    byStart.set(s, { start: s, label: bucketLabel(s, unit), wins: 0, losses: 0 });
    // One step back: the start of the bucket holding the instant just before this one.
    s = bucketStart(s - 1, unit);
  }
  for (const m of done) {
    const bucket = byStart.get(bucketStart(m.t, unit))!;
    if (m.won) bucket.wins += 1;
    else bucket.losses += 1;
  }
  const buckets = [...byStart.values()].sort((x, y) => x.start - y.start);
  return { unit, buckets };
}

// ---------------------------------------------------------------- trophies

export interface TrophyPoint {
  /** ms */
  t: number;
  total: number;
  /** The change the ranked match made; null for the account's starting entry. */
  change: number | null;
}

/**
 * The trophy total after each ranked entry, in the API's order (oldest first: the order the totals
 * were computed in); the account's 0/0 starting entry, when in the window, has no change.
 */
export function trophyPoints(entries: RankedEntry[]): TrophyPoint[] {
  return entries.map((e, i) => ({
    t: Date.parse(e.at),
    total: e.total_trophies,
    // What the match did to the total: an entry's own `trophies` is the unfloored change (-20 for a loss at 0).
    change: i === 0 ? (e.trophies === 0 && e.total_trophies === 0 ? null : e.trophies) : e.total_trophies - entries[i - 1].total_trophies,
  }));
}

/** `12/05/2025 14:03` in local time. */
export function dateTimeLabel(t: number): string {
  const d = new Date(t);
  return `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

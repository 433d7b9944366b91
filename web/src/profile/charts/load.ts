import { api, fetchAllPages } from '../../api/client';
import type { MatchObject, Page, RankedEntry, StatsRow } from '../../api/types';

/** Everything the statistics tab draws, read from the public API (no endpoint of its own). */
export interface StatsData {
  rows: StatsRow[];
  /** The last {@link HISTORY_WINDOW} ranked entries, oldest first. */
  ranked: RankedEntry[];
  /** The last {@link HISTORY_WINDOW} finished matches, newest first. */
  matches: MatchObject[];
}

/** How many of the most recent matches (and ranked entries) the charts read. */
export const HISTORY_WINDOW = 200;
const PAGE = 100;

/** The last `n` entries of the ranked history (oldest first): the first page tells the count, then only the tail is read. */
async function lastRanked(n: number): Promise<RankedEntry[]> {
  const first = await api<Page<RankedEntry>>('GET', `/api/users/me/stats/ranked/?limit=${PAGE}&offset=0`);
  if (!first.ok) return [];
  const { count, results } = first.data;
  if (count <= PAGE) return results;
  const start = Math.max(0, count - n);
  const head = start < PAGE ? results.slice(start) : [];
  const tail = await fetchAllPages<RankedEntry>(`/api/users/me/stats/ranked/?limit=${PAGE}&offset=${Math.max(PAGE, start)}`);
  return [...head, ...tail].slice(-n);
}

export async function loadStatsData(myId: number): Promise<StatsData> {
  const [rows, ranked, matches] = await Promise.all([
    api<StatsRow[]>('GET', '/api/users/me/stats/').then((r) => (r.ok ? r.data : [])),
    lastRanked(HISTORY_WINDOW),
    fetchAllPages<MatchObject>(`/api/game/matches/${myId}/?limit=${PAGE}&offset=0`, (items) => items.length >= HISTORY_WINDOW),
  ]);
  return { rows, ranked, matches: matches.slice(0, HISTORY_WINDOW) };
}

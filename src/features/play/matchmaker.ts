import { RANKED_WINDOW, RANKED_WINDOW_GROWTH_PER_SECOND, RANKED_WINDOW_MAX } from './messages.js';

/** What the pairing needs of a queue entry. */
export interface WaitingEntry {
  id: number;
  user_id: number;
  game_mode: string;
  trophies: number;
  join_ms: number;
}

/** A found match: `newer` entered last and plays team a. */
export interface Pair<E extends WaitingEntry = WaitingEntry> {
  newer: E;
  older: E;
}

/** The ranked window of an entry that has waited `waitMs`, given how fast it widens. */
export type RankedWindow = (waitMs: number) => number;

/**
 * ±50, widening by `growthPerSecond` each full second waited, up to ±300.
 * By default the window is fixed (growth 0);
 * `RANKED_WINDOW_GROWTH_PER_SECOND` lets an operator widen it.
 */
export function rankedWindowOf(growthPerSecond: number): RankedWindow {
  return (waitMs) => Math.min(RANKED_WINDOW + growthPerSecond * Math.floor(Math.max(0, waitMs) / 1000), RANKED_WINDOW_MAX);
}

/** The widening window (10 a second) the unit tests exercise; the default configuration is fixed. */
export const rankedWindow: RankedWindow = rankedWindowOf(RANKED_WINDOW_GROWTH_PER_SECOND);
export const fixedRankedWindow: RankedWindow = rankedWindowOf(0);

const byJoin = (a: WaitingEntry, b: WaitingEntry) => a.join_ms - b.join_ms || a.id - b.id;

/** duel: first come, first served — each entry takes the one that has waited longest. */
export function pairDuel<E extends WaitingEntry>(entries: E[]): Pair<E>[] {
  const ordered = [...entries].sort(byJoin);
  const pairs: Pair<E>[] = [];
  for (let i = 0; i + 1 < ordered.length; i += 2) pairs.push({ older: ordered[i], newer: ordered[i + 1] });
  return pairs;
}

/**
 * ranked: entries are replayed in the order they arrived; each one takes,
 * among the entries still waiting before it, the one with the closest
 * trophies that is in range (ties: the one that waited longest). A pair is
 * in range when the difference is within the window of the older entry,
 * which widens with its wait. Waiting entries are kept sorted by trophies
 * and searched outwards from the newcomer's position, so one pass costs
 * O(n log n) plus the few out-of-range neighbours looked at.
 */
export function pairRanked<E extends WaitingEntry>(entries: E[], now: number, window: RankedWindow = rankedWindow): Pair<E>[] {
  const ordered = [...entries].sort(byJoin);
  const waiting: E[] = [];
  const pairs: Pair<E>[] = [];
  const lowerBound = (trophies: number) => {
    let lo = 0;
    let hi = waiting.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (waiting[mid].trophies < trophies) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (const entry of ordered) {
    const at = lowerBound(entry.trophies);
    let left = at - 1;
    let right = at;
    let partner = -1;
    for (;;) {
      const dl = left >= 0 ? entry.trophies - waiting[left].trophies : Infinity;
      const dr = right < waiting.length ? waiting[right].trophies - entry.trophies : Infinity;
      const distance = Math.min(dl, dr);
      if (distance === Infinity || distance > RANKED_WINDOW_MAX) break;
      // Every waiting entry at this distance, on both sides.
      const group: number[] = [];
      while (left >= 0 && entry.trophies - waiting[left].trophies === distance) group.push(left--);
      while (right < waiting.length && waiting[right].trophies - entry.trophies === distance) group.push(right++);
      for (const index of group) {
        const candidate = waiting[index];
        if (distance > window(now - candidate.join_ms)) continue;
        if (partner === -1 || byJoin(candidate, waiting[partner]) < 0) partner = index;
      }
      if (partner !== -1) break;
    }
    if (partner === -1) {
      // Equal trophies stay in arrival order: insert after the last one.
      let position = at;
      while (position < waiting.length && waiting[position].trophies === entry.trophies) position++;
      waiting.splice(position, 0, entry);
    } else {
      pairs.push({ newer: entry, older: waiting[partner] });
      waiting.splice(partner, 1);
    }
  }
  return pairs;
}

/** Every pair one matchmaker pass creates, duel and ranked entries never mixed. */
export function pairAll<E extends WaitingEntry>(entries: E[], now: number, window: RankedWindow = rankedWindow): Pair<E>[] {
  return [
    ...pairDuel(entries.filter((e) => e.game_mode === 'duel')),
    ...pairRanked(entries.filter((e) => e.game_mode === 'ranked'), now, window),
  ];
}

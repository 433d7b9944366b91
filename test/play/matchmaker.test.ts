import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pairAll, pairDuel, pairRanked, rankedWindow, type WaitingEntry } from '../../src/features/play/matchmaker.js';
import { propertySeed } from '../support/property.js';

let nextId = 1;
const entry = (trophies: number, join_ms: number, game_mode = 'ranked'): WaitingEntry => ({ id: nextId++, user_id: nextId + 1000, game_mode, trophies, join_ms });
const ids = (pairs: { newer: WaitingEntry; older: WaitingEntry }[]) => pairs.map((p) => [p.newer.trophies, p.older.trophies]);

describe('the ranked window', () => {
  it('is ±50 on entry, widens by 10 a full second waited, up to ±300', () => {
    expect([0, 999, 1000, 4999, 5000, 25_000, 3_600_000].map(rankedWindow)).toEqual([50, 50, 60, 90, 100, 300, 300]);
  });
});

describe('pairing', () => {
  it('pairs the closest entry in range, the newcomer in team a', () => {
    const a = entry(1000, 0);
    const b = entry(900, 0);
    expect(pairRanked([a, b], 0)).toEqual([]);
    const c = entry(870, 1);
    expect(ids(pairRanked([a, b, c], 1))).toEqual([[870, 900]]);
    const a2 = entry(1000, 0);
    const b2 = entry(949, 0);
    const c2 = entry(960, 1);
    expect(ids(pairRanked([a2, b2, c2], 1))).toEqual([[960, 949]]);
  });

  it('breaks ties by the longest wait and widens with the older entry\'s wait', () => {
    const early = entry(1040, 0);
    const late = entry(960, 500);
    const newcomer = entry(1000, 900);
    expect(pairRanked([early, late, newcomer], 900)[0].older).toBe(early);
    const x = entry(1000, 0);
    const y = entry(1100, 10);
    expect(pairRanked([x, y], 4999)).toEqual([]);
    expect(pairRanked([x, y], 5000)).toEqual([{ newer: y, older: x }]);
  });

  it('duels: first come, first served; never mixes the modes', () => {
    const d = [entry(0, 3, 'duel'), entry(5000, 1, 'duel'), entry(10, 2, 'duel')];
    expect(pairDuel(d).map((p) => [p.older.join_ms, p.newer.join_ms])).toEqual([[1, 2]]);
    expect(pairAll([entry(100, 0, 'duel'), entry(100, 1, 'ranked')], 1)).toEqual([]);
  });

  it('never uses an entry twice and only pairs entries within the window of the older one', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ trophies: fc.integer({ min: 0, max: 2000 }), join: fc.integer({ min: 0, max: 30_000 }) }), { maxLength: 200 }),
      fc.integer({ min: 0, max: 40_000 }),
      (raw, later) => {
        const entries = raw.map((r) => entry(r.trophies, r.join));
        const now = Math.max(0, ...raw.map((r) => r.join)) + later;
        const pairs = pairRanked(entries, now);
        const used = pairs.flatMap((p) => [p.newer.id, p.older.id]);
        expect(new Set(used).size).toBe(used.length);
        for (const { newer, older } of pairs) {
          expect(older.join_ms <= newer.join_ms).toBe(true);
          expect(Math.abs(newer.trophies - older.trophies)).toBeLessThanOrEqual(rankedWindow(now - older.join_ms));
        }
        // Whoever is left is out of range of everyone else left.
        const left = entries.filter((e) => !used.includes(e.id));
        for (const p of left) for (const q of left) {
          if (p === q) continue;
          const older = p.join_ms <= q.join_ms ? p : q;
          expect(Math.abs(p.trophies - q.trophies)).toBeGreaterThan(rankedWindow(now - older.join_ms));
        }
      },
    ), { numRuns: 200, seed: propertySeed() });
  });
});

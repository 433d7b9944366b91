import { describe, expect, it } from 'vitest';
import {
  firstRound, launchKindOf, nextRoundPairs, seedOrder, slotOf, stagesFor, startThreshold,
} from '../../src/features/tournament/bracket.js';
import { finishReasonSuffix } from '../../src/features/tournament/messages.js';

describe('rounds, thresholds and slots', () => {
  it('names the rounds of each size, first round first', () => {
    expect(stagesFor(4)).toEqual([{ label: 'semi-final', stage: 1 }, { label: 'final', stage: 0 }]);
    expect(stagesFor(8).map((s) => s.label)).toEqual(['quarter-final', 'semi-final', 'final']);
    expect(stagesFor(16).map((s) => [s.label, s.stage])).toEqual([['round-of-16', 3], ['quarter-final', 2], ['semi-final', 1], ['final', 0]]);
  });

  it('starts the countdown at ceil(0.8 x size)', () => {
    expect([4, 8, 16].map(startThreshold)).toEqual([4, 7, 13]);
  });

  it('numbers the first-round pairs by the seeding table', () => {
    const table = (size: number) => Array.from({ length: size / 2 }, (_, i) => slotOf(size, i + 1));
    expect(table(4)).toEqual([1, 2]);
    expect(table(8)).toEqual([1, 3, 4, 2]);
    expect(table(16)).toEqual([1, 5, 7, 3, 4, 8, 6, 2]);
  });
});

describe('the first round at every fill level', () => {
  const byN = (size: number, count: number) =>
    firstRound(size, count).sort((a, b) => a.n - b.n).map((s) => [s.seed1, s.seed2]);

  it('full brackets: 1v4 2v3; 1v8 4v5 2v7 3v6; 1v16 8v9 4v13 5v12 2v15 7v10 3v14 6v11', () => {
    expect(byN(4, 4)).toEqual([[1, 4], [2, 3]]);
    expect(byN(8, 8)).toEqual([[1, 8], [4, 5], [2, 7], [3, 6]]);
    expect(byN(16, 16)).toEqual([[1, 16], [8, 9], [4, 13], [5, 12], [2, 15], [7, 10], [3, 14], [6, 11]]);
  });

  it('gives the missing seeds\' opponents a bye, best seeds first, for every count from 1 to size', () => {
    for (const size of [4, 8, 16]) {
      for (let count = 1; count <= size; count++) {
        const slots = firstRound(size, count);
        expect(slots.map((s) => s.pair)).toEqual(Array.from({ length: size / 2 }, (_, i) => i + 1));
        expect(new Set(slots.map((s) => s.n)).size).toBe(size / 2);
        const byes = slots.filter((s) => s.seed2 === null).map((s) => s.seed1);
        const expectedByes = Math.min(size / 2, size - count);
        expect(byes).toEqual(Array.from({ length: expectedByes }, (_, i) => i + 1));
        // Every present seed appears exactly once.
        const seeds = slots.flatMap((s) => [s.seed1, s.seed2]).filter((x): x is number => x !== null && x <= count);
        expect(seeds.sort((a, b) => a - b)).toEqual(Array.from({ length: Math.min(count, size) }, (_, i) => i + 1).filter((s) => s <= count));
      }
    }
    expect(byN(8, 7)[0]).toEqual([1, null]);
    expect(byN(16, 13).filter(([, b]) => b === null).map(([a]) => a)).toEqual([1, 2, 3]);
  });
});

describe('seeding and the next rounds', () => {
  it('orders by trophies, highest first, ties in one random draw', () => {
    const records = [{ userId: 1, trophies: 10 }, { userId: 2, trophies: 30 }, { userId: 3, trophies: 20 }, { userId: 4, trophies: 20 }];
    const first = seedOrder(records, () => 0).map((r) => r.userId);
    expect([first[0], first[3]]).toEqual([2, 1]);
    const order = seedOrder(records, () => 0.99).map((r) => r.userId);
    expect(order[0]).toBe(2);
    expect(order[3]).toBe(1);
    expect(order.slice(1, 3).sort()).toEqual([3, 4]);
    expect(records.map((r) => r.userId)).toEqual([1, 2, 3, 4]);
  });

  it('pairs the current round by n: winners of 1 and 2 meet, a slot without winner stays empty', () => {
    expect(nextRoundPairs([{ n: 2, winner: 5 }, { n: 1, winner: 1 }, { n: 4, winner: 3 }, { n: 3, winner: null }])).toEqual([
      { user1: 1, user2: 5 }, { user1: null, user2: 3 },
    ]);
  });

  it('decides how a bracket match is launched: game, walkover, bye or no game', () => {
    expect(launchKindOf(1, 2, true)).toBe('game');
    expect(launchKindOf(1, 2, false)).toBe('walkover');
    expect(launchKindOf(null, 2, false)).toBe('walkover');
    expect(launchKindOf(1, null, true)).toBe('bye');
    expect(launchKindOf(1, null, false)).toBe('no-game');
    expect(launchKindOf(null, null, false)).toBe('no-game');
  });

  it('words each finish reason as tournament-match-finish shows it', () => {
    expect(finishReasonSuffix('normal-end')).toBe('');
    expect(finishReasonSuffix('player-disconnect')).toBe(' (obviously the other player gave up the game)');
    expect(finishReasonSuffix('players-timeout')).toBe(' (obviously he played against nobody, not too complicated to win)');
    expect(finishReasonSuffix('player-not-connected')).toBe(finishReasonSuffix('players-timeout'));
  });
});

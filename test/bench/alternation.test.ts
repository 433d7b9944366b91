import { describe, expect, it } from 'vitest';
import { alternate, median, MIN_PAIRS } from '../../bench/support/alternation.js';

/**
 * A fake load generator on a virtual clock: every round takes one unit of
 * time, the machine's speed drifts while the benchmark runs, and the subject
 * always does `TRUE_RATIO` of what the baseline does at the same moment.
 */
const TRUE_RATIO = 0.45;

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function fakeMachine(speedAt: (t: number) => number, noise: () => number) {
  let t = 0;
  const round = (share: number) => async () => {
    const perSecond = speedAt(t) * share * (1 + (noise() - 0.5) * 0.04);
    t += 1;
    return { perSecond };
  };
  return { baseline: round(1), subject: round(TRUE_RATIO) };
}

/** What the benchmarks did before: the baseline for N rounds, then the subject for N rounds, one ratio of the totals. */
async function singlePass(machine: ReturnType<typeof fakeMachine>, rounds: number): Promise<number> {
  let base = 0;
  let subject = 0;
  for (let i = 0; i < rounds; i++) base += (await machine.baseline()).perSecond;
  for (let i = 0; i < rounds; i++) subject += (await machine.subject()).perSecond;
  return subject / base;
}

const drifts: Record<string, (t: number) => number> = {
  // The machine slows down by a third over the run (neighbours start a build).
  'a steady slow-down': (t) => 20_000 * (1 - t / 30),
  // Twice as fast after the first quarter (neighbours finish).
  'a step up': (t) => (t < 4 ? 10_000 : 20_000),
  // Waves of load coming and going.
  'waves': (t) => 15_000 * (1 + 0.4 * Math.sin(t / 2)),
};

describe('alternate (bench/support/alternation.ts)', () => {
  for (const [name, speedAt] of Object.entries(drifts)) {
    it(`reports the true ratio within 5 % under ${name}, where one baseline-then-subject pass is off by more`, async () => {
      const alternated = await alternate(
        { baseline: fakeMachine(speedAt, seeded(1)).baseline, subjects: {} },
        { random: seeded(2) },
      ).catch((error: Error) => error);
      expect(alternated).toBeInstanceOf(Error);

      const machine = fakeMachine(speedAt, seeded(7));
      const result = await alternate({ baseline: machine.baseline, subjects: { subject: machine.subject } }, { random: seeded(3), loadAverage: () => [1, 2, 3] });
      const { median: reported, min, max, ratios } = result.ratios.subject;
      expect(ratios).toHaveLength(result.pairs);
      expect(result.pairs).toBeGreaterThanOrEqual(MIN_PAIRS);
      expect(Math.abs(reported / TRUE_RATIO - 1)).toBeLessThan(0.05);
      expect(min).toBeLessThanOrEqual(reported);
      expect(max).toBeGreaterThanOrEqual(reported);
      expect(result.load).toEqual({ before: [1, 2, 3], after: [1, 2, 3] });

      const naive = await singlePass(fakeMachine(speedAt, seeded(7)), result.pairs);
      expect(Math.abs(naive / TRUE_RATIO - 1)).toBeGreaterThan(0.05);
    });
  }

  it('alternates: every subject round sits between two baseline rounds but possibly the first, in a random first order', async () => {
    const log: string[] = [];
    const run = (name: string) => async () => {
      log.push(name);
      return { perSecond: 1 };
    };
    const orders = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) {
      log.length = 0;
      const result = await alternate({ baseline: run('B'), subjects: { x: run('x'), y: run('y') } }, { random: seeded(seed) });
      orders.add(result.firstRound.join(','));
      // Never two baseline rounds in a row, never a subject twice within a round.
      expect(log.join('')).not.toMatch(/BB|xx|yy/);
      expect(log.filter((n) => n === 'x')).toHaveLength(result.pairs);
      expect(log[log.length - 1]).toBe('B');
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it('takes the median of an odd and an even list', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

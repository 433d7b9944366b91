import { loadavg } from 'node:os';

/** What one round of a route measured: its requests (or messages) per second, and whatever else the benchmark keeps. */
export interface Measured {
  perSecond: number;
}

export interface AlternationOptions {
  /** Rounds of each subject, each between two rounds of the baseline (at least 5). */
  pairs?: number;
  /** Decides the order (tests pass a seeded one). */
  random?: () => number;
  /** The machine's load averages (1, 5, 15 min); tests pass a fixed one. */
  loadAverage?: () => number[];
}

export interface RatioSummary {
  /** The median of the per-pair ratios: what a target is judged on. */
  median: number;
  min: number;
  max: number;
  /** Subject / baseline of each pair, in run order. */
  ratios: number[];
}

export interface Alternation<T extends Measured> {
  pairs: number;
  /** The order the first round ran in (`baseline` and the subjects' names). */
  firstRound: string[];
  baseline: T[];
  subjects: Record<string, T[]>;
  ratios: Record<string, RatioSummary>;
  /** The machine's load averages (1, 5, 15 min) before and after: the context of the absolute figures. */
  load: { before: number[]; after: number[] };
}

export const MIN_PAIRS = 5;
export const DEFAULT_PAIRS = 6;

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Runs the baseline and each subject in short alternating rounds, in one
 * invocation, so that a machine whose speed drifts (neighbours, thermal,
 * the garbage collector) slows both alike: one "baseline for 10 s, then the
 * subject for 10 s" measures the neighbours as much as the code.
 *
 * The schedule is B S S… B S S… B…: the baseline runs between every two
 * rounds of the subjects (the subjects' order shuffled each round); whether
 * the first round opens with the baseline or with the subjects is random.
 * A subject's round is compared with the baseline interpolated at its
 * place between the two baseline rounds around it (the one beside it at
 * either end), which cancels a steady drift; the median over the pairs
 * drops the rounds a burst of load spoiled, and min–max shows the spread.
 */
export async function alternate<T extends Measured>(
  runs: { baseline: () => Promise<T>; subjects: Record<string, () => Promise<T>> },
  options: AlternationOptions = {},
): Promise<Alternation<T>> {
  const pairs = Math.max(MIN_PAIRS, options.pairs ?? DEFAULT_PAIRS);
  const random = options.random ?? Math.random;
  const loadAverage = options.loadAverage ?? loadavg;
  const names = Object.keys(runs.subjects);
  if (names.length === 0) throw new Error('alternate: no subject');
  const before = loadAverage();

  const baseline: Array<{ slot: number; result: T }> = [];
  const subjects: Record<string, Array<{ slot: number; result: T }>> = Object.fromEntries(names.map((n) => [n, []]));
  let slot = 0;
  const runBaseline = async () => baseline.push({ slot: slot++, result: await runs.baseline() });
  const subjectsFirst = random() < 0.5;
  let firstRound: string[] = [];
  if (!subjectsFirst) await runBaseline();
  for (let round = 0; round < pairs; round++) {
    const order = shuffled(names, random);
    if (round === 0) firstRound = subjectsFirst ? [...order, 'baseline'] : ['baseline', ...order];
    for (const name of order) subjects[name].push({ slot: slot++, result: await runs.subjects[name]() });
    await runBaseline();
  }

  const baselineAt = (at: number): number => {
    const after = baseline.findIndex((b) => b.slot > at);
    if (after === -1) return baseline[baseline.length - 1].result.perSecond;
    if (after === 0) return baseline[0].result.perSecond;
    const [a, b] = [baseline[after - 1], baseline[after]];
    return a.result.perSecond + ((b.result.perSecond - a.result.perSecond) * (at - a.slot)) / (b.slot - a.slot);
  };
  const ratios = Object.fromEntries(names.map((name) => {
    const list = subjects[name].map((s) => {
      const base = baselineAt(s.slot);
      return base > 0 ? s.result.perSecond / base : 0;
    });
    return [name, { median: median(list), min: Math.min(...list), max: Math.max(...list), ratios: list }];
  }));
  return {
    pairs, firstRound,
    baseline: baseline.map((b) => b.result),
    subjects: Object.fromEntries(names.map((n) => [n, subjects[n].map((s) => s.result)])),
    ratios,
    load: { before, after: loadAverage() },
  };
}

const round2 = (n: number) => Number(n.toFixed(2));

/**
 * One subject's line of a report: the median ratio with its spread, the
 * median requests/s of the subject and of the baseline (this machine's
 * figures, for context), and whether the median meets the target.
 */
export function ratioLine<T extends Measured>(result: Alternation<T>, name: string, target?: number) {
  const r = result.ratios[name];
  return {
    medianRatio: round2(r.median),
    spread: [round2(r.min), round2(r.max)] as [number, number],
    perSecond: Math.round(median(result.subjects[name].map((s) => s.perSecond))),
    baselinePerSecond: Math.round(median(result.baseline.map((s) => s.perSecond))),
    ...(target === undefined ? {} : { target, pass: r.median >= target }),
  };
}

/** The load averages, rounded, for a report. */
export function loadLine(result: Alternation<Measured>) {
  return { before: result.load.before.map(round2), after: result.load.after.map(round2) };
}

/**
 * Pure tournament arithmetic:
 * thresholds, rounds and their names, seeding, the first round with its
 * byes, and the pairing of the next round. No I/O.
 */

/** Round labels by number: `final` 0 … `round-of-16` 3. */
export const STAGE_LABELS = ['final', 'semi-final', 'quarter-final', 'round-of-16'] as const;
export type StageLabel = (typeof STAGE_LABELS)[number];

export interface StagePlan {
  label: StageLabel;
  stage: number;
}

/** The rounds of a tournament of `size` players, the first round first (highest number). */
export function stagesFor(size: number): StagePlan[] {
  const count = Math.round(Math.log2(size));
  const stages: StagePlan[] = [];
  for (let stage = count - 1; stage >= 0; stage--) stages.push({ label: STAGE_LABELS[stage], stage });
  return stages;
}

/** The countdown threshold: ceil(0.8 x size), i.e. 4, 7 and 13. */
export function startThreshold(size: number): number {
  return Math.ceil(0.8 * size);
}

/**
 * The match number of first-round pair i (1-based): the
 * slots of the usual seeded bracket, so that pairing by number gives
 * 1/16–8/9, 4/13–5/12, 2/15–7/10, 3/14–6/11.
 */
export function slotOf(size: number, pair: number): number {
  const order = bracketOrder(size / 2);
  const n = order.indexOf(pair) + 1;
  if (n <= 0) throw new Error(`pair ${pair} out of range for size ${size}`);
  return n;
}

/** The standard bracket order of the top `half` seeds: [1, 2] → [1, 4, 2, 3] → [1, 8, 4, 5, 2, 7, 3, 6] → … */
function bracketOrder(half: number): number[] {
  let order = [1];
  while (order.length < half) {
    const length = order.length * 2;
    order = order.flatMap((seed) => [seed, length + 1 - seed]);
  }
  return order;
}

export interface Seedable {
  userId: number;
  trophies: number;
}

/**
 * The seeding: highest trophies first; ties in a random order drawn once
 * (a shuffle, then a stable sort). `random` returns [0, 1).
 */
export function seedOrder<T extends Seedable>(records: T[], random: () => number = Math.random): T[] {
  const shuffled = [...records];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  return shuffled.sort((a, b) => b.trophies - a.trophies);
}

export interface FirstRoundSlot {
  /** Pair index i (launch order), 1-based. */
  pair: number;
  n: number;
  /** Seed numbers; `seed2` null for a bye. */
  seed1: number;
  seed2: number | null;
}

/** The first round: seed i meets seed size+1−i; a missing seed gives seed i a bye. `count` = number of records. */
export function firstRound(size: number, count: number): FirstRoundSlot[] {
  const slots: FirstRoundSlot[] = [];
  for (let i = 1; i <= size / 2; i++) {
    const other = size + 1 - i;
    slots.push({ pair: i, n: slotOf(size, i), seed1: i, seed2: other <= count ? other : null });
  }
  return slots;
}

/** The match-number counter after the first round (the number of its last pair); later matches take the next values in creation order. */
export const FIRST_COUNTER = 2;

export interface Decided {
  n: number;
  winner: number | null;
}

/** The next round: the current round's matches sorted by `n`, paired in that order; each pair gives (user_1, user_2) of a next-round match. */
export function nextRoundPairs(round: Decided[]): Array<{ user1: number | null; user2: number | null }> {
  const ordered = [...round].sort((a, b) => a.n - b.n);
  const pairs: Array<{ user1: number | null; user2: number | null }> = [];
  for (let i = 0; i + 1 < ordered.length; i += 2) pairs.push({ user1: ordered[i].winner, user2: ordered[i + 1].winner });
  return pairs;
}

export type LaunchKind = 'game' | 'walkover' | 'bye' | 'no-game';

/**
 * What launching a bracket match does. `in1` / `in2`: whether that
 * slot's player is still in (not eliminated).
 */
export function launchKindOf(user1: number | null, user2: number | null, in1: boolean): LaunchKind {
  if (user2 !== null && (user1 === null || !in1)) return 'walkover';
  if (user2 !== null) return 'game';
  if (user1 !== null && in1) return 'bye';
  return 'no-game';
}

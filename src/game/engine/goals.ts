import type { Layout } from './layout.js';
import type { Ball, PaddleSlot, Team } from './state.js';

/** A goal needs the whole ball past a goal line; team a defends the right one. */
export function scoringTeam(layout: Layout, ball: Ball): Team | null {
  if (ball.x + layout.ballSize < 0) return 'a';
  if (ball.x > layout.width) return 'b';
  return null;
}

export interface GoalCredit {
  /** The player the goal is reported for. */
  readonly scorer: PaddleSlot;
  /** True when `scorer` belongs to the conceding team. */
  readonly ownGoal: boolean;
}

/**
 * The last player to touch the ball gets the goal, or concedes an own
 * goal if he defends the goal it went into; an untouched serve is credited to
 * the scoring team's first listed player.
 */
export function creditGoal(scoring: Team, lastToucher: PaddleSlot | null): GoalCredit {
  if (!lastToucher) return { scorer: { team: scoring, index: 0 }, ownGoal: false };
  return { scorer: lastToucher, ownGoal: lastToucher.team !== scoring };
}

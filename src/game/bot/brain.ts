import { clampPaddleY, predictCrossing, type Ball, type Direction, type Layout } from '../engine/index.js';

/**
 * How well a bot plays: it sees the ball `reactionMs` late, aims up to
 * `aimError` units off the point where the ball will cross its paddle, and
 * does not bother moving for less than `deadZone` units.
 */
export interface BotSkill {
  readonly reactionMs: number;
  readonly aimError: number;
  readonly deadZone: number;
}

export const BOT_LEVELS = {
  /** Misses often: late and imprecise. */
  easy: { reactionMs: 250, aimError: 140, deadZone: 20 },
  medium: { reactionMs: 120, aimError: 70, deadZone: 12 },
  /** Returns almost everything. */
  hard: { reactionMs: 0, aimError: 0, deadZone: 6 },
} as const satisfies Record<string, BotSkill>;

export type BotLevel = keyof typeof BOT_LEVELS;

/**
 * Where the bot wants its paddle's top, in its own perspective (its paddle on
 * the right): under the ball's predicted crossing when the ball comes towards
 * it, back to the centre otherwise. `aimOffset` shifts the aim (the skill's error).
 */
export function targetPaddleY(layout: Layout, ball: Ball, paddleX: number, aimOffset: number): number {
  const crossing = ball.speedX > 0 ? predictCrossing(layout, ball, paddleX - layout.ballSize) : null;
  const centre = (layout.height - layout.paddleHeight) / 2;
  if (!crossing) return centre;
  return clampPaddleY(layout, crossing.y + layout.ballSize / 2 - layout.paddleHeight / 2 + aimOffset, false);
}

/** Which way to move from `currentY` towards `targetY`. */
export function steer(currentY: number, targetY: number, deadZone: number): Direction {
  const gap = targetY - currentY;
  if (Math.abs(gap) <= deadZone) return 0;
  return gap < 0 ? -1 : 1;
}

/**
 * How long a paddle moving at `paddleSpeed` takes from `currentY` to `targetY`, in ms: a bot stops itself
 * then rather than at its next look at the ball. Looks can come further apart than the dead zone is wide
 * (30 a second on the compact encoding, 20 on a 50 ms patch rate), and a paddle that turns back at every
 * look shakes around its target.
 */
export function arrivalMs(currentY: number, targetY: number, paddleSpeed: number): number {
  return (Math.abs(targetY - currentY) / paddleSpeed) * 1000;
}

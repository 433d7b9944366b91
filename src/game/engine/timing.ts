import type { Layout } from './layout.js';
import type { Ball, GameState } from './state.js';

/**
 * The safe zone: the central region a ball cannot leave towards a paddle or a wall
 * within one slow tick, so a 1v1 server may simulate it at the safe rate.
 */
export function isInSafeZone(layout: Layout, ball: Ball): boolean {
  const halfWidth = layout.width / 2;
  const halfHeight = layout.height / 2;
  return (
    Math.abs(ball.x - halfWidth) < halfWidth - (layout.ledgeOffset + 3 * layout.paddleWidth) &&
    Math.abs(ball.y - halfHeight) < halfHeight - 3 * layout.ballSize
  );
}

/** Ticks per second to use for the next tick, chosen from where the ball is now. */
export function tickRate(state: GameState): number {
  const { layout } = state;
  return layout.slowsDownInSafeZone && isInSafeZone(layout, state.ball) ? layout.safeTickRate : layout.baseTickRate;
}

/**
 * The `game_state` cadence: publish on every tick for the first 11 ticks of a point and of the
 * 12 ticks that start with a paddle contact, then every other tick.
 */
export function shouldPublish(publishCounter: number): boolean {
  return publishCounter <= 10 || publishCounter % 2 === 0;
}

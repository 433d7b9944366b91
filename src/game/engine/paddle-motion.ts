import type { Layout } from './layout.js';
import type { Paddle } from './state.js';

/**
 * Where a paddle may stand: inside the canvas, and while the ball
 * glides beside it at least one ball size away from either wall, so it can
 * never squeeze the ball against a wall.
 */
export function paddleRange(layout: Layout, gliding: boolean): { readonly min: number; readonly max: number } {
  const margin = gliding ? layout.ballSize : 0;
  return { min: margin, max: layout.height - layout.paddleHeight - margin };
}

export function clampPaddleY(layout: Layout, y: number, gliding: boolean): number {
  const { min, max } = paddleRange(layout, gliding);
  return Math.min(Math.max(y, min), max);
}

/** The clamps apply on every tick, even to a paddle standing still. */
export function movePaddle(layout: Layout, paddle: Paddle, dt: number): Paddle {
  const moved = paddle.y + paddle.direction * layout.paddleSpeed * dt;
  return { ...paddle, y: clampPaddleY(layout, moved, paddle.gliding) };
}

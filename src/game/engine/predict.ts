import type { Layout } from './layout.js';
import type { Ball } from './state.js';

export interface Crossing {
  /** Ball top-left y when its top-left x reaches the target. */
  readonly y: number;
  readonly seconds: number;
}

/**
 * Where the ball will be after `seconds` if nothing but the walls is in its
 * way: straight in x, reflected between the walls in y. A continuous
 * approximation of the ticks (the bottom wall's stop-on-contact and
 * paddle hits are ignored), good enough to aim a bot or smooth a drawing.
 */
export function ballPositionAfter(layout: Layout, ball: Ball, seconds: number): { readonly x: number; readonly y: number } {
  return {
    x: ball.x + ball.speedX * seconds,
    y: reflectBetweenWalls(ball.y + ball.speedY * seconds, layout.height - layout.ballSize),
  };
}

/**
 * When and at which height the ball's top-left corner will reach `x`
 * (e.g. `paddle.x - ballSize` for the left face of a right-hand paddle), or
 * null if the ball is not heading there.
 */
export function predictCrossing(layout: Layout, ball: Ball, x: number): Crossing | null {
  const distance = x - ball.x;
  if (distance === 0) return { y: ball.y, seconds: 0 };
  if (ball.speedX === 0 || Math.sign(distance) !== Math.sign(ball.speedX)) return null;
  const seconds = distance / ball.speedX;
  return { y: ballPositionAfter(layout, ball, seconds).y, seconds };
}

/** Folds an unobstructed height back into [0, span], as repeated bounces would. */
function reflectBetweenWalls(y: number, span: number): number {
  if (span <= 0) return 0;
  const period = 2 * span;
  const offset = ((y % period) + period) % period;
  return offset <= span ? offset : period - offset;
}

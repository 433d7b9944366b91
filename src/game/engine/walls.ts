import type { Layout } from './layout.js';
import type { Ball } from './state.js';

export type Wall = 'top' | 'bottom';

/**
 * Wall contacts. The top wall reflects the overshoot, the bottom wall stops the ball
 * on it. The vertical speed is pointed away from the wall rather than merely
 * negated: identical for a ball arriving at the wall, and a ball already
 * leaving it can never be turned back into it.
 */
export function bounceOffWalls(layout: Layout, ball: Ball): { readonly ball: Ball; readonly wall: Wall | null } {
  if (ball.y <= 0) {
    return { ball: { ...ball, y: 0 - ball.y, speedY: Math.abs(ball.speedY) }, wall: 'top' };
  }
  if (ball.y + layout.ballSize >= layout.height) {
    return { ball: { ...ball, y: layout.height - layout.ballSize, speedY: 0 - Math.abs(ball.speedY) }, wall: 'bottom' };
  }
  return { ball, wall: null };
}

import type { Layout } from './layout.js';
import type { Team } from './state.js';

/**
 * Initial positions: team a's first paddle sits `ledgeOffset` inside the right goal line,
 * team b's inside the left one, and team-mates step `paddleOffset` towards
 * the centre, so the first listed player is nearest his own goal.
 */
export function initialPaddleX(layout: Layout, team: Team, index: number): number {
  const fromGoalLine = layout.ledgeOffset + layout.paddleOffset * index;
  return team === 'a' ? layout.width - layout.paddleWidth - fromGoalLine : fromGoalLine;
}

export function centredPaddleY(layout: Layout): number {
  return Math.floor(layout.height / 2 - layout.paddleHeight / 2);
}

export function centreSpot(layout: Layout): { readonly x: number; readonly y: number } {
  return {
    x: Math.floor(layout.width / 2 - layout.ballSize / 2),
    y: Math.floor(layout.height / 2 - layout.ballSize / 2),
  };
}

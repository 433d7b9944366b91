import { collideWithPaddle, type ContactKind } from './paddle-collision.js';
import { movePaddle } from './paddle-motion.js';
import type { Ball, GameState, Paddle, PaddleSlot } from './state.js';
import { bounceOffWalls, type Wall } from './walls.js';

export type PhysicsEvent =
  | { readonly type: 'wall-bounce'; readonly wall: Wall }
  | {
      readonly type: 'paddle-hit';
      readonly paddle: PaddleSlot;
      readonly contact: ContactKind;
      /** Ball speed after the hit. */
      readonly speed: number;
    };

export interface PhysicsStep {
  readonly state: GameState;
  readonly events: readonly PhysicsEvent[];
}

/**
 * Steps 1–4 of the tick for any `dt`: the ball, the paddles, the walls,
 * then every paddle in order. No goals and no cadence, so a client can use it
 * to predict the ball between two `game_state` messages.
 */
export function stepPhysics(state: GameState, dt: number): PhysicsStep {
  const { layout } = state;
  const events: PhysicsEvent[] = [];
  const moved: Ball = {
    ...state.ball,
    x: state.ball.x + state.ball.speedX * dt,
    y: state.ball.y + state.ball.speedY * dt,
  };
  const paddlesMoved = state.paddles.map((paddle) => movePaddle(layout, paddle, dt));

  const walled = bounceOffWalls(layout, moved);
  if (walled.wall) events.push({ type: 'wall-bounce', wall: walled.wall });

  let ball = walled.ball;
  let lastToucher = state.lastToucher;
  const paddles: Paddle[] = [];
  for (const paddle of paddlesMoved) {
    const outcome = collideWithPaddle(layout, ball, paddle);
    ball = outcome.ball;
    paddles.push(outcome.paddle);
    if (outcome.contact) {
      lastToucher = { team: paddle.team, index: paddle.index };
      events.push({ type: 'paddle-hit', paddle: lastToucher, contact: outcome.contact, speed: ball.speed });
    }
  }
  return { state: { ...state, ball, paddles, lastToucher }, events };
}

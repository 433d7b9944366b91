import {
  createGame,
  findPaddle,
  seededRandom,
  startPoint,
  type Ball,
  type GameState,
  type LayoutName,
  type Paddle,
  type PaddleSlot,
} from '../../src/game/engine/index.js';

export const A0: PaddleSlot = { team: 'a', index: 0 };
export const A1: PaddleSlot = { team: 'a', index: 1 };
export const A2: PaddleSlot = { team: 'a', index: 2 };
export const B0: PaddleSlot = { team: 'b', index: 0 };
export const B1: PaddleSlot = { team: 'b', index: 1 };
export const B2: PaddleSlot = { team: 'b', index: 2 };

export function newGame(layout: LayoutName, seed = 1): GameState {
  return createGame({ layout, random: seededRandom(seed) });
}

/** A live point whose next tick integrates `step` seconds. */
export function liveGame(layout: LayoutName, step = 1 / 60, seed = 1): GameState {
  return { ...startPoint(newGame(layout, seed)), nextStepSeconds: step };
}

export function withBall(state: GameState, ball: Partial<Ball>): GameState {
  return { ...state, ball: { ...state.ball, ...ball } };
}

export function withPaddle(state: GameState, slot: PaddleSlot, changes: Partial<Paddle>): GameState {
  const current = findPaddle(state, slot);
  return {
    ...state,
    paddles: state.paddles.map((paddle) => (paddle === current ? { ...paddle, ...changes } : paddle)),
  };
}

export function paddleY(state: GameState, slot: PaddleSlot): number {
  return findPaddle(state, slot).y;
}

/** A ball moving at `speed` along `angle` (radians, y downwards), with a consistent scalar speed. */
export function ballMoving(x: number, y: number, speed: number, angle: number): Ball {
  return { x, y, speedX: speed * Math.cos(angle), speedY: speed * Math.sin(angle), speed };
}

/** A random source that replays the given draws, counting how many were used. */
export function scriptedRandom(values: number[]): (() => number) & { calls: () => number } {
  let used = 0;
  const next = () => {
    const value = values[used % values.length];
    used += 1;
    return value;
  };
  return Object.assign(next, { calls: () => used });
}

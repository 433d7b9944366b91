import type { LayoutName } from './config.js';
import { layoutFor, type Layout } from './layout.js';
import { centredPaddleY, initialPaddleX } from './positions.js';
import type { RandomSource } from './random.js';
import { serveBall } from './serve.js';
import type { GameState, Paddle, Phase, Team } from './state.js';

export interface NewGameOptions {
  readonly layout: LayoutName | Layout;
  /** Draws every serve direction; pass a seeded source to replay a game. */
  readonly random: RandomSource;
}

/** A new game: paddles in place, first ball on the centre spot, waiting for `start_game`. */
export function createGame(options: NewGameOptions): GameState {
  const layout = typeof options.layout === 'string' ? layoutFor(options.layout) : options.layout;
  const teams: readonly Team[] = ['a', 'b'];
  const paddles = teams.flatMap((team) =>
    Array.from({ length: layout.paddlesPerTeam }, (_, index): Paddle => ({
      team,
      index,
      x: initialPaddleX(layout, team, index),
      y: centredPaddleY(layout),
      direction: 0,
      gliding: false,
    })),
  );
  return {
    layout,
    phase: 'ready',
    ball: serveBall(layout, options.random),
    paddles,
    score: { a: 0, b: 0 },
    lastToucher: null,
    publishCounter: 0,
    nextStepSeconds: 0,
    winner: null,
  };
}

/**
 * `start_game`: the ball becomes live. The first tick integrates nothing
 * (dt = 0) and the `game_state` cadence restarts.
 */
export function startPoint(state: GameState): GameState {
  assertPhase(state, 'ready', 'start a point');
  return { ...state, phase: 'live', publishCounter: 0, nextStepSeconds: 0 };
}

/**
 * The reset after a goal: a fresh serve from the centre,
 * every paddle back to the vertical centre, still and not gliding, and nobody
 * has touched the new ball yet.
 */
export function serveNextPoint(state: GameState, random: RandomSource): GameState {
  assertPhase(state, 'scored', 'serve the next point');
  const y = centredPaddleY(state.layout);
  return {
    ...state,
    phase: 'ready',
    ball: serveBall(state.layout, random),
    paddles: state.paddles.map((paddle) => ({ ...paddle, y, direction: 0, gliding: false })),
    lastToucher: null,
    publishCounter: 0,
    nextStepSeconds: 0,
  };
}

/**
 * A point interrupted before its end (a player's seat emptied): it waits for
 * `start_game` again with the ball where it stands, same velocity, same last
 * toucher, so leaving cannot turn a goal about to be conceded into a new
 * serve. Every paddle goes back to the vertical centre, still, as at a serve
 * (what clients draw on the countdown that precedes `start_game`); a paddle
 * put back level with the ball glides, so it pushes the ball off its
 * end rather than bouncing it back.
 */
export function interruptPoint(state: GameState): GameState {
  if (state.phase !== 'live' && state.phase !== 'ready') assertPhase(state, 'live', 'interrupt a point');
  const { layout, ball } = state;
  const y = centredPaddleY(layout);
  return {
    ...state,
    phase: 'ready',
    paddles: state.paddles.map((paddle) => ({
      ...paddle,
      y,
      direction: 0,
      gliding: ball.x < paddle.x + layout.paddleWidth && ball.x + layout.ballSize > paddle.x,
    })),
    publishCounter: 0,
    nextStepSeconds: 0,
  };
}

function assertPhase(state: GameState, expected: Phase, action: string): void {
  if (state.phase !== expected) {
    throw new Error(`Cannot ${action} while the game is ${state.phase}`);
  }
}

import type { Layout } from './layout.js';
import type { Ball, GameState, Team } from './state.js';

/** Team b players see a mirrored field; team a players and spectators see the server frame. */
export type Viewer = Team | 'spectator';

/** The `game_state` payload sent to clients. */
export interface GameStatePayload {
  readonly position_x: number;
  readonly position_y: number;
  readonly speed_x: number;
  readonly speed_y: number;
  readonly speed: number;
}

/** A paddle's x as one viewer sees it; the server keys `rackets` by the slot's user id. */
export interface RacketPosition {
  readonly team: Team;
  readonly index: number;
  readonly x: number;
}

// `0 -` rather than unary minus so a still component stays +0 on the wire and in comparisons.
export function mirrorBall(layout: Layout, ball: Ball): Ball {
  return { ...ball, x: layout.width - ball.x - layout.ballSize, speedX: 0 - ball.speedX };
}

export function mirrorPaddleX(layout: Layout, x: number): number {
  return layout.width - x - layout.paddleWidth;
}

/**
 * The whole field flipped left to right, so a team b client can draw and
 * predict with its own team on the right. Vertical values never change.
 * Only for display and prediction: goals in it would go to the wrong team.
 */
export function mirrorState(state: GameState): GameState {
  const { layout } = state;
  return {
    ...state,
    ball: mirrorBall(layout, state.ball),
    paddles: state.paddles.map((paddle) => ({ ...paddle, x: mirrorPaddleX(layout, paddle.x) })),
  };
}

export function viewFor(state: GameState, viewer: Viewer): GameState {
  return viewer === 'b' ? mirrorState(state) : state;
}

export function gameStatePayload(state: GameState, viewer: Viewer): GameStatePayload {
  const { ball } = viewFor(state, viewer);
  return { position_x: ball.x, position_y: ball.y, speed_x: ball.speedX, speed_y: ball.speedY, speed: ball.speed };
}

export function racketPositions(state: GameState, viewer: Viewer): RacketPosition[] {
  return viewFor(state, viewer).paddles.map(({ team, index, x }) => ({ team, index, x }));
}

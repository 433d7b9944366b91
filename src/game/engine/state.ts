import type { Layout } from './layout.js';

/**
 * Everything here is in the server frame: team a defends the right
 * edge, team b the left one; `y` grows downwards; positions are top-left
 * corners. States are plain immutable data so they can be compared,
 * snapshotted and sent as they are.
 */

export type Team = 'a' | 'b';

/** −1 up, 0 still, +1 down (the paddle commands `move_up`, `stop_moving`, `move_down`). */
export type Direction = -1 | 0 | 1;

/** A paddle's seat: its team and its 0-based rank in that team's player list. */
export interface PaddleSlot {
  readonly team: Team;
  readonly index: number;
}

export interface Paddle extends PaddleSlot {
  readonly x: number;
  readonly y: number;
  readonly direction: Direction;
  /**
   * Set while the ball overlaps the paddle's horizontal span without touching
   * it: a contact then comes from the paddle moving onto the ball, so
   * it is a side contact, and the paddle may not pin the ball to a wall.
   */
  readonly gliding: boolean;
}

export interface Ball {
  readonly x: number;
  readonly y: number;
  /** Units per second. */
  readonly speedX: number;
  readonly speedY: number;
  /** Scalar speed; grows on face hits while the bounce angle redistributes it. */
  readonly speed: number;
}

export interface Score {
  readonly a: number;
  readonly b: number;
}

/**
 * `ready`: ball on the centre spot, waiting for `start_game` (initial wait or
 * countdown); `live`: the point is being played; `scored`: a goal ended the
 * point and the next serve is pending; `over`: a team reached the winning
 * score.
 */
export type Phase = 'ready' | 'live' | 'scored' | 'over';

export interface GameState {
  readonly layout: Layout;
  readonly phase: Phase;
  readonly ball: Ball;
  /** Team a's paddles in list order, then team b's: the order collisions are checked in. */
  readonly paddles: readonly Paddle[];
  readonly score: Score;
  /** Owner of the last paddle the ball touched during this point. */
  readonly lastToucher: PaddleSlot | null;
  /** The `game_state` cadence counter (see `shouldPublish` in timing.ts). */
  readonly publishCounter: number;
  /** Length of the next tick: 0 right after `start_game`, then 1 / tick rate. */
  readonly nextStepSeconds: number;
  readonly winner: Team | null;
}

export function otherTeam(team: Team): Team {
  return team === 'a' ? 'b' : 'a';
}

export function isSameSlot(left: PaddleSlot, right: PaddleSlot): boolean {
  return left.team === right.team && left.index === right.index;
}

export function findPaddle(state: GameState, slot: PaddleSlot): Paddle {
  const paddle = state.paddles.find((candidate) => isSameSlot(candidate, slot));
  if (!paddle) {
    throw new RangeError(`No paddle ${slot.team}${slot.index} in a ${state.layout.name} game`);
  }
  return paddle;
}

export function replacePaddle(state: GameState, paddle: Paddle): GameState {
  return {
    ...state,
    paddles: state.paddles.map((candidate) => (isSameSlot(candidate, paddle) ? paddle : candidate)),
  };
}

import { clampPaddleY } from './paddle-motion.js';
import { findPaddle, replacePaddle, type GameState, type PaddleSlot } from './state.js';

/** A client-reported paddle y is trusted only when it is this close to the server's. */
export const POSITION_TOLERANCE = 30;

/**
 * The player commands (docs/game-protocol.md, Client to server). `position` is the client's own paddle y; the
 * server leaves it out when it stops a paddle itself (a disconnection).
 */
export type PaddleCommand =
  | { readonly type: 'move_up' }
  | { readonly type: 'move_down' }
  | { readonly type: 'stop_moving'; readonly position?: number };

/**
 * Commands are accepted in every phase: outside a live point they only set
 * the direction, because paddles move only while the simulation runs.
 */
export function applyCommand(state: GameState, slot: PaddleSlot, command: PaddleCommand): GameState {
  const paddle = findPaddle(state, slot);
  switch (command.type) {
    case 'move_up':
      return replacePaddle(state, { ...paddle, direction: -1 });
    case 'move_down':
      return replacePaddle(state, { ...paddle, direction: 1 });
    case 'stop_moving': {
      const reported = command.position;
      const adopt =
        paddle.direction !== 0 &&
        reported !== undefined &&
        Number.isFinite(reported) &&
        Math.abs(reported - paddle.y) < POSITION_TOLERANCE;
      // The client's paddle ran on its own clock; adopting its y (kept inside
      // the legal range) avoids a visible snap-back on the player's screen.
      const y = adopt ? clampPaddleY(state.layout, reported, paddle.gliding) : paddle.y;
      return replacePaddle(state, { ...paddle, direction: 0, y });
    }
  }
}

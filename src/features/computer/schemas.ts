import { Type } from 'typebox';
import { COMPUTER_LEVELS, type ComputerLevel } from './messages.js';

/**
 * `computer` on a player of a match object, the live list or a replay: the
 * level of the computer player that held the seat (docs/api.md, Computer
 * players). People have no such key.
 */
export const ComputerMark = Type.Optional(Type.Unsafe<ComputerLevel>({
  type: 'string',
  enum: [...COMPUTER_LEVELS],
  description: 'present only for a computer player: its level (shown as "Computer (medium)" rather than its bot account\'s name)',
}));

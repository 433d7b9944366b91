import type { BotLevel } from '../../game/bot/index.js';

/** Every text and constant of the computer players; clients match on the texts. */
export const ComputerMessages = {
  levelChoice: "Level must be 'easy', 'medium' or 'hard'.",
  unavailable: 'No computer player is available right now. Please try again in a moment.',
} as const;

/** The levels of src/game/bot/brain.ts, as the API names them. */
export const COMPUTER_LEVELS = ['easy', 'medium', 'hard'] as const satisfies readonly BotLevel[];
export type ComputerLevel = (typeof COMPUTER_LEVELS)[number];
export const DEFAULT_COMPUTER_LEVEL: ComputerLevel = 'medium';

export const isComputerLevel = (value: unknown): value is ComputerLevel => (COMPUTER_LEVELS as readonly unknown[]).includes(value);

/** How many bot accounts one request tries before giving up (another node may take the same free account at the same moment). */
export const BOT_ATTEMPTS = 3;

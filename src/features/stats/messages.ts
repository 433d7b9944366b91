/** Every text the stats feature answers with. */
export const StatsMessages = {
  userNotFound: 'User not found.',
  gameModeChoice: "Game mode must be 'clash', 'custom_game', 'duel', 'ranked' or 'tournament'.",
} as const;

/** The five stats rows, in the order `GET /api/users/me/stats/` lists them. */
export const STAT_MODES = ['global', 'clash', 'duel', 'ranked', 'tournament'] as const;
export type StatMode = (typeof STAT_MODES)[number];

export const GAME_MODES = ['clash', 'custom_game', 'duel', 'ranked', 'tournament'] as const;
export type GameMode = (typeof GAME_MODES)[number];

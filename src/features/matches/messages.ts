/** Every text the matches feature answers with; clients match on them. */
export const MatchMessages = {
  required: 'This field is required.',
  notNull: 'This field may not be null.',
  integer: 'A valid integer is required.',
  boolean: 'Must be a valid boolean.',
  gameModeChoice: "Game mode must be 'clash', 'custom_game', 'duel', 'ranked' or 'tournament'.",
  finishReasonChoice: "Finish reason must be 'player-disconnect' or 'player-not-connected'.",
  sameTeamSize: 'Both teams must have the same number of players.',
  teamSizes: 'Only 1v1 and 3v3 teams are allowed.',
  bothTeams: 'User cannot be in both teams.',
  alreadyInGame: 'Users are already in a game.',
  usersNotFound: 'Users not found.',
  clashSize: 'Clash mode must have 3 players in each teams.',
  oneVsOneOnly: (mode: string) => `${mode[0].toUpperCase()}${mode.slice(1)} mode must have 1 players in each teams.`,
  codeGenerationFailed: 'Code generation failed.',
  notInAnyGame: 'You do not belong to any game.',
  notInThisGame: 'You do not belong to this game.',
  userNotInMatch: 'This user does not belong to any match.',
  matchNotFound: 'Match not found.',
  alreadyFinished: 'This match is already finished.',
  tournamentNotFound: 'Tournament not found.',
  tournamentExists: 'tournament with this id already exists.',
  expectedList: (type: string) => `Expected a list of items but got type "${type}".`,
  expectedDict: (type: string) => `Invalid data. Expected a dictionary, but got ${type}.`,
} as const;

export const GAME_MODES = ['clash', 'custom_game', 'duel', 'ranked', 'tournament'] as const;
export type GameMode = (typeof GAME_MODES)[number];

/** Finish reasons a match of this service can carry (docs/api.md, One result per match). */
export const FINISH_REASONS = ['normal-end', 'player-disconnect', 'player-not-connected', 'players-timeout', 'game-not-played'] as const;
export type FinishReason = (typeof FINISH_REASONS)[number];
/** What the finish endpoint accepts. */
export const FORFEIT_REASONS = ['player-disconnect', 'player-not-connected'] as const;
export type ForfeitReason = (typeof FORFEIT_REASONS)[number];

/** Stage labels by number. */
export const STAGE_LABELS = ['final', 'semi-final', 'quarter-final', 'round-of-16'] as const;

/** Timings of the game configuration that the service side uses. */
export const PLAYERS_TIMEOUT_MS = 5000;
export const CODE_ATTEMPTS = 100_000;
export const PLACEHOLDER_DURATION = '00:03:00';

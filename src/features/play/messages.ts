/** Every text and constant of the queues; clients match on the texts. */
export const PlayMessages = {
  alreadyInGame: 'You are already in a game.',
  alreadyInTournament: 'You are already in a tournament.',
  notPlaying: 'You are not currently playing.',
} as const;

export const QUEUE_MODES = ['duel', 'ranked'] as const;
export type QueueMode = (typeof QUEUE_MODES)[number];
/** The one queue entry a game against the computer does not end (docs/api.md, Playing the computer). */
export const DUEL_WHILE_PLAYING_COMPUTER: QueueMode = 'duel';

/**
 * The ranked trophy window: ±50, fixed by default. An
 * operator may let it widen with the older entry's wait
 * (`RANKED_WINDOW_GROWTH_PER_SECOND`), never beyond ±300.
 */
export const RANKED_WINDOW = 50;
/** The widening the unit tests exercise (configuration `RANKED_WINDOW_GROWTH_PER_SECOND`; default 0). */
export const RANKED_WINDOW_GROWTH_PER_SECOND = 10;
export const RANKED_WINDOW_MAX = 300;

/** How often the matchmaker looks at the queues (on the injected clock); entries also trigger a pass at once. */
export const MATCHMAKER_INTERVAL_MS = 250;
/** Matches created at the same time by one pass. */
export const MATCH_CREATION_CONCURRENCY = 16;

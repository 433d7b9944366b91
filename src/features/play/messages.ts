/** Every text and constant of the queues (play-lobby-tournament.md §4.1, §5); clients match on the texts. */
export const PlayMessages = {
  alreadyInGame: 'You are already in a game.',
  alreadyInTournament: 'You are already in a tournament.',
  notPlaying: 'You are not currently playing.',
} as const;

export const QUEUE_MODES = ['duel', 'ranked'] as const;
export type QueueMode = (typeof QUEUE_MODES)[number];

/**
 * The ranked trophy window: ±50 on entry (§1), widening with the time the
 * older of the two entries has waited (DESIGN.md "queue widening"), so that
 * nobody waits for ever: +10 per full second waited, at most ±300.
 */
export const RANKED_WINDOW = 50;
export const RANKED_WINDOW_GROWTH_PER_SECOND = 10;
export const RANKED_WINDOW_MAX = 300;

/** How often the matchmaker looks at the queues (on the injected clock); entries also trigger a pass at once. */
export const MATCHMAKER_INTERVAL_MS = 250;
/** Matches created at the same time by one pass. */
export const MATCH_CREATION_CONCURRENCY = 16;

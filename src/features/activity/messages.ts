/** The texts of the activity feature's answers (see docs/api.md, Activity). */
export const ActivityMessages = {
  notOnLadder: 'You are not on the ladder.',
  aroundChoice: '"around" must be "me".',
} as const;

/** Entries per page at most: larger `limit`s count as this. */
export const MAX_PAGE = 100;

/** The home page's figures are recomputed, and streamed, at most once per this (clock ms). */
export const ACTIVITY_INTERVAL_MS = 1000;

/** The ladder takes in changes at most once per this (clock ms) while trophies keep changing. */
export const LADDER_INTERVAL_MS = 1000;

/** The ladder is read again as a whole at least this often (clock ms), when asked for. */
export const LADDER_FULL_READ_MS = 5 * 60_000;

/**
 * The live list and the ladder around the caller take a caller's row read on
 * this node up to this long ago (clock ms), unless a change of that account
 * reached the node meanwhile (src/features/auth/recent-callers.ts): read by
 * everyone on the home page, they then cost no query.
 */
export const CALLER_MAX_AGE_MS = 60_000;

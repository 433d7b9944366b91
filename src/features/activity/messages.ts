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

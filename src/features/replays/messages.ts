/** Every text the replays feature answers with; clients match on them. */
export const ReplayMessages = {
  /** Unknown, or not finished yet: a live match has no replay to show. */
  matchNotFound: 'Match not found.',
  /** Finished without a recording: nobody played it, it ended before replays existed, or the node ran with REPLAYS=off. */
  noReplay: 'This match has no replay.',
} as const;

import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import type { EventsService } from '../events/service.js';
import type { UserLifecycle } from '../users/lifecycle.js';
import type { UsersService } from '../users/service.js';
import type { MatchResultSink, PlayingMarker } from './ports.js';
import { MatchesRepo } from './repo.js';
import { MatchesService } from './service.js';

/**
 * Builds the matches service and hooks it into the users feature: the
 * `game_data` export section (keys `matches`, `tournament`). On a
 * single node, unfinished matches of a previous run are discarded;
 * with several nodes another node may be refereeing them.
 */
export async function createMatches(deps: {
  db: Db;
  clock: Clock;
  users: UsersService;
  events: EventsService;
  lifecycle: UserLifecycle;
  playing: PlayingMarker;
  sink: MatchResultSink;
  singleNode: boolean;
}): Promise<MatchesService> {
  const matches = new MatchesService({ repo: new MatchesRepo(deps.db), clock: deps.clock, users: deps.users, events: deps.events, playing: deps.playing, sink: deps.sink });
  deps.lifecycle.registerExportSection('game_data', async (userId) => {
    const data = await matches.exportData(userId);
    return { matches: data.matches, tournament: data.tournaments };
  });
  if (deps.singleNode) await matches.discardUnfinished();
  return matches;
}

/** The users' `game_playing` marker through the users feature. */
export function playingMarkerOf(users: UsersService): PlayingMarker {
  return {
    markPlaying: (ids, code) => users.markGamePlaying(ids, code),
    clearPlaying: (ids) => users.clearGamePlaying(ids),
  };
}

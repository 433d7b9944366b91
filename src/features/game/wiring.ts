import type { Clock } from '../../platform/clock.js';
import { RoomRegistry } from '../../game/rooms/registry.js';
import type { MatchesService } from '../matches/service.js';

/** The live rooms of this node, refereed by the matches service, which tells them about every recorded goal and end. */
export function createGameRooms(clock: Clock, matches: MatchesService): RoomRegistry {
  const rooms = new RoomRegistry({
    clock,
    referee: {
      scoreGoal: (userId, ownGoal) => matches.scoreGoal(userId, ownGoal),
      forfeit: (matchId, userId, reason) => matches.forfeit(matchId, { user_id: userId, finish_reason: reason }),
    },
  });
  matches.setLiveObserver(rooms);
  return rooms;
}

import type { EventBus } from '../../platform/bus/index.js';
import type { Clock } from '../../platform/clock.js';
import { RoomRegistry } from '../../game/rooms/registry.js';
import type { MatchesService } from '../matches/service.js';
import { ClusterLiveObserver, type RoomDirectory } from './directory.js';

/**
 * The live rooms of this node, refereed by the matches service, which tells them about every recorded goal and end.
 * With `cluster`, a goal or an end recorded on this node for a room living on another reaches it over the bus,
 * and a disposed room releases its match in the directory.
 */
export async function createGameRooms(
  clock: Clock,
  matches: MatchesService,
  cluster?: { bus: EventBus; directory: RoomDirectory; observeTick?: (latenessMs: number) => void },
): Promise<RoomRegistry> {
  const rooms = new RoomRegistry({
    clock,
    referee: {
      scoreGoal: (userId, ownGoal) => matches.scoreGoal(userId, ownGoal),
      forfeit: (matchId, userId, reason) => matches.forfeit(matchId, { user_id: userId, finish_reason: reason }),
    },
    observeTick: cluster?.observeTick,
    onRoomClosed: cluster ? (room) => void cluster.directory.release(room.matchId).catch(() => {}) : undefined,
  });
  if (cluster) {
    // The subscription lives as long as the bus.
    const observer = new ClusterLiveObserver(rooms, cluster.bus);
    await observer.start();
    matches.setLiveObserver(observer);
  } else {
    matches.setLiveObserver(rooms);
  }
  return rooms;
}


import type { EventBus } from '../../platform/bus/index.js';
import type { Clock } from '../../platform/clock.js';
import type { ReplaySink } from '../../game/rooms/recording.js';
import { RoomRegistry } from '../../game/rooms/registry.js';
import type { MatchesService } from '../matches/service.js';
import type { LiveMatchObserver } from '../matches/ports.js';
import { ClusterLiveObserver, type RoomDirectory } from './directory.js';

/**
 * The live rooms of this node, refereed by the matches service, which tells them about every recorded goal and end.
 * With `cluster`, a goal or an end recorded on this node for a room living on another reaches it over the bus,
 * and a disposed room releases its match in the directory.
 */
export async function createGameRooms(
  clock: Clock,
  matches: MatchesService,
  cluster?: {
    bus: EventBus;
    directory: RoomDirectory;
    observeTick?: (latenessMs: number) => void;
    /** Called after every recorded goal, end or discard, wherever its room lives (the activity board). */
    onLiveChange?: () => void;
  },
  /** Where each finished match's replay is stored; none: rooms record nothing. */
  replays?: ReplaySink,
): Promise<RoomRegistry> {
  const rooms = new RoomRegistry({
    clock,
    referee: {
      scoreGoal: (userId, ownGoal) => matches.scoreGoal(userId, ownGoal),
      forfeit: (matchId, userId, reason) => matches.forfeit(matchId, { user_id: userId, finish_reason: reason }),
    },
    observeTick: cluster?.observeTick,
    replays,
    onRoomClosed: cluster ? (room) => void cluster.directory.release(room.matchId).catch(() => {}) : undefined,
  });
  if (cluster) {
    // The subscription lives as long as the bus.
    const observer = new ClusterLiveObserver(rooms, cluster.bus);
    await observer.start();
    matches.setLiveObserver(withChangeCue(observer, cluster.onLiveChange));
  } else {
    matches.setLiveObserver(rooms);
  }
  return rooms;
}

/** The observer, followed by `onChange` after each notice it gets. */
function withChangeCue(observer: LiveMatchObserver, onChange?: () => void): LiveMatchObserver {
  if (!onChange) return observer;
  return {
    goalRecorded(match) {
      observer.goalRecorded(match);
      onChange();
    },
    matchFinished(match) {
      observer.matchFinished(match);
      onChange();
    },
    matchDiscarded(matchId) {
      observer.matchDiscarded?.(matchId);
      onChange();
    },
  };
}

import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import type { PlayingMarker } from '../matches/ports.js';
import { LiveBoard } from './board.js';
import type { ActivityChanges } from './changes.js';
import { ActivityFeed, type LocalStreams } from './feed.js';
import { Ladder } from './ladder.js';
import { ActivityRepo } from './repo.js';
import { ActivityService } from './service.js';

/** The home page's figures on one node: the board and the ladder it serves from memory, the stream feed. */
export interface ActivityFeature {
  changes: ActivityChanges;
  board: LiveBoard;
  ladder: Ladder;
  feed: ActivityFeed;
  service: ActivityService;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The features whose changes move the figures, each announcing its own after the commit. */
export interface ActivitySources {
  presence: { onChanged(listener: () => void): void };
  auth: { onRegistered(listener: (userId: number) => void): void };
  stats: { onTrophiesChanged(listener: (userId: number) => void): void };
  tournaments: { onOpenChanged(listener: () => void): void };
  blocking: { onBlocksChanged(listener: () => void): void };
  lobbies: { onPlayingMembersChanged(listener: () => void): void };
  users: { onPictureChanged(listener: (userId: number) => void): void };
  lifecycle: {
    onAccountDeleted(listener: (userId: number) => void): void;
    onRenamed(listener: (userId: number, username: string) => void): void;
  };
}

/**
 * Builds the activity feature. `changes` is made first (context.ts), so that
 * the matches and the game rooms, built before this, can report to it;
 * here the other sources are hooked in and each node's board and ladder
 * listen to every node's changes.
 */
export function createActivity(deps: { db: Db; clock: Clock; changes: ActivityChanges; streams: LocalStreams; sources: ActivitySources }): ActivityFeature {
  const repo = new ActivityRepo(deps.db);
  const board = new LiveBoard(repo, deps.clock);
  const ladder = new Ladder(repo, deps.clock);
  const feed = new ActivityFeed(board, deps.streams, deps.clock);
  const { changes, sources } = deps;
  changes.onChange((change) => {
    if (change.board) board.invalidate();
    if (change.ladder) ladder.changed(change.ladder);
  });
  sources.presence.onChanged(() => changes.changed('board'));
  sources.tournaments.onOpenChanged(() => changes.changed('board'));
  const ladderChanged = (userId: number) => changes.changed('ladder', userId);
  sources.auth.onRegistered(ladderChanged);
  sources.stats.onTrophiesChanged(ladderChanged);
  sources.blocking.onBlocksChanged(() => changes.changed('board'));
  sources.lobbies.onPlayingMembersChanged(() => changes.changed('board'));
  sources.lifecycle.onRenamed(ladderChanged);
  const everywhere = (userId: number) => {
    changes.changed('board');
    changes.changed('ladder', userId);
  };
  sources.users.onPictureChanged(everywhere);
  sources.lifecycle.onAccountDeleted(everywhere);
  return {
    changes, board, ladder, feed,
    service: new ActivityService({ board, ladder, repo }),
    start: () => changes.start(),
    async stop() {
      feed.stop();
      await changes.stop();
    },
  };
}

/** The matches feature's `game_playing` marker, also reporting each new match (its players are now playing). */
export function cueOnNewMatch(marker: PlayingMarker, cue: () => void): PlayingMarker {
  return {
    async markPlaying(userIds, code) {
      await marker.markPlaying(userIds, code);
      cue();
    },
    clearPlaying: (userIds) => marker.clearPlaying(userIds),
  };
}

import type { Clock } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import type { StreamHubListener } from './stream-hub.js';

export type OfflineListener = (userId: number) => Promise<void> | void;

interface Transition {
  online: boolean;
  /** Only the first stream of a user on this node adds a presence row. */
  firstOnNode: boolean;
  at: string;
  done: Array<() => void>;
}

/**
 * `is_online` / `last_online` (accounts-chat-sse.md §6.1) shared by every
 * node: each node records which users it holds streams for, and a user is
 * online while any node holds one. Transitions are written in batches (one
 * transaction for all that arrived while the previous batch was being
 * written), so that a reconnect storm of thousands of streams costs a few
 * commits instead of thousands.
 */
export class Presence implements StreamHubListener {
  private pending = new Map<number, Transition>();
  private flushing: Promise<void> | null = null;
  private offlineListeners: OfflineListener[] = [];

  constructor(private readonly db: Db, private readonly clock: Clock, private readonly nodeId: string) {}

  onOffline(listener: OfflineListener): void {
    this.offlineListeners.push(listener);
  }

  /** At start-up: a single node owns all presence; a node of many only forgets its own past rows. */
  async reset(singleNode: boolean): Promise<void> {
    if (!singleNode) {
      await this.db.deleteFrom('presence').where('node_id', '=', this.nodeId).execute();
      return;
    }
    await this.db.deleteFrom('presence').execute();
    await this.db
      .updateTable('users')
      .set({ is_online: 0, game_playing: null })
      .where((eb) => eb.or([eb('is_online', '=', 1), eb('game_playing', 'is not', null)]))
      .execute();
  }

  streamOpened(userId: number, first: boolean): Promise<void> {
    return this.record(userId, true, first);
  }

  lastStreamClosed(userId: number): Promise<void> {
    return this.record(userId, false, false);
  }

  private record(userId: number, online: boolean, firstOnNode: boolean): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.pending.get(userId);
      const transition: Transition = {
        online,
        firstOnNode: online && (firstOnNode || (previous?.online === true && previous.firstOnNode)),
        at: isoAt(this.clock.now()),
        done: [...(previous?.done ?? []), resolve],
      };
      this.pending.set(userId, transition);
      this.flushing ??= this.flushAll();
    });
  }

  private async flushAll(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const batch = this.pending;
        this.pending = new Map();
        let wentOffline: number[] = [];
        try {
          wentOffline = await this.write(batch);
        } catch {
          // The database is unreachable: presence is best effort, streams keep working.
        }
        for (const userId of wentOffline) {
          for (const listener of this.offlineListeners) {
            try {
              await listener(userId);
            } catch {
              // A failing follow-up (leaving a queue) must not keep the user online.
            }
          }
        }
        for (const transition of batch.values()) for (const done of transition.done) done();
      }
    } finally {
      this.flushing = null;
    }
  }

  /** Writes one batch; answers the users that are now offline everywhere. */
  private async write(batch: Map<number, Transition>): Promise<number[]> {
    return this.db.transaction().execute(async (trx) => {
      const offline: number[] = [];
      for (const [userId, t] of batch) {
        if (t.online) {
          if (t.firstOnNode) {
            await trx
              .insertInto('presence')
              .values({ node_id: this.nodeId, user_id: userId, streams: 1, updated_at: t.at })
              .onConflict((oc) => oc.columns(['node_id', 'user_id']).doUpdateSet({ streams: 1, updated_at: t.at }))
              .execute();
          }
          await trx.updateTable('users').set({ is_online: 1, last_online: t.at }).where('id', '=', userId).execute();
          continue;
        }
        await trx.deleteFrom('presence').where('node_id', '=', this.nodeId).where('user_id', '=', userId).execute();
        const elsewhere = await trx.selectFrom('presence').select('user_id').where('user_id', '=', userId).executeTakeFirst();
        if (elsewhere) continue;
        await trx.updateTable('users').set({ is_online: 0, last_online: t.at }).where('id', '=', userId).execute();
        offline.push(userId);
      }
      return offline;
    });
  }
}

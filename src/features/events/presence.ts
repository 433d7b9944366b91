import type { Clock } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import { SerialQueue } from '../../platform/serial-queue.js';
import type { StreamHubListener } from './stream-hub.js';

export type OfflineListener = (userId: number) => Promise<void> | void;

/**
 * `is_online` / `last_online` (accounts-chat-sse.md §6.1) shared by every
 * node: each node records how many streams it holds per user, and a user is
 * online while any node holds one.
 */
export class Presence implements StreamHubListener {
  private queue = new SerialQueue();
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
    return this.queue.run(String(userId), async () => {
      const now = isoAt(this.clock.now());
      if (first) {
        await this.db
          .insertInto('presence')
          .values({ node_id: this.nodeId, user_id: userId, streams: 1, updated_at: now })
          .onConflict((oc) => oc.columns(['node_id', 'user_id']).doUpdateSet({ streams: 1, updated_at: now }))
          .execute();
      }
      await this.db.updateTable('users').set({ is_online: 1, last_online: now }).where('id', '=', userId).execute();
    });
  }

  lastStreamClosed(userId: number): Promise<void> {
    return this.queue.run(String(userId), async () => {
      const now = isoAt(this.clock.now());
      await this.db.deleteFrom('presence').where('node_id', '=', this.nodeId).where('user_id', '=', userId).execute();
      const elsewhere = await this.db.selectFrom('presence').select('user_id').where('user_id', '=', userId).executeTakeFirst();
      if (elsewhere) return;
      await this.db.updateTable('users').set({ is_online: 0, last_online: now }).where('id', '=', userId).execute();
      for (const listener of this.offlineListeners) {
        try {
          await listener(userId);
        } catch {
          // A failing follow-up (leaving a queue) must not keep the user online.
        }
      }
    });
  }
}

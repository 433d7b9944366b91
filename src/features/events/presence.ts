import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { dialectOf } from '../../platform/db/migrations/dialect.js';
import { idIn } from '../../platform/db/id-list.js';
import type { StreamHubListener } from './stream-hub.js';

/** `last_online` moves forward only: the transitions of several nodes may be written out of order. */
function latest(at: string): RawBuilder<string> {
  return sql<string>`case when ${sql.ref('last_online')} < ${at} then ${at} else ${sql.ref('last_online')} end`;
}

export type OfflineListener = (userId: number) => Promise<void> | void;

interface Transition {
  online: boolean;
  /** Only the first stream of a user on this node adds a presence row. */
  firstOnNode: boolean;
  at: string;
  done: Array<() => void>;
}

/**
 * `is_online` / `last_online` shared by every
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
  private changeListeners: Array<() => void> = [];

  constructor(private readonly db: Db, private readonly clock: Clock, private readonly nodeId: string) {}

  onOffline(listener: OfflineListener): void {
    this.offlineListeners.push(listener);
  }

  /** Told once transitions are committed (`is_online` may have changed): the activity counts. */
  onChanged(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  private fireChanged(): void {
    for (const listener of this.changeListeners) {
      try {
        listener();
      } catch {
        // A listener's failure must not stop presence.
      }
    }
  }

  /**
   * At start-up: a single node owns all presence. A node of many leaves its
   * own past rows to `expireNodes`, called when it registers (once every
   * listener is wired, so the users it held go offline properly).
   */
  async reset(singleNode: boolean): Promise<void> {
    if (!singleNode) return;
    await this.db.deleteFrom('presence').execute();
    await this.db
      .updateTable('users')
      .set({ is_online: 0, game_playing: null })
      .where((eb) => eb.or([eb('is_online', '=', 1), eb('game_playing', 'is not', null)]))
      .execute();
  }

  /**
   * The presence rows of dead nodes (no heartbeat within the TTL) and rows
   * of nodes that are not registered at all: deleted by whichever node gets
   * there first (the delete answers the rows it removed, so two sweeping
   * nodes never both process a row); their users go offline unless another
   * node holds a stream of theirs, and the offline listeners run.
   */
  async expireNodes(nodeIds: string[]): Promise<number[]> {
    const orphans = await this.db.selectFrom('presence').select('node_id').distinct()
      .where('node_id', 'not in', (eb) => eb.selectFrom('nodes').select('node_id')).execute();
    const doomed = [...new Set([...nodeIds, ...orphans.map((r) => r.node_id)])];
    if (doomed.length === 0) return [];
    const at = isoAt(this.clock.now());
    const offline = await this.db.transaction().execute(async (trx) => {
      const held = await trx.selectFrom('presence').select('user_id').distinct().where('node_id', 'in', doomed).execute();
      await this.lockUsers(trx, held.map((r) => r.user_id));
      const rows = await trx.deleteFrom('presence').where('node_id', 'in', doomed).returning('user_id').execute();
      const users = [...new Set(rows.map((r) => r.user_id))];
      if (users.length === 0) return [];
      const elsewhere = new Set((await trx.selectFrom('presence').select('user_id').where(idIn(trx, 'user_id', users)).execute()).map((r) => r.user_id));
      const gone = users.filter((id) => !elsewhere.has(id));
      if (gone.length > 0) await trx.updateTable('users').set({ is_online: 0, last_online: latest(at) }).where(idIn(trx, 'id', gone)).execute();
      return gone;
    });
    if (offline.length > 0) this.fireChanged();
    for (const userId of offline) await this.fireOffline(userId);
    return offline;
  }

  /** This node's rows were swept while it was still alive (a long pause): its local users are recorded again. */
  restore(userIds: number[]): Promise<void[]> {
    return Promise.all(userIds.map((userId) => this.record(userId, true, true)));
  }

  private async fireOffline(userId: number): Promise<void> {
    for (const listener of this.offlineListeners) {
      try {
        await listener(userId);
      } catch {
        // A failing follow-up (leaving a queue) must not keep the user online.
      }
    }
  }

  streamOpened(userId: number, first: boolean): Promise<void> {
    return this.record(userId, true, first);
  }

  /** `closedAt`: the stream closed a grace ago (stream-grace.ts); `last_online` is when it closed. */
  lastStreamClosed(userId: number, closedAt = this.clock.now()): Promise<void> {
    return this.record(userId, false, false, closedAt);
  }

  private record(userId: number, online: boolean, firstOnNode: boolean, at = this.clock.now()): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.pending.get(userId);
      const transition: Transition = {
        online,
        firstOnNode: online && (firstOnNode || (previous?.online === true && previous.firstOnNode)),
        at: isoAt(at),
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
          this.fireChanged();
        } catch {
          // The database is unreachable: presence is best effort, streams keep working.
        }
        for (const userId of wentOffline) await this.fireOffline(userId);
        for (const transition of batch.values()) for (const done of transition.done) done();
      }
    } finally {
      this.flushing = null;
    }
  }

  /**
   * PostgreSQL: the users of a transition are locked first, in id order, so
   * that two nodes closing the same user's last streams at once take turns.
   * Without it each would still see the other's row (its delete not yet
   * committed) and neither would set him offline. SQLite has one writer at a time.
   */
  private async lockUsers(trx: Transaction<Database>, userIds: number[]): Promise<void> {
    if (userIds.length === 0 || dialectOf(this.db) !== 'postgres') return;
    await trx.selectFrom('users').select('id').where(idIn(trx, 'id', userIds)).orderBy('id').forUpdate().execute();
  }

  /** Writes one batch; answers the users that are now offline everywhere. */
  private async write(batch: Map<number, Transition>): Promise<number[]> {
    return this.db.transaction().execute(async (trx) => {
      await this.lockUsers(trx, [...batch.keys()]);
      const offline: number[] = [];
      for (const [userId, t] of batch) {
        if (t.online) {
          if (t.firstOnNode) {
            // Inserted only while the account exists: a stream racing the account's deletion must not fail the whole batch.
            await trx
              .insertInto('presence')
              .columns(['node_id', 'user_id', 'streams', 'updated_at'])
              .expression((eb) =>
                eb.selectFrom('users').select([eb.val(this.nodeId).as('node_id'), 'id', eb.val(1).as('streams'), eb.val(t.at).as('updated_at')]).where('id', '=', userId),
              )
              .onConflict((oc) => oc.columns(['node_id', 'user_id']).doUpdateSet({ streams: 1, updated_at: t.at }))
              .execute();
          }
          await trx.updateTable('users').set({ is_online: 1, last_online: latest(t.at) }).where('id', '=', userId).execute();
          continue;
        }
        await trx.deleteFrom('presence').where('node_id', '=', this.nodeId).where('user_id', '=', userId).execute();
        const elsewhere = await trx.selectFrom('presence').select('user_id').where('user_id', '=', userId).executeTakeFirst();
        // Still online on another node: this close is remembered, in case that node's close is older and written after it.
        await trx.updateTable('users').set(elsewhere ? { last_online: latest(t.at) } : { is_online: 0, last_online: latest(t.at) }).where('id', '=', userId).execute();
        if (elsewhere) continue;
        offline.push(userId);
      }
      return offline;
    });
  }
}

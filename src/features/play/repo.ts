import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { dialectOf } from '../../platform/db/migrations/dialect.js';
import type { Database, QueueEntriesTable } from '../../platform/db/schema.js';

export type QueueEntryRow = Selectable<QueueEntriesTable>;
type Executor = Db | Transaction<Database>;

/** Any number; the matchmaker's PostgreSQL advisory lock (one pass at a time across nodes). */
const MATCHMAKER_LOCK = 5_050_505;

/** The queues' SQL: `queue_entries`. */
export class QueueRepo {
  private readonly postgres: boolean;

  constructor(private readonly db: Db) {
    this.postgres = dialectOf(db) === 'postgres';
  }

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** A user's single entry is replaced: the old one goes, a new one (new id, join time, trophies) comes. */
  async replace(entry: Omit<QueueEntryRow, 'id'>): Promise<QueueEntryRow> {
    return this.transaction(async (trx) => {
      await trx.deleteFrom('queue_entries').where('user_id', '=', entry.user_id).execute();
      return trx.insertInto('queue_entries').values(entry).returningAll().executeTakeFirstOrThrow();
    });
  }

  /** The user's entry; with `keep`, only an entry of another mode. */
  async remove(userId: number, executor: Executor = this.db, options: { keep?: string } = {}): Promise<boolean> {
    let query = executor.deleteFrom('queue_entries').where('user_id', '=', userId);
    if (options.keep) query = query.where('game_mode', '!=', options.keep);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  findByUser(userId: number): Promise<QueueEntryRow | undefined> {
    return this.db.selectFrom('queue_entries').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  /**
   * Inside the matchmaker's transaction: true when this pass may run. On
   * PostgreSQL a transaction-scoped advisory lock lets one node at a time
   * pair entries; SQLite transactions are exclusive already.
   */
  async lockMatchmaker(trx: Transaction<Database>): Promise<boolean> {
    if (!this.postgres) return true;
    const result = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${MATCHMAKER_LOCK}) as ok`.execute(trx);
    return result.rows[0]?.ok === true;
  }

  /** Every waiting entry, in arrival order; locked on PostgreSQL so that a concurrent leave waits for this pass. */
  waiting(trx: Transaction<Database>): Promise<QueueEntryRow[]> {
    const query = trx.selectFrom('queue_entries').selectAll().orderBy('join_ms').orderBy('id');
    return (this.postgres ? query.forUpdate() : query).execute();
  }

  /** Deletes the paired entries; answers how many were still there. */
  async take(trx: Transaction<Database>, ids: number[]): Promise<number> {
    let taken = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const result = await trx.deleteFrom('queue_entries').where('id', 'in', ids.slice(i, i + 500)).executeTakeFirst();
      taken += Number(result.numDeletedRows);
    }
    return taken;
  }
}

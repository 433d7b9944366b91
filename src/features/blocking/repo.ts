import type { Selectable, Transaction } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { BlocksTable, Database } from '../../platform/db/schema.js';
import type { Executor } from '../auth/repo.js';

export type BlockRow = Selectable<BlocksTable>;

/** The blocking feature's SQL: `blocks`. */
export class BlockingRepo {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async count(blockerId: number): Promise<number> {
    const row = await this.db.selectFrom('blocks').select((eb) => eb.fn.countAll<number>().as('n')).where('blocker_id', '=', blockerId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  find(blockerId: number, blockedId: number): Promise<BlockRow | undefined> {
    return this.db.selectFrom('blocks').selectAll().where('blocker_id', '=', blockerId).where('blocked_id', '=', blockedId).executeTakeFirst();
  }

  async existsEitherWay(a: number, b: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('blocks')
      .select('id')
      .where((eb) => eb.or([
        eb.and([eb('blocker_id', '=', a), eb('blocked_id', '=', b)]),
        eb.and([eb('blocker_id', '=', b), eb('blocked_id', '=', a)]),
      ]))
      .executeTakeFirst();
    return !!row;
  }

  findById(id: number): Promise<BlockRow | undefined> {
    return this.db.selectFrom('blocks').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listBy(blockerId: number): Promise<BlockRow[]> {
    return this.db.selectFrom('blocks').selectAll().where('blocker_id', '=', blockerId).orderBy('id').execute();
  }

  insert(executor: Executor, blockerId: number, blockedId: number, at: string): Promise<BlockRow> {
    return executor.insertInto('blocks').values({ blocker_id: blockerId, blocked_id: blockedId, blocked_at: at }).returningAll().executeTakeFirstOrThrow();
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('blocks').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Entries made by the user and against the user (account deletion). */
  async deleteAllOf(executor: Executor, userId: number): Promise<void> {
    await executor.deleteFrom('blocks').where((eb) => eb.or([eb('blocker_id', '=', userId), eb('blocked_id', '=', userId)])).execute();
  }
}

import type { Transaction } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { preparedById } from '../../platform/db/prepared.js';
import type { Database } from '../../platform/db/schema.js';
import type { UserRow } from '../../platform/http/request-context.js';

export type Executor = Db | Transaction<Database>;

/** The credential columns of `users`: name, password hash, guest flag, token version. */
export class AuthRepo {
  constructor(private readonly db: Db) {
    this.byId = preparedById(db, (id) => db.selectFrom('users').selectAll().where('id', '=', id));
  }

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async usernameTaken(username: string, exceptUserId?: number): Promise<boolean> {
    let query = this.db.selectFrom('users').select('id').where('username_lower', '=', username.toLowerCase());
    if (exceptUserId !== undefined) query = query.where('id', '!=', exceptUserId);
    return !!(await query.executeTakeFirst());
  }

  findByUsername(username: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  private readonly byId: (id: number) => Promise<UserRow | undefined>;

  /** Runs on every authenticated request, hence compiled once. */
  findById(id: number): Promise<UserRow | undefined> {
    if (!Number.isSafeInteger(id) || id < 0 || id > 2_147_483_647) return Promise.resolve(undefined);
    return this.byId(id);
  }

  async insertAccount(
    trx: Executor,
    account: { username: string; passwordHash: string | null; isGuest: boolean; pictureId: number; now: string },
  ): Promise<number> {
    const row = await trx
      .insertInto('users')
      .values({
        username: account.username,
        username_lower: account.username.toLowerCase(),
        password_hash: account.passwordHash,
        is_guest: account.isGuest ? 1 : 0,
        created_at: account.now,
        last_online: account.now,
        profile_picture_id: account.pictureId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async updateCredentials(
    trx: Executor,
    userId: number,
    change: { username?: string; passwordHash?: string; isGuest?: boolean; bumpTokenVersion?: boolean },
  ): Promise<void> {
    const set: Record<string, unknown> = {};
    if (change.username !== undefined) {
      set.username = change.username;
      set.username_lower = change.username.toLowerCase();
    }
    if (change.passwordHash !== undefined) set.password_hash = change.passwordHash;
    if (change.isGuest !== undefined) set.is_guest = change.isGuest ? 1 : 0;
    let query = trx.updateTable('users').set(set).where('id', '=', userId);
    if (change.bumpTokenVersion) query = query.set((eb) => ({ token_version: eb('token_version', '+', 1) }));
    await query.execute();
  }
}

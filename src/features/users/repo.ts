import type { Db } from '../../platform/db/database.js';
import type { UserRow } from '../../platform/http/request-context.js';

/** The users feature's SQL: profile columns of `users` and `user_pictures`. */
export class UsersRepo {
  constructor(private readonly db: Db) {}

  findById(id: number): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findManyByIds(ids: number[]): Promise<UserRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
  }

  async unlockPicture(userId: number, pictureId: number, at: string): Promise<boolean> {
    const result = await this.db
      .insertInto('user_pictures')
      .values({ user_id: userId, picture_id: pictureId, unlocked_at: at })
      .onConflict((oc) => oc.columns(['user_id', 'picture_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async setOnline(userId: number, online: boolean, at: string): Promise<void> {
    await this.db.updateTable('users').set({ is_online: online ? 1 : 0, last_online: at }).where('id', '=', userId).execute();
  }
}

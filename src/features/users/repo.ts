import { preparedById } from '../../platform/db/prepared.js';
import type { NotificationCounter } from './service.js';
import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import type { UserRow } from '../../platform/http/request-context.js';
import type { Executor } from '../auth/repo.js';

/** Ids outside PostgreSQL's `integer` range cannot exist (and must not reach the database). */
export function isStorableId(id: number): boolean {
  return Number.isInteger(id) && id >= 1 && id <= 2_147_483_647;
}

/** The users feature's SQL: profile columns of `users` and `user_pictures`. */
/** A user row loaded together with the counters of Me's `notifications`. */
export type UserRowWithNotifications = UserRow & { notify_friend_requests?: unknown; notify_chats?: unknown };

export class UsersRepo {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  private withNotifications: ((id: number) => Promise<UserRowWithNotifications | undefined>) | null = null;

  /** The user row and Me's counters in one statement, compiled once (it runs on every `GET /api/users/me/`). */
  findWithNotifications(id: number, counters: Partial<Record<'friend_requests' | 'chats', NotificationCounter>>): Promise<UserRowWithNotifications | undefined> {
    this.withNotifications ??= preparedById(this.db, (placeholder) =>
      this.db
        .selectFrom('users')
        .selectAll()
        .select((eb) => [
          (counters.friend_requests?.(eb) ?? eb.val(0)).as('notify_friend_requests'),
          (counters.chats?.(eb) ?? eb.val(0)).as('notify_chats'),
        ])
        .where('id', '=', placeholder),
    ) as (id: number) => Promise<UserRowWithNotifications | undefined>;
    return this.withNotifications(id);
  }

  async findById(id: number, executor: Executor = this.db): Promise<UserRow | undefined> {
    if (!isStorableId(id)) return undefined;
    return executor.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async idsWithPresence(ids: number[], online: boolean): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('users').select('id').where('id', 'in', ids).where('is_online', '=', online ? 1 : 0).execute();
    return new Set(rows.map((r) => r.id));
  }

  findByUsername(username: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  async findManyByIds(ids: number[]): Promise<UserRow[]> {
    ids = [...new Set(ids.filter(isStorableId))];
    if (ids.length === 0) return [];
    return this.db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
  }

  async usernameTakenExactly(username: string, exceptUserId: number): Promise<boolean> {
    const row = await this.db.selectFrom('users').select('id').where('username', '=', username).where('id', '!=', exceptUserId).executeTakeFirst();
    return !!row;
  }

  async unlockPicture(userId: number, pictureId: number, at: string): Promise<boolean> {
    const result = await this.db
      .insertInto('user_pictures')
      .values({ user_id: userId, picture_id: pictureId, unlocked_at: at })
      .onConflict((oc) => oc.columns(['user_id', 'picture_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async unlockedPictures(userId: number): Promise<Set<number>> {
    const rows = await this.db.selectFrom('user_pictures').select('picture_id').where('user_id', '=', userId).execute();
    return new Set(rows.map((r) => r.picture_id));
  }

  async equipPicture(userId: number, pictureId: number): Promise<void> {
    await this.db.updateTable('users').set({ profile_picture_id: pictureId }).where('id', '=', userId).execute();
  }

  async updateSettings(userId: number, change: { accept_friend_request?: boolean; accept_chat_from?: string }): Promise<void> {
    const set: Record<string, unknown> = {};
    if (change.accept_friend_request !== undefined) set.accept_friend_request = change.accept_friend_request ? 1 : 0;
    if (change.accept_chat_from !== undefined) set.accept_chat_from = change.accept_chat_from;
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable('users').set(set).where('id', '=', userId).execute();
  }

  /** Adds a (possibly negative) change to the trophy total, floored at 0; returns the new total. */
  async addTrophies(executor: Executor, userId: number, change: number): Promise<number> {
    const row = await executor
      .updateTable('users')
      .set({ trophies: sql<number>`case when trophies + ${change} < 0 then 0 else trophies + ${change} end` })
      .where('id', '=', userId)
      .returning('trophies')
      .executeTakeFirstOrThrow();
    return Number(row.trophies);
  }

  async clearGamePlaying(userIds: number[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.db.updateTable('users').set({ game_playing: null }).where('id', 'in', userIds).execute();
  }

  async markGamePlaying(userIds: number[], code: string): Promise<void> {
    if (userIds.length === 0) return;
    await this.db.updateTable('users').set({ game_playing: code }).where('id', 'in', userIds).execute();
  }

  /** The profile row and its pictures (the last step of the deletion transaction). */
  async deleteUser(executor: Executor, userId: number): Promise<void> {
    await executor.deleteFrom('user_pictures').where('user_id', '=', userId).execute();
    await executor.deleteFrom('users').where('id', '=', userId).execute();
  }

  async setOnline(userId: number, online: boolean, at: string): Promise<void> {
    await this.db.updateTable('users').set({ is_online: online ? 1 : 0, last_online: at }).where('id', '=', userId).execute();
  }
}

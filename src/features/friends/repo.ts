import type { ExpressionBuilder } from 'kysely';
import type { Selectable, Transaction } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { Database, FriendRequestsTable, FriendshipsTable } from '../../platform/db/schema.js';
import type { Executor } from '../auth/repo.js';

export type FriendRequestRow = Selectable<FriendRequestsTable>;
export type FriendshipRow = Selectable<FriendshipsTable>;

/** One key per unordered pair of users. */
export function pairKey(a: number, b: number): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

/** The friends feature's SQL: `friend_requests` and `friendships`. */
export class FriendsRepo {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  findRequest(id: number): Promise<FriendRequestRow | undefined> {
    return this.db.selectFrom('friend_requests').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findRequestBetween(a: number, b: number): Promise<FriendRequestRow | undefined> {
    return this.db.selectFrom('friend_requests').selectAll().where('pair_key', '=', pairKey(a, b)).executeTakeFirst();
  }

  async countPendingSent(userId: number): Promise<number> {
    const row = await this.db.selectFrom('friend_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('sender_id', '=', userId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The profile's `notifications.friend_requests` as a count correlated on `users.id`, read together with the caller's row. */
  static newReceivedCounter(eb: ExpressionBuilder<Database, 'users'>) {
    return eb
      .selectFrom('friend_requests')
      .select((sub) => sub.fn.countAll<number>().as('n'))
      .whereRef('friend_requests.receiver_id', '=', 'users.id')
      .where('friend_requests.is_new', '=', 1);
  }

  insertRequest(senderId: number, receiverId: number, at: string): Promise<FriendRequestRow> {
    return this.db
      .insertInto('friend_requests')
      .values({ sender_id: senderId, receiver_id: receiverId, pair_key: pairKey(senderId, receiverId), send_at: at })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  sentBy(userId: number): Promise<FriendRequestRow[]> {
    return this.db.selectFrom('friend_requests').selectAll().where('sender_id', '=', userId).orderBy('id').execute();
  }

  receivedBy(userId: number): Promise<FriendRequestRow[]> {
    return this.db.selectFrom('friend_requests').selectAll().where('receiver_id', '=', userId).orderBy('id').execute();
  }

  async markReceivedSeen(userId: number): Promise<void> {
    await this.db.updateTable('friend_requests').set({ is_new: 0 }).where('receiver_id', '=', userId).where('is_new', '=', 1).execute();
  }

  async deleteRequest(id: number, executor: Executor = this.db): Promise<boolean> {
    const result = await executor.deleteFrom('friend_requests').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async insertFriendship(executor: Executor, row: { id: number; user1_id: number; user2_id: number; created_at: string }): Promise<FriendshipRow> {
    return executor
      .insertInto('friendships')
      .values({ ...row, pair_key: pairKey(row.user1_id, row.user2_id) })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  findFriendship(id: number): Promise<FriendshipRow | undefined> {
    return this.db.selectFrom('friendships').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findFriendshipBetween(a: number, b: number, executor: Executor = this.db): Promise<FriendshipRow | undefined> {
    return executor.selectFrom('friendships').selectAll().where('pair_key', '=', pairKey(a, b)).executeTakeFirst();
  }

  friendshipsOf(userId: number): Promise<FriendshipRow[]> {
    return this.db
      .selectFrom('friendships')
      .selectAll()
      .where((eb) => eb.or([eb('user1_id', '=', userId), eb('user2_id', '=', userId)]))
      .orderBy('id')
      .execute();
  }

  /** The user's friendships as (id, members) only, oldest first: enough to filter and paginate. */
  friendLinksOf(userId: number): Promise<Array<Pick<FriendshipRow, 'id' | 'user1_id' | 'user2_id'>>> {
    return this.db
      .selectFrom('friendships')
      .select(['id', 'user1_id', 'user2_id'])
      .where('user1_id', '=', userId)
      .unionAll(this.db.selectFrom('friendships').select(['id', 'user1_id', 'user2_id']).where('user2_id', '=', userId))
      .orderBy('id')
      .execute();
  }

  async friendshipsByIds(ids: number[]): Promise<FriendshipRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('friendships').selectAll().where('id', 'in', ids).orderBy('id').execute();
  }

  async countFriends(userId: number): Promise<number> {
    const row = await this.db
      .selectFrom('friendships')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.or([eb('user1_id', '=', userId), eb('user2_id', '=', userId)]))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async deleteFriendship(id: number, executor: Executor = this.db): Promise<boolean> {
    const result = await executor.deleteFrom('friendships').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Removes the friendship and the pending request between two users; returns what was removed. */
  async deleteBetween(executor: Executor, a: number, b: number): Promise<{ friendship: FriendshipRow | undefined; request: FriendRequestRow | undefined }> {
    const key = pairKey(a, b);
    const friendship = await executor.deleteFrom('friendships').where('pair_key', '=', key).returningAll().executeTakeFirst();
    const request = await executor.deleteFrom('friend_requests').where('pair_key', '=', key).returningAll().executeTakeFirst();
    return { friendship, request };
  }

  /** Every friendship and request of a user (account deletion). */
  async deleteAllOf(executor: Executor, userId: number): Promise<void> {
    await executor.deleteFrom('friend_requests').where((eb) => eb.or([eb('sender_id', '=', userId), eb('receiver_id', '=', userId)])).execute();
    await executor.deleteFrom('friendships').where((eb) => eb.or([eb('user1_id', '=', userId), eb('user2_id', '=', userId)])).execute();
  }

  /** One match played against each other; `winnerId` (a member, or null) gets the win. */
  async recordAgainst(friendship: FriendshipRow, winnerId: number | null): Promise<void> {
    await this.db
      .updateTable('friendships')
      .set((eb) => ({
        matches_played_against: eb('matches_played_against', '+', 1),
        user1_wins: eb('user1_wins', '+', winnerId === friendship.user1_id ? 1 : 0),
        user2_wins: eb('user2_wins', '+', winnerId === friendship.user2_id ? 1 : 0),
      }))
      .where('id', '=', friendship.id)
      .execute();
  }

  async recordTogether(friendshipId: number, won: boolean): Promise<void> {
    await this.db
      .updateTable('friendships')
      .set((eb) => ({
        matches_played_together: eb('matches_played_together', '+', 1),
        matches_won_together: eb('matches_won_together', '+', won ? 1 : 0),
      }))
      .where('id', '=', friendshipId)
      .execute();
  }
}

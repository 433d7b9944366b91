import type { ExpressionBuilder } from 'kysely';
import type { Selectable, Transaction } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { ChatMessagesTable, ChatsTable, Database } from '../../platform/db/schema.js';

export type ChatRow = Selectable<ChatsTable>;
export type MessageRow = Selectable<ChatMessagesTable>;
export type Executor = Db | Transaction<Database>;

/** The two ids of a pair in storage order (smaller first). */
export function pairOf(a: number, b: number): [number, number] {
  return a < b ? [a, b] : [b, a];
}

/** The chat feature's SQL: `chats` and `chat_messages`. */
export class ChatRepo {
  constructor(private readonly db: Db) {}

  findById(id: number): Promise<ChatRow | undefined> {
    return this.db.selectFrom('chats').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByPair(a: number, b: number): Promise<ChatRow | undefined> {
    const [low, high] = pairOf(a, b);
    return this.db.selectFrom('chats').selectAll().where('user_a_id', '=', low).where('user_b_id', '=', high).executeTakeFirst();
  }

  insert(a: number, b: number, now: string): Promise<ChatRow> {
    const [low, high] = pairOf(a, b);
    return this.db
      .insertInto('chats')
      .values({ user_a_id: low, user_b_id: high, view_a: 1, view_b: 1, created_at: now, last_updated: now })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Every chat of the user, most recently updated first. */
  chatsOf(userId: number, executor: Executor = this.db): Promise<ChatRow[]> {
    return executor
      .selectFrom('chats')
      .selectAll()
      .where((eb) => eb.or([eb('user_a_id', '=', userId), eb('user_b_id', '=', userId)]))
      .orderBy('last_updated', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }

  async setView(chat: ChatRow, userId: number, view: boolean): Promise<void> {
    const column = chat.user_a_id === userId ? 'view_a' : 'view_b';
    await this.db.updateTable('chats').set({ [column]: view ? 1 : 0 }).where('id', '=', chat.id).execute();
  }

  /** The newest message of each chat (ids grow with time). */
  async lastMessages(chatIds: number[]): Promise<Map<number, MessageRow>> {
    if (chatIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('chat_messages')
      .selectAll()
      .where('id', 'in', (eb) =>
        eb.selectFrom('chat_messages').select((e) => e.fn.max('id').as('id')).where('chat_id', 'in', chatIds).groupBy('chat_id'),
      )
      .execute();
    return new Map(rows.map((row) => [row.chat_id, row]));
  }

  /** Per chat: messages written by someone other than `readerId` and not read yet. */
  async unreadCounts(chatIds: number[], readerId: number): Promise<Map<number, number>> {
    if (chatIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('chat_messages')
      .select((eb) => ['chat_id', eb.fn.countAll<number>().as('unread')])
      .where('chat_id', 'in', chatIds)
      .where('is_read', '=', 0)
      .where('author_id', '!=', readerId)
      .groupBy('chat_id')
      .execute();
    return new Map(rows.map((row) => [row.chat_id, Number(row.unread)]));
  }

  /** Me's `notifications.chats`: unread messages of others over every chat of the user. */
  /** Me's `notifications.chats` as a count correlated on `users.id`, read together with the caller's row. */
  static unreadCounter(eb: ExpressionBuilder<Database, 'users'>) {
    return eb
      .selectFrom('chat_messages as m')
      .innerJoin('chats as c', 'c.id', 'm.chat_id')
      .select((sub) => sub.fn.countAll<number>().as('unread'))
      .where((sub) => sub.or([sub('c.user_a_id', '=', sub.ref('users.id')), sub('c.user_b_id', '=', sub.ref('users.id'))]))
      .whereRef('m.author_id', '!=', 'users.id')
      .where('m.is_read', '=', 0);
  }

  async countMessages(chatId: number): Promise<number> {
    const row = await this.db
      .selectFrom('chat_messages')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('chat_id', '=', chatId)
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  /** One page of a chat's messages, newest first. */
  pageMessages(chatId: number, limit: number, offset: number): Promise<MessageRow[]> {
    return this.db
      .selectFrom('chat_messages')
      .selectAll()
      .where('chat_id', '=', chatId)
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
  }

  /** Every message of a chat, oldest first (data export). */
  allMessages(chatId: number, executor: Executor = this.db): Promise<MessageRow[]> {
    return executor.selectFrom('chat_messages').selectAll().where('chat_id', '=', chatId).orderBy('id', 'asc').execute();
  }

  async markRead(messageIds: number[]): Promise<void> {
    if (messageIds.length === 0) return;
    await this.db.updateTable('chat_messages').set({ is_read: 1 }).where('id', 'in', messageIds).where('is_read', '=', 0).execute();
  }

  /** Stores a message; the chat's `last_updated` moves and every hidden view opens again. */
  insertMessage(message: { chatId: number; authorId: number; content: string; isRead: boolean; now: string }): Promise<MessageRow> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('chat_messages')
        .values({ chat_id: message.chatId, author_id: message.authorId, content: message.content, is_read: message.isRead ? 1 : 0, sent_at: message.now })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.updateTable('chats').set({ last_updated: message.now, view_a: 1, view_b: 1 }).where('id', '=', message.chatId).execute();
      return row;
    });
  }

  /** Account deletion: every chat of the user with all its messages. */
  async deleteUserRows(executor: Executor, userId: number): Promise<void> {
    const ofUser = executor
      .selectFrom('chats')
      .select('id')
      .where((eb) => eb.or([eb('user_a_id', '=', userId), eb('user_b_id', '=', userId)]));
    await executor.deleteFrom('chat_messages').where('chat_id', 'in', ofUser).execute();
    await executor.deleteFrom('chats').where((eb) => eb.or([eb('user_a_id', '=', userId), eb('user_b_id', '=', userId)])).execute();
  }
}

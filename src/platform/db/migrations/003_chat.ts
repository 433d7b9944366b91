import type { Kysely } from 'kysely';
import { withId } from './dialect.js';

/**
 * Chat: one row per pair of users, the smaller id
 * in `user_a_id`, each participant's `view_chat` flag beside it; messages
 * belong to a chat and go with it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('chats'))
    .addColumn('user_a_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('user_b_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('view_a', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('view_b', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_updated', 'text', (c) => c.notNull())
    .addUniqueConstraint('chats_pair', ['user_a_id', 'user_b_id'])
    .execute();
  await db.schema.createIndex('chats_user_b').on('chats').column('user_b_id').execute();

  await withId(db, db.schema.createTable('chat_messages'))
    .addColumn('chat_id', 'integer', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('is_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('chat_messages_chat').on('chat_messages').columns(['chat_id', 'id']).execute();
  await db.schema.createIndex('chat_messages_unread').on('chat_messages').columns(['chat_id', 'is_read']).execute();
  await db.schema.createIndex('chat_messages_author').on('chat_messages').column('author_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('chat_messages').execute();
  await db.schema.dropTable('chats').execute();
}

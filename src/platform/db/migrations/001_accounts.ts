import { sql, type Kysely } from 'kysely';
import { withId } from './dialect.js';

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('users'))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('username_lower', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text')
    .addColumn('is_guest', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('accept_friend_request', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('accept_chat_from', 'text', (c) => c.notNull().defaultTo('friends_only'))
    .addColumn('trophies', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('profile_picture_id', 'integer', (c) => c.notNull())
    .addColumn('is_online', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_online', 'text', (c) => c.notNull())
    .addColumn('game_playing', 'text')
    .execute();
  await db.schema.createIndex('users_username').on('users').column('username').execute();

  await db.schema
    .createTable('user_pictures')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('picture_id', 'integer', (c) => c.notNull())
    .addColumn('unlocked_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_pictures_pk', ['user_id', 'picture_id'])
    .execute();

  await db.schema
    .createTable('presence')
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('streams', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('presence_pk', ['node_id', 'user_id'])
    .execute();
  await db.schema.createIndex('presence_user').on('presence').column('user_id').execute();
  void sql;
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('presence').execute();
  await db.schema.dropTable('user_pictures').execute();
  await db.schema.dropTable('users').execute();
}

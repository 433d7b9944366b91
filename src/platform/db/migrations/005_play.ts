import type { Kysely } from 'kysely';
import { withId } from './dialect.js';

/**
 * Queues and lobbies, kept in the
 * database so that every node sees the same state:
 * - `queue_entries`: one per user (unique `user_id`); `join_ms` is the
 *   entry time in milliseconds, which the matchmaker widens the ranked
 *   window from.
 * - `lobbies` / `lobby_members` (one membership per user: unique
 *   `user_id`) / `lobby_bans` (scoped to one lobby, gone with it).
 *   `ready` is the internal ready flag (the clash pool); `match_id` the
 *   match the lobby is playing while `game_playing` holds its code.
 * - `play_bots`: the accounts that computer players use to fill lobby seats.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('queue_entries'))
    .addColumn('user_id', 'integer', (c) => c.notNull().unique())
    .addColumn('game_mode', 'text', (c) => c.notNull())
    .addColumn('trophies', 'integer', (c) => c.notNull())
    .addColumn('join_at', 'text', (c) => c.notNull())
    .addColumn('join_ms', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('lobbies'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('game_mode', 'text', (c) => c.notNull())
    .addColumn('match_type', 'text', (c) => c.notNull())
    .addColumn('max_participants', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('ready', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('game_playing', 'text')
    .addColumn('match_id', 'integer')
    .addColumn('bot', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('lobbies_pool').on('lobbies').columns(['game_mode', 'ready']).execute();
  await db.schema.createIndex('lobbies_match').on('lobbies').column('match_id').execute();

  await withId(db, db.schema.createTable('lobby_members'))
    .addColumn('lobby_id', 'integer', (c) => c.notNull().references('lobbies.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().unique())
    .addColumn('creator', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_guest', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_ready', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('team', 'text')
    .addColumn('join_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lobby_members_lobby').on('lobby_members').column('lobby_id').execute();

  await db.schema
    .createTable('lobby_bans')
    .addColumn('lobby_id', 'integer', (c) => c.notNull().references('lobbies.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('lobby_bans_pk', ['lobby_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('play_bots')
    .addColumn('user_id', 'integer', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('play_bots').execute();
  await db.schema.dropTable('lobby_bans').execute();
  await db.schema.dropTable('lobby_members').execute();
  await db.schema.dropTable('lobbies').execute();
  await db.schema.dropTable('queue_entries').execute();
}

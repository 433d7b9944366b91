import type { Kysely } from 'kysely';
import { withId } from './dialect.js';

/**
 * The social graph and the game statistics of a user: friend requests,
 * friendships (whose id is the accepted request's id), block entries, the five stats rows and the ranked history.
 * `pair_key` ("<smaller id>:<larger id>") keeps one request and one
 * friendship per pair of users, whoever sent it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('friend_requests'))
    .addColumn('sender_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('receiver_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('pair_key', 'text', (c) => c.notNull().unique())
    .addColumn('send_at', 'text', (c) => c.notNull())
    .addColumn('is_new', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('friend_requests_sender').on('friend_requests').column('sender_id').execute();
  await db.schema.createIndex('friend_requests_receiver').on('friend_requests').column('receiver_id').execute();

  await db.schema
    .createTable('friendships')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('user1_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('user2_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('pair_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('matches_played_against', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('user1_wins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('user2_wins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('matches_played_together', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('matches_won_together', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Covering (the id is the rowid): a user's friend list is read from the indexes alone.
  await db.schema.createIndex('friendships_user1').on('friendships').columns(['user1_id', 'user2_id']).execute();
  await db.schema.createIndex('friendships_user2').on('friendships').columns(['user2_id', 'user1_id']).execute();

  await withId(db, db.schema.createTable('blocks'))
    .addColumn('blocker_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('blocked_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('blocked_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('blocks_pair', ['blocker_id', 'blocked_id'])
    .execute();
  await db.schema.createIndex('blocks_blocked').on('blocks').column('blocked_id').execute();

  await withId(db, db.schema.createTable('user_stats'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('game_mode', 'text', (c) => c.notNull())
    .addColumn('scored', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('game_played', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('wins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('longest_win_streak', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('current_win_streak', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tournament_wins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('own_goals', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('user_stats_mode', ['user_id', 'game_mode'])
    .execute();

  await withId(db, db.schema.createTable('ranked_history'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('trophies', 'integer', (c) => c.notNull())
    .addColumn('total_trophies', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ranked_history_user').on('ranked_history').columns(['user_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ranked_history').execute();
  await db.schema.dropTable('user_stats').execute();
  await db.schema.dropTable('blocks').execute();
  await db.schema.dropTable('friendships').execute();
  await db.schema.dropTable('friend_requests').execute();
}

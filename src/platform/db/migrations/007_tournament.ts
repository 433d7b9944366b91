import type { Kysely } from 'kysely';
import { withId } from './dialect.js';

/**
 * Running tournaments, kept in the database so
 * that every node sees the same state and a restart resumes them. The
 * archive of finished ones lives in `tournaments` / `tournament_stages`
 * (004, the game feature); ids come from auto-increment sequences that are
 * never reused, so an archive keeps the id the tournament had here.
 * - `play_tournaments`: one row per open or running tournament. Its next
 *   deadline (`deadline_kind`: `start` after the 20 s countdown, `launch`
 *   3 s after the start, `round` 3 s after the last result of a round) is
 *   stored with it; whichever node clears it first with a conditional
 *   UPDATE acts on it, so it fires once, and a restarted node finds it.
 * - `play_tournament_stages`: its rounds; the ids are the
 *   `tournament_stage_id` of the games.
 * - `play_tournament_records`: one per participant; `connected_user_id`
 *   repeats `user_id` while the record is connected (unique: one connected
 *   record per user).
 * - `play_bracket_matches`: the bracket slots; `position` is the launch order.
 * - `play_tournament_bans`: scoped to one tournament, gone with it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('play_tournaments'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('private', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('start_at', 'text')
    .addColumn('started', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('finished', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('current_stage_id', 'integer')
    .addColumn('counter', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deadline_kind', 'text')
    .addColumn('deadline_ms', 'bigint')
    .execute();
  await db.schema.createIndex('play_tournaments_created_by').on('play_tournaments').column('created_by').execute();
  await db.schema.createIndex('play_tournaments_deadline').on('play_tournaments').column('deadline_ms').execute();

  await withId(db, db.schema.createTable('play_tournament_stages'))
    .addColumn('tournament_id', 'integer', (c) => c.notNull().references('play_tournaments.id').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('stage', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('play_tournament_stages_tournament').on('play_tournament_stages').column('tournament_id').execute();

  await withId(db, db.schema.createTable('play_tournament_records'))
    .addColumn('tournament_id', 'integer', (c) => c.notNull().references('play_tournaments.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('trophies', 'integer', (c) => c.notNull())
    .addColumn('creator', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('join_at', 'text', (c) => c.notNull())
    .addColumn('seed', 'integer')
    .addColumn('stage_id', 'integer')
    .addColumn('still_in', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('connected', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('connected_user_id', 'integer', (c) => c.unique())
    .addUniqueConstraint('play_tournament_records_once', ['tournament_id', 'user_id'])
    .execute();
  await db.schema.createIndex('play_tournament_records_user').on('play_tournament_records').column('user_id').execute();

  await withId(db, db.schema.createTable('play_bracket_matches'))
    .addColumn('tournament_id', 'integer', (c) => c.notNull().references('play_tournaments.id').onDelete('cascade'))
    .addColumn('stage_id', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('user_1', 'integer')
    .addColumn('user_2', 'integer')
    .addColumn('winner', 'integer')
    .addColumn('score_winner', 'integer')
    .addColumn('score_looser', 'integer')
    .addColumn('finish_reason', 'text')
    .addColumn('match_id', 'integer')
    .addColumn('match_code', 'text')
    .addColumn('launched', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('finished', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('play_bracket_matches_tournament').on('play_bracket_matches').column('tournament_id').execute();
  await db.schema.createIndex('play_bracket_matches_match').on('play_bracket_matches').column('match_id').execute();

  await db.schema
    .createTable('play_tournament_bans')
    .addColumn('tournament_id', 'integer', (c) => c.notNull().references('play_tournaments.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('play_tournament_bans_pk', ['tournament_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('play_tournament_bans').execute();
  await db.schema.dropTable('play_bracket_matches').execute();
  await db.schema.dropTable('play_tournament_records').execute();
  await db.schema.dropTable('play_tournament_stages').execute();
  await db.schema.dropTable('play_tournaments').execute();
}

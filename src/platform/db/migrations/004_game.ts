import type { Kysely } from 'kysely';
import { withId } from './dialect.js';

/**
 * Matches and archived tournaments. The two teams of a match
 * are its `score_a` / `score_b` columns; `match_players` has one row per
 * participant. `live_user_id` repeats `user_id` while the match is
 * unfinished and is null afterwards: its unique index makes "at most one
 * unfinished match per user" hold even under concurrent creations.
 * `code` is unique among the matches that hold one (finished ones hold none).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('matches'))
    .addColumn('code', 'text', (c) => c.unique())
    .addColumn('game_mode', 'text', (c) => c.notNull())
    .addColumn('match_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('tournament_id', 'integer')
    .addColumn('tournament_stage_id', 'integer')
    .addColumn('tournament_n', 'integer')
    .addColumn('game_start', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('finished', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('finish_reason', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('score_a', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('score_b', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('winner', 'text')
    .addColumn('looser', 'text')
    .execute();
  await db.schema.createIndex('matches_tournament_stage').on('matches').column('tournament_stage_id').execute();

  await db.schema
    .createTable('match_players')
    .addColumn('match_id', 'integer', (c) => c.notNull().references('matches.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('own_goal', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('trophies', 'integer')
    .addColumn('live_user_id', 'integer', (c) => c.unique())
    .addPrimaryKeyConstraint('match_players_pk', ['match_id', 'user_id'])
    .execute();
  await db.schema.createIndex('match_players_user').on('match_players').column('user_id').execute();

  await db.schema
    .createTable('tournaments')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text')
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('finish_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tournament_stages')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('tournament_id', 'integer', (c) => c.notNull().references('tournaments.id').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('stage', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tournament_stages_tournament').on('tournament_stages').column('tournament_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tournament_stages').execute();
  await db.schema.dropTable('tournaments').execute();
  await db.schema.dropTable('match_players').execute();
  await db.schema.dropTable('matches').execute();
}

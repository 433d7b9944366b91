import { sql, type Kysely } from 'kysely';

/**
 * What the home page's figures read (docs/api.md, Activity):
 * - `live_rooms.spectators`: the spectators of a live match, written by the
 *   node that referees it (the only one that sees them), read by every node;
 * - `users_ladder`: registered users by trophies, the order of the ladder;
 * - `users_online` and `matches_live`: the online users and the unfinished
 *   matches, so that counting or listing them does not scan every account or
 *   every match ever played.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('live_rooms').addColumn('spectators', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('users_ladder').on('users').columns(['trophies desc', 'id']).where(sql.ref('is_guest'), '=', 0).execute();
  await db.schema.createIndex('users_online').on('users').column('id').where(sql.ref('is_online'), '=', 1).execute();
  await db.schema.createIndex('matches_live').on('matches').columns(['created_at', 'id']).where(sql.ref('finished'), '=', 0).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('matches_live').execute();
  await db.schema.dropIndex('users_online').execute();
  await db.schema.dropIndex('users_ladder').execute();
  await db.schema.alterTable('live_rooms').dropColumn('spectators').execute();
}

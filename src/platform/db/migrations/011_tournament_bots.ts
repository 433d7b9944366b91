import type { Kysely } from 'kysely';

/**
 * Computer players in tournaments (docs/api.md, Computer players): a record
 * whose `bot_level` is set is a seat the creator gave to a computer player of
 * that level; the node that launches its games starts the player with it.
 * Null for people.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('play_tournament_records').addColumn('bot_level', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('play_tournament_records').dropColumn('bot_level').execute();
}

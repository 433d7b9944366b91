import type { Kysely } from 'kysely';

/**
 * Computer players in matches (docs/api.md, Computer players): a player row
 * whose `bot_level` is set is a seat a computer player of that level held
 * (`easy`, `medium`, `hard`), so that the match history, the live list and
 * the replay can show "Computer (medium)" rather than its bot account, after
 * the match as during it. Null for people, and for matches recorded before
 * this column existed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('match_players').addColumn('bot_level', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('match_players').dropColumn('bot_level').execute();
}

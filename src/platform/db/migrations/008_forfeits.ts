import type { Kysely } from 'kysely';

/**
 * Who ended a match by leaving (`player-disconnect`) or by never joining
 * (`player-not-connected`): the result is recorded 3–0, and a person reading
 * it later must be told why (docs/api.md, "One result per match").
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('matches').addColumn('forfeited_by', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('matches').dropColumn('forfeited_by').execute();
}

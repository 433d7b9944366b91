import type { Kysely } from 'kysely';
import { dialectOf } from './dialect.js';

/**
 * One replay per finished match (docs/replays.md): the room's recording,
 * stored once when the match ends. It follows its match: deleting the match
 * row deletes it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const binary = dialectOf(db) === 'postgres' ? 'bytea' : 'blob';
  await db.schema
    .createTable('match_replays')
    .addColumn('match_id', 'integer', (c) => c.primaryKey().references('matches.id').onDelete('cascade'))
    .addColumn('format', 'integer', (c) => c.notNull())
    .addColumn('recording', binary, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('match_replays').execute();
}

import type { Kysely } from 'kysely';

/**
 * Many nodes on one database (issue 8). `nodes`: every running node, the
 * address its peers reach it at and a heartbeat; a node whose heartbeat is
 * older than the TTL is dead, and any node cleans up after it (its presence
 * rows, its live rooms). `live_rooms`: which node referees each live match,
 * so that a socket landing elsewhere is proxied to it; the primary key makes
 * "one room per match" hold even when two first connections race on two nodes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('nodes')
    .addColumn('node_id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('live_rooms')
    .addColumn('match_id', 'integer', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('live_rooms_code').on('live_rooms').column('code').execute();
  await db.schema.createIndex('live_rooms_node').on('live_rooms').column('node_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('live_rooms').execute();
  await db.schema.dropTable('nodes').execute();
}

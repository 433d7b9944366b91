import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Inserts `count` guest accounts straight into a node's SQLite file (its
 * schema made by a first start), in one transaction: creating thousands of
 * accounts over HTTP is not what the benchmarks measure. Answers their ids,
 * in order; usernames are `<prefix><n>`.
 */
export function seedGuests(dataDir: string, count: number, prefix: string): number[] {
  const sqlite = new Database(join(dataDir, 'pong.sqlite'));
  const now = new Date().toISOString();
  const insert = sqlite.prepare(
    'insert into users (username, username_lower, password_hash, is_guest, created_at, last_online, profile_picture_id) values (?, ?, null, 1, ?, ?, 0)',
  );
  const ids: number[] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < count; i++) ids.push(Number(insert.run(`${prefix}${i}`, `${prefix.toLowerCase()}${i}`, now, now).lastInsertRowid));
  })();
  sqlite.close();
  return ids;
}

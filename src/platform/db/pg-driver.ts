import { createRequire } from 'node:module';
import type pg from 'pg';

let loaded: typeof pg | null = null;

/**
 * The PostgreSQL driver, loaded the first time a PostgreSQL database is used:
 * a node on SQLite does without its memory (docs/architecture.md, idle memory).
 */
export function pgDriver(): typeof pg {
  if (loaded) return loaded;
  loaded = createRequire(import.meta.url)('pg') as typeof pg;
  // COUNT(*) and SUM() come back from PostgreSQL as int8 strings; ids and counters here fit in a double.
  loaded.types.setTypeParser(20, (value) => Number(value));
  return loaded;
}

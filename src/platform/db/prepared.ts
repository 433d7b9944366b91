import type { CompiledQuery, Compilable } from 'kysely';
import { directReaderOf, type Db } from './database.js';

// An id no row can have: its place in the compiled parameters is where the real id goes.
const ID_PLACEHOLDER = -918_273_645;

/**
 * A query keyed by one id, compiled once instead of on every call: building
 * and compiling a Kysely query costs more than running a primary-key read on
 * SQLite, and these queries run on every authenticated request.
 */
export function preparedById<Row>(db: Db, build: (id: number) => Compilable<Row>): (id: number) => Promise<Row | undefined> {
  let compiled: CompiledQuery<Row> | null = null;
  return async (id: number) => {
    // Compiled on first use, after every feature has registered its part of the query.
    compiled ??= build(ID_PLACEHOLDER).compile();
    const parameters = compiled.parameters.map((p) => (p === ID_PLACEHOLDER ? id : p));
    const direct = directReaderOf(db);
    if (direct) return direct(compiled.sql, parameters) as Row | undefined;
    const result = await db.executeQuery<Row>({ ...compiled, parameters });
    return result.rows[0];
  };
}

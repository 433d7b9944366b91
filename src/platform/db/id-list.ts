import { sql, type Kysely, type RawBuilder } from 'kysely';
import { dialectOf } from './migrations/dialect.js';

/** The largest id a serial primary key can hold: a larger one cannot exist (and would overflow the parameter). */
export const MAX_ROW_ID = 2_147_483_647;

/**
 * `column IN ids` for lists of any length as ONE parameter: PostgreSQL's
 * `= any($1::int[])` (a 10,000-parameter IN list costs ~10-30 ms more to
 * parse and plan), SQLite's `json_each(?)` (an IN list has a hard limit of
 * 32,766 parameters). Ids out of range are dropped: no row has them.
 */
export function idIn(db: Kysely<any>, column: string, ids: readonly number[]): RawBuilder<boolean> {
  const valid = ids.filter((id) => Number.isInteger(id) && id > 0 && id <= MAX_ROW_ID);
  return dialectOf(db) === 'postgres'
    ? sql<boolean>`${sql.ref(column)} = any(${valid}::int4[])`
    : sql<boolean>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(valid)}))`;
}

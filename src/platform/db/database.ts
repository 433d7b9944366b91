import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Driver } from 'kysely';
import type pg from 'pg';
import { pgDriver } from './pg-driver.js';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations/index.js';
import type { Dialect } from './migrations/dialect.js';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | null;
  dataDir: string;
  sqliteSynchronous?: 'FULL' | 'NORMAL';
  /** PostgreSQL: how long acquiring a new connection may take (default 5 s). */
  connectTimeoutMs?: number;
  /** PostgreSQL: how long one query may take, client- and server-side (default 15 s). */
  queryTimeoutMs?: number;
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.databaseUrl && /^postgres(ql)?:\/\//.test(options.databaseUrl)) {
    const queryTimeoutMs = options.queryTimeoutMs ?? 15_000;
    const pool = new (pgDriver().Pool)({
      connectionString: options.databaseUrl,
      max: 20,
      // A server that is down or unreachable fails requests in bounded time (503) instead of hanging them.
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      query_timeout: queryTimeoutMs,
      statement_timeout: queryTimeoutMs,
      // A transaction left open by a crashed node must not hold its row locks for ever.
      idle_in_transaction_session_timeout: Math.max(queryTimeoutMs * 4, 60_000),
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    // An idle client that loses its server must not crash the process; the next query reports the fault.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: discardingTimedOutClients(pool) }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const file = options.databaseUrl?.startsWith('sqlite:')
    ? options.databaseUrl.slice('sqlite:'.length)
    : join(options.dataDir, 'pong.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a commit is in the WAL before the answer, so a killed or restarted process loses
  // nothing; only an operating-system crash can lose the last commits. FULL adds an fsync per commit,
  // which stalls the (synchronous) driver and caps writes at a few thousand per second.
  sqlite.pragma(`synchronous = ${options.sqliteSynchronous ?? 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  cachePreparedStatements(sqlite);
  const db = new Kysely<Database>({ dialect: new RollbackTolerantSqliteDialect({ database: sqlite }) });
  // A second, read-only connection serves the per-request primary-key reads synchronously: WAL lets it
  // read committed data while the Kysely connection is inside a transaction, without waiting for it.
  const reader = new SQLite(file, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  cachePreparedStatements(reader);
  directReaders.set(db, (source, parameters) => reader.prepare(source).get(parameters));
  return {
    db,
    dialect: 'sqlite',
    close: async () => {
      directReaders.delete(db);
      reader.close();
      await db.destroy();
    },
  };
}

/**
 * After a client-side query timeout the pg client still waits for the lost
 * answer, so every later query on it would time out too: such a client is
 * closed (its socket destroyed) and the pool replaces it. This is what lets
 * the node recover by itself once an unreachable server answers again.
 */
function discardingTimedOutClients(pool: pg.Pool) {
  const guarded = new WeakSet<pg.PoolClient>();
  const guard = (client: pg.PoolClient) => {
    guarded.add(client);
    // The destroyed socket is reported as an 'error' on the client: expected here, never fatal.
    client.on('error', () => {});
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const result = query(...args);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(undefined, (error: Error) => {
          if (/Query read timeout/.test(error?.message ?? '')) {
            (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
          }
        });
      }
      return result;
    };
  };
  return {
    async connect() {
      const client = await pool.connect();
      if (!guarded.has(client)) guard(client);
      return client;
    },
    end: () => pool.end(),
  };
}

/**
 * On some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM...) SQLite has
 * already rolled the transaction back by itself; Kysely's ROLLBACK then fails
 * with "no transaction is active" and that error would hide the real one
 * (a full disk would be a 500 instead of a 503). Such a ROLLBACK succeeded.
 */
class RollbackTolerantSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.rollbackTransaction = async (...args: Parameters<Driver['rollbackTransaction']>) => {
      try {
        await rollback(...args);
      } catch (error) {
        if (!/no transaction is active/i.test((error as Error)?.message ?? '')) throw error;
      }
    };
    return driver;
  }
}

type DirectReader = (sql: string, parameters: readonly unknown[]) => unknown;
const directReaders = new WeakMap<Db, DirectReader>();

/** On SQLite, a synchronous reader of committed rows (see openDatabase); none on PostgreSQL. */
export function directReaderOf(db: Db): DirectReader | undefined {
  return directReaders.get(db);
}

/**
 * Kysely prepares every query anew; preparing dominates the cost of a small
 * read on SQLite, so statements are kept by their SQL text. Reuse is safe
 * because the dialect runs one query at a time on its connection.
 */
function cachePreparedStatements(sqlite: SQLite.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const statements = new Map<string, SQLite.Statement>();
  (sqlite as { prepare: (source: string) => SQLite.Statement }).prepare = (source: string) => {
    let statement = statements.get(source);
    if (!statement) {
      if (statements.size >= 1000) statements.clear();
      statement = prepare(source);
      statements.set(source, statement);
    }
    return statement;
  };
}

export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}

/** True when a write lost a race on a unique constraint (both dialects). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return !!e && (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');
}

export function toBool(value: number | boolean | null | undefined): boolean {
  return value === true || value === 1;
}

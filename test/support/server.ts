import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { ManualClock } from '../../src/platform/clock.js';
import { startServer, type RunningServer } from '../../src/server.js';

export interface TestServer extends RunningServer {
  clock: ManualClock;
  config: Config;
}

export interface TestServerOptions {
  /** Extra environment (e.g. SSE_PING_MS, ACCESS_TOKEN_TTL). */
  env?: Record<string, string>;
  /** Share a database with another test server (two nodes on one PostgreSQL). */
  databaseUrl?: string;
  redisUrl?: string;
  dataDir?: string;
  clock?: ManualClock;
}

/** Which database the suite runs on: the vitest project sets TEST_DB. */
export function testDatabase(): 'sqlite' | 'postgres' {
  return process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
}

/** A fresh, empty PostgreSQL database for one test server; dropped by the returned function. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `pong_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** The Redis namespace of the nodes sharing one database. */
export function redisPrefixFor(database: string): string {
  let hash = 0;
  for (const char of database) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `t${hash.toString(36)}:`;
}

/** Starts a real node on ephemeral loopback ports with a manual clock. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pong-test-'));
  let databaseUrl = options.databaseUrl;
  let dropDatabase: (() => Promise<void>) | null = null;
  if (!databaseUrl && testDatabase() === 'postgres') {
    const created = await createPostgresDatabase();
    databaseUrl = created.url;
    dropDatabase = created.drop;
  }
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    INTERNAL_PORT: '0',
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-test-secret-test-secret',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    // Test clusters running at once share one Redis: each database gets its own key and channel namespace.
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl, REDIS_PREFIX: redisPrefixFor(databaseUrl ?? dataDir) } : {}),
    ...options.env,
  });
  const clock = options.clock ?? new ManualClock();
  const server = await startServer(config, { clock });
  return {
    ...server,
    clock,
    config,
    async close() {
      await server.close();
      await dropDatabase?.();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { Platform } from '../../src/context.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { registerNodeUrls } from './http.js';

export interface TestServer extends RunningServer {
  clock: ManualClock;
  config: Config;
  /** TEST_TWO_NODES: the second node, on the same database, Redis, data folder and clock. */
  second?: RunningServer;
}

export interface TestServerOptions {
  /** Extra environment (e.g. SSE_PING_MS, ACCESS_TOKEN_TTL). */
  env?: Record<string, string>;
  /** Share a database with another test server (two nodes on one PostgreSQL). */
  databaseUrl?: string;
  redisUrl?: string;
  dataDir?: string;
  clock?: ManualClock;
  /** Receives every log line of the node's apps (set LOG_LEVEL in `env`: the tests default to silent). */
  logStream?: { write(line: string): void };
}

/**
 * Runs `install` on the platform of every node of a test server (one, or two
 * under TEST_TWO_NODES): the in-process hooks and listeners a test adds must
 * be on the node that happens to serve the request.
 */
export function onEachNode(server: TestServer, install: (platform: Platform) => void): void {
  install(server.platform);
  if (server.second) install(server.second.platform);
}

/** The node ids of a test server. */
export function nodeIdsOf(server: TestServer): string[] {
  return [server.config.nodeId, ...(server.second ? [server.second.platform.config.nodeId] : [])];
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

/**
 * TEST_TWO_NODES=1 (with TEST_REDIS_URL): every test server that is not
 * already part of an explicit cluster is two nodes on one database, one
 * Redis, one data folder and one manual clock; the API clients, SSE
 * clients and game sockets of the support code alternate between them.
 */
export function twoNodesRequested(options: TestServerOptions): boolean {
  return process.env.TEST_TWO_NODES === '1' && !!process.env.TEST_REDIS_URL
    && !options.databaseUrl && !options.redisUrl && !options.dataDir && !options.clock;
}

/** Starts a real node on ephemeral loopback ports with a manual clock (two nodes under TEST_TWO_NODES=1). */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  if (twoNodesRequested(options)) return startTwoNodes(options);
  return startOneNode(options);
}

async function startTwoNodes(options: TestServerOptions): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pong-test-'));
  let databaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | null = null;
  if (testDatabase() === 'postgres') {
    const created = await createPostgresDatabase();
    databaseUrl = created.url;
    dropDatabase = created.drop;
  }
  const clock = new ManualClock();
  const shared = { ...options, databaseUrl, dataDir, clock, redisUrl: process.env.TEST_REDIS_URL };
  const nodeId = options.env?.NODE_ID ?? `t${process.pid}${Math.random().toString(36).slice(2, 6)}`;
  const first = await startOneNode({ ...shared, env: { ...options.env, NODE_ID: `${nodeId}-a` } });
  const second = await startOneNode({ ...shared, env: { ...options.env, NODE_ID: `${nodeId}-b` } });
  const unregister = [
    registerNodeUrls(first.publicUrl, [first.publicUrl, second.publicUrl]),
    registerNodeUrls(first.internalUrl!, [first.internalUrl!, second.internalUrl!]),
  ];
  return {
    ...first,
    second,
    async close() {
      for (const u of unregister) u();
      await Promise.allSettled([first.close(), second.close()]);
      await dropDatabase?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startOneNode(options: TestServerOptions): Promise<TestServer> {
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
    // JSON lines even when the test runner's output is a terminal (tests parse them).
    LOG_FORMAT: 'json',
    RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    // The abuse limits are exercised by test/security/abuse-*.test.ts; everywhere else one loopback address plays every user.
    MAX_CONNECTIONS_PER_ADDRESS: '100000',
    CODE_GUESSES_PER_MINUTE: '100000',
    CHAT_MESSAGES_PER_10_SECONDS: '100000',
    LOGIN_FAILURES_PER_ACCOUNT: '100000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    // Test clusters running at once share one Redis: each database gets its own key and channel namespace.
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl, REDIS_PREFIX: redisPrefixFor(databaseUrl ?? dataDir) } : {}),
    ...options.env,
  });
  const clock = options.clock ?? new ManualClock();
  const server = await startServer(config, { clock, logStream: options.logStream });
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

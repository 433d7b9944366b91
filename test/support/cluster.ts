import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ManualClock, systemClock } from '../../src/platform/clock.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { startServerProcess } from './process.js';
import { createPostgresDatabase, redisPrefixFor, startTestServer, testDatabase, type TestServer } from './server.js';
import { BROADCASTS, SseClient, type ReceivedEvent } from './sse.js';

export const JWT_SECRET = 'test-secret-test-secret-test-secret';
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` answers true. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** One database (a SQLite file in a shared folder, or a fresh PostgreSQL database) for several nodes. */
export async function sharedDatabase(): Promise<{ databaseUrl?: string; dataDir: string; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pong-cluster-'));
  if (testDatabase() === 'postgres') {
    const created = await createPostgresDatabase();
    return { databaseUrl: created.url, dataDir, drop: async () => { await created.drop(); rmSync(dataDir, { recursive: true, force: true }); } };
  }
  return { dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/**
 * Two in-process nodes on one database, one Redis (TEST_REDIS_URL) and one
 * manual clock, started before the suite's tests and stopped after: for a
 * limit that every node must count together. `env` is both nodes' (the limit
 * under test); the answer's `a` and `b` are set once they listen.
 */
export function useTwoNodesSharing(name: string, env: Record<string, string>): { a: TestServer; b: TestServer } {
  const nodes = {} as { a: TestServer; b: TestServer };
  let db: Awaited<ReturnType<typeof sharedDatabase>> | undefined;
  beforeAll(async () => {
    db = await sharedDatabase();
    const shared = { databaseUrl: db.databaseUrl, dataDir: db.dataDir, redisUrl: process.env.TEST_REDIS_URL, clock: new ManualClock() };
    nodes.a = await startTestServer({ ...shared, env: { ...env, NODE_ID: `${name}-a-${process.pid}` } });
    nodes.b = await startTestServer({ ...shared, env: { ...env, NODE_ID: `${name}-b-${process.pid}` } });
  });
  afterAll(async () => {
    await Promise.allSettled([nodes.a?.close(), nodes.b?.close()]);
    await db?.drop();
  });
  return nodes;
}

function nodeEnv(db: { databaseUrl?: string; dataDir: string }, redisUrl: string, env: Record<string, string>): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    DATA_DIR: db.dataDir,
    JWT_SECRET,
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
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefixFor(db.databaseUrl ?? db.dataDir),
    ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
    ...env,
  };
}

/** A node in this process on the real clock (the survivor side of the kill tests). */
export async function startRealTimeNode(db: { databaseUrl?: string; dataDir: string }, redisUrl: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig(nodeEnv(db, redisUrl, { PORT: '0', INTERNAL_PORT: '0', ...env }));
  return startServer(config, { clock: systemClock });
}

export interface NodeProcess {
  child: ChildProcess;
  publicUrl: string;
  internalUrl: string;
  nodeId: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/** A real node process (`src/main.ts` through tsx), as in production: what SIGKILL and SIGTERM are sent to. */
export async function startNodeProcess(db: { databaseUrl?: string; dataDir: string }, redisUrl: string, env: Record<string, string> = {}): Promise<NodeProcess> {
  const nodeId = env.NODE_ID ?? `proc-${randomBytes(4).toString('hex')}`;
  const server = await startServerProcess(nodeEnv(db, redisUrl, { NODE_ID: nodeId, LOG_LEVEL: 'error', ...env }));
  return { child: server.child, publicUrl: server.publicUrl, internalUrl: server.internalUrl, nodeId, exited: server.exited, kill: server.kill };
}

/**
 * A client that behaves like EventSource: it remembers the id of the last
 * event, and when its stream ends it reconnects (to the node `pick` names)
 * with `Last-Event-ID`. `received` collects the events of every connection.
 */
export class ResumingStream {
  readonly received: ReceivedEvent[] = [];
  lastId: string | null = null;
  connections = 0;
  private current: SseClient | null = null;
  private stopped = false;
  private loop: Promise<void>;

  constructor(private readonly token: string, private readonly pick: (attempt: number) => string, private readonly retryMs = 50) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      const url = this.pick(attempt++);
      let stream: SseClient;
      try {
        stream = await SseClient.open(url, this.token, { headers: this.lastId ? { 'last-event-id': this.lastId } : {} });
      } catch {
        await sleep(this.retryMs);
        continue;
      }
      if (stream.status !== 200) {
        await sleep(this.retryMs);
        continue;
      }
      this.current = stream;
      this.connections += 1;
      let seen = 0;
      const drain = () => {
        for (; seen < stream.events.length; seen++) {
          const event = stream.events[seen];
          if (BROADCASTS.has(event.event)) continue;
          this.received.push(event);
          if (event.id) this.lastId = event.id;
        }
      };
      while (!stream.closed && !this.stopped) {
        drain();
        await stream.waitFor(() => stream.events.length > seen || stream.closed, 60_000).catch(() => {});
      }
      drain();
      if (!this.stopped) await sleep(this.retryMs);
    }
  }

  /** Ends the current connection (the client reconnects by itself). */
  drop(): void {
    this.current?.close();
  }

  notifications(): ReceivedEvent[] {
    return this.received;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.close();
    await this.loop;
  }
}

/**
 * Issue 8: one node against two nodes on the same machine, on one
 * PostgreSQL database and one Redis.
 * - `GET /api/users/me/` and chat posting (write + `receive-message` event),
 *   64 requests in flight: with 1 node and with 2 (32 in flight on each),
 *   in alternating rounds (BENCH_PAIRS of BENCH_ROUND_SECONDS): the median
 *   requests/s of both and the median ratio with its spread.
 * - SSE: BENCH_STREAMS (10,000) streams spread over the 2 nodes (HTTP/2,
 *   100 streams per connection); one event addressed to all of them is
 *   published through node A, so half the streams receive it across nodes
 *   (Redis); BENCH_SSE_WARMUP events first (reported, not judged), then
 *   BENCH_SSE_ROUNDS such events, 2 s apart. The streams are read by
 *   BENCH_READER_PROCS child processes (bench/sse-readers-worker.ts).
 *   Delivery p99 per round and over all rounds, overall and for each node.
 *   Target: p99 < 100 ms.
 *
 * BENCH_DATABASE_URL (default TEST_DATABASE_URL, or postgres://postgres@127.0.0.1:5432/postgres)
 * is an admin URL: a fresh database is created and dropped. BENCH_REDIS_URL (default redis://127.0.0.1:6379).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { fork } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSigner } from 'fast-jwt';
import pg from 'pg';
import { closedLoop, type LoadResult } from './load.js';
import { percentile, postInternal, startBenchServer, type BenchServer } from './server-process.js';
import { alternate, loadLine, ratioLine } from './support/alternation.js';
import type { ReaderJob, ReaderMessage } from './sse-readers-worker.js';

/** One round of one configuration; PAIRS rounds of each, alternating (bench/support/alternation.ts). */
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 2);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 6);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 10_000);
const USERS = Math.max(STREAMS, 1000);
const CHAT_USERS = 1000;
const PER_SESSION = 100;
/** Processes reading the streams (BENCH_READER_PROCS). */
const READER_PROCS = Number(process.env.BENCH_READER_PROCS ?? 4);
/** Events published to all the streams, one after the other (BENCH_SSE_ROUNDS). */
const ROUNDS = Number(process.env.BENCH_SSE_ROUNDS ?? 5);
/** Events before the timed ones: servers and readers run their delivery code optimised from then on. */
const WARMUP = Number(process.env.BENCH_SSE_WARMUP ?? 3);
const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const dbName = `pong_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
const dataDir = mkdtempSync(join(tmpdir(), 'pong-bench-multi-'));
const env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_PREFIX: `${dbName}:`, SSE_PING_MS: '10000' };
const nodeEnv = (id: string) => ({ ...env, NODE_ID: id });

// Node A creates the schema; users and chats go straight into the database (creating them over HTTP is not what is measured).
const nodeA: BenchServer = await startBenchServer(nodeEnv('bench-a'), { dataDir });
let nodeB: BenchServer | null = null;
try {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const now = new Date().toISOString();
  const inserted = await db.query<{ id: number }>(
    `insert into users (username, username_lower, password_hash, is_guest, created_at, last_online, profile_picture_id)
     select 'Multi' || g, 'multi' || g, null, 0, $1, $1, 1 from generate_series(1, ${USERS}) g order by g returning id`, [now]);
  const ids = inserted.rows.map((r) => Number(r.id));
  const chats: Array<{ id: number; a: number; b: number }> = [];
  for (let i = 0; i + 1 < CHAT_USERS; i += 2) {
    const row = await db.query<{ id: number }>('insert into chats (user_a_id, user_b_id, created_at, last_updated) values ($1, $2, $3, $3) returning id', [ids[i], ids[i + 1], now]);
    chats.push({ id: Number(row.rows[0].id), a: ids[i], b: ids[i + 1] });
  }

  const sign = createSigner({ key: nodeA.jwtSecret, algorithm: 'HS256' });
  const iat = Math.floor(Date.now() / 1000);
  const tokens = new Map(ids.map((id) => [id, sign({ token_type: 'access', iat, exp: iat + 3600, jti: randomBytes(16).toString('hex'), user_id: id })]));
  const someUser = () => ids[Math.floor(Math.random() * CHAT_USERS)];
  const me = () => ({ method: 'GET' as const, path: '/api/users/me/', token: tokens.get(someUser())! });
  const chatPost = () => {
    const chat = chats[Math.floor(Math.random() * chats.length)];
    const author = Math.random() < 0.5 ? chat.a : chat.b;
    return { method: 'POST' as const, path: `/api/chat/${chat.id}/messages/`, token: tokens.get(author)!, body: { content: `hello ${Math.random()}` } };
  };
  /** The same closed loop over several nodes at once (the in-flight requests split between them), one round. */
  const over = async (nodes: BenchServer[], concurrency: number, next: () => { method: 'GET' | 'POST'; path: string; token: string; body?: unknown }) => {
    const parts: LoadResult[] = await Promise.all(nodes.map((n) => closedLoop(n.url, concurrency / nodes.length, ROUND_SECONDS, next)));
    return {
      perSecond: parts.reduce((a, p) => a + p.perSecond, 0),
      failed: parts.reduce((a, p) => a + p.failed, 0),
      p99Ms: Math.max(...parts.map((p) => p.latencyMs.p99)),
      perNode: parts.map((p) => p.perSecond),
    };
  };

  // Both nodes run throughout; one node's rounds send everything to node A and leave B idle.
  nodeB = await startBenchServer(nodeEnv('bench-b'), { dataDir });
  await closedLoop(nodeA.url, 16, 2, me);
  await closedLoop(nodeB.url, 16, 2, me);
  const oneAndTwo = (next: typeof me | typeof chatPost) => alternate({
    baseline: () => over([nodeA], 64, next),
    subjects: { twoNodes: () => over([nodeA, nodeB!], 64, next) },
  }, { pairs: PAIRS });
  const meRuns = await oneAndTwo(me);
  const chatRuns = await oneAndTwo(chatPost);
  const summary = (runs: typeof meRuns) => {
    const line = ratioLine(runs, 'twoNodes');
    return {
      load: loadLine(runs),
      oneNode: { medianPerSecond: line.baselinePerSecond, failed: runs.baseline.reduce((n, r) => n + r.failed, 0) },
      twoNodes: { medianPerSecond: line.perSecond, failed: runs.subjects.twoNodes.reduce((n, r) => n + r.failed, 0) },
      medianRatio: line.medianRatio, spread: line.spread,
    };
  };
  const stored = Number((await db.query<{ n: number }>('select count(*) n from chat_messages')).rows[0].n);

  // SSE: half the streams on each node; the event is published through node A. The streams are read by
  // READER_PROCS child processes: one event loop reading 10,000 streams would itself add ~50 ms to the tail.
  const nodes = [nodeA, nodeB];
  const nodeOf = new Map<number, number>();
  const openStarted = performance.now();
  const streamIds = ids.slice(0, STREAMS);
  const streams = streamIds.map((userId, i) => {
    const node = Math.floor(i / PER_SESSION) % 2;
    nodeOf.set(userId, node);
    return { userId, url: nodes[node].url, token: tokens.get(userId)! };
  });
  const readers = Array.from({ length: READER_PROCS }, (_, r) => {
    const child = fork('bench/sse-readers-worker.ts', [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const messages: ReaderMessage[] = [];
    const waiting: Array<() => void> = [];
    child.on('message', (m: ReaderMessage) => { messages.push(m); waiting.splice(0).forEach((w) => w()); });
    const next = async <K extends ReaderMessage['kind']>(kind: K): Promise<Extract<ReaderMessage, { kind: K }>> => {
      for (;;) {
        const found = messages.find((m) => m.kind === kind);
        if (found) return found as Extract<ReaderMessage, { kind: K }>;
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
    };
    // Whole sessions to each reader, so a connection's streams stay together.
    const share = streams.filter((_, i) => Math.floor(i / PER_SESSION) % READER_PROCS === r);
    child.send({ streams: share, perSession: PER_SESSION, awaited: 'lobby-update' } satisfies ReaderJob);
    return { child, next };
  });
  await Promise.all(readers.map((r) => r.next('open')));
  const openSeconds = (performance.now() - openStarted) / 1000;
  // Every addressee online first (the internal endpoint only sends to online users; presence is written after the stream opens).
  const onlineDeadline = Date.now() + 60_000;
  let online = 0;
  while (Date.now() < onlineDeadline) {
    online = Number((await db.query<{ n: number }>('select count(*) n from users where is_online = 1 and id = any($1)', [streamIds])).rows[0].n);
    if (online === streamIds.length) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  // The chat phase left PostgreSQL with dirty pages to flush: written out now, not while the SSE rounds are timed.
  await admin.query('CHECKPOINT');
  await new Promise((r) => setTimeout(r, 3000));
  // WARMUP events (their figures are reported, not judged: the first rounds of 10,000 writes, on the nodes and in
  // the readers, run code not yet optimised), then ROUNDS events, one every 2 s (the readers keep timing meanwhile):
  // one round's tail is a noisy figure here.
  const publishedAt: number[] = [];
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    publishedAt.push(performance.timeOrigin + performance.now());
    await postInternal(`${nodeA.internalUrl}/api/private/users/events/`, { users_id: streamIds, event_code: 'lobby-update', data: { bench: true, round } });
    await new Promise((r) => setTimeout(r, 2000));
  }
  for (const r of readers) r.child.send({ kind: 'report' });
  /** Per round, per node: the delivery latencies. */
  const latencies = publishedAt.map(() => [[] as number[], [] as number[]]);
  for (const r of readers) {
    for (const [userId, times] of (await r.next('received')).at) {
      times.forEach((at, round) => latencies[round]?.[nodeOf.get(userId)!].push(at - publishedAt[round]));
    }
  }
  const stats = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { delivered: sorted.length, p50: Math.round(percentile(sorted, 50)), p99: Math.round(percentile(sorted, 99)), max: Math.round(sorted[sorted.length - 1] ?? NaN) };
  };
  const perRound = latencies.map(([a, b]) => ({ all: stats([...a, ...b]), publishingNode: stats(a), otherNode: stats(b) }));
  const warmUp = perRound.slice(0, WARMUP);
  const rounds = perRound.slice(WARMUP);
  const all = stats(latencies.slice(WARMUP).flatMap(([a, b]) => [...a, ...b]));
  const medianRoundP99 = [...rounds.map((r) => r.all.p99)].sort((a, b) => a - b)[Math.floor(rounds.length / 2)];

  const report = {
    database: 'PostgreSQL (one database), Redis (one instance), both nodes and the load generator on the same 2 cores',
    me: summary(meRuns),
    chatPosting: { ...summary(chatRuns), storedMessages: stored },
    sse: {
      streams: streamIds.length,
      readerProcesses: READER_PROCS,
      openSeconds: Number(openSeconds.toFixed(1)),
      onlineBeforePublish: online,
      loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
      warmUp: warmUp.map((r) => r.all),
      rounds: rounds.map((r) => ({ all: r.all, publishingNodeP99: r.publishingNode.p99, otherNodeP99: r.otherNode.p99 })),
      allRounds: all,
      medianRoundP99,
      rssMb: { a: Math.round(nodeA.rssMb()), b: Math.round(nodeB.rssMb()) },
    },
    targets: { sseP99UnderMs: 100 },
    pass: rounds.every((r) => r.all.delivered === streamIds.length) && all.p99 < 100,
  };
  console.log(JSON.stringify(report, null, 2));
  await db.end();
} finally {
  await nodeB?.stop();
  await nodeA.stop();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  rmSync(dataDir, { recursive: true, force: true });
}

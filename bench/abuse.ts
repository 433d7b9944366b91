/**
 * "One hostile user cannot take the platform down": what one node's memory
 * does under abuse by free accounts, each within its rate limits.
 *
 * Phase "messages": 50 pairs of registered accounts (BENCH_PAIRS), each
 * account posting the largest message the API accepts (2,000 characters) to
 * its partner as fast as its rate limit (the production default,
 * RATE_LIMIT_PER_MINUTE=1200) and the server allow, one request in flight per
 * account (the per-chat flood limit, CHAT_MESSAGES_PER_10_SECONDS, is lifted as
 * on every benchmark server: with it, all but 1 message a second per pair would
 * be refused, and the memory is measured at the worst pace an account may post),
 * for BENCH_SECONDS (default 60): once with every account's SSE
 * stream open and read, once with all of them closed (offline recipients:
 * the events only go to the resume log). The server runs as `npm start` runs
 * it (compiled, `--max-old-space-size` = BENCH_HEAP_LIMIT_MB, default the
 * `npm start` default). Its RSS is sampled every second (and its V8 heap and
 * SSE buffer gauges from /metrics); the report gives RSS over time
 * (min/median/max and a sample every 10 s), requests accepted (201) and
 * refused (429), and whether the process stayed alive. Pass: alive, and RSS
 * never above the bound stated below.
 *
 * The second half of the abuse benchmark (idle connections) is a separate
 * phase: see PHASES at the bottom.
 */
import { Pool, request } from 'undici';
import { LiveStream } from '../src/client/events.js';
import type { ApiClient } from '../src/client/http.js';
import { apiClient, must, percentile, startBenchServer, transport, type BenchServer } from './server-process.js';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
/** The `npm start` default (scripts/start.mjs). */
const HEAP_LIMIT_MB = Number(process.env.BENCH_HEAP_LIMIT_MB ?? 1536);
const MESSAGE = 'm'.repeat(2000);
/** The server's defaults (src/config.ts): what the bound below is computed from. */
const USER_LOG_BYTES = 256 * 1024;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Account {
  id: number;
  username: string;
  token: string;
  api: ApiClient;
  /** The chat with the partner. */
  chatId: number;
}

interface Sample {
  t: number;
  rssMb: number;
  heapMb: number;
  logMb: number;
  streamBufferMb: number;
}

/** Samples the server every second until stopped. */
function sampler(server: BenchServer) {
  const samples: Sample[] = [];
  const started = performance.now();
  let running = true;
  const done = (async () => {
    while (running) {
      const t = Math.round((performance.now() - started) / 1000);
      let metrics = '';
      try {
        const res = await request(`${server.internalUrl}/metrics`);
        metrics = await res.body.text();
      } catch {
        // The server is gone: the sample says so (RSS 0).
      }
      const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? 0) / 1048576;
      let rssMb = 0;
      try {
        rssMb = server.rssMb();
      } catch {
        // No such process any more.
      }
      samples.push({ t, rssMb: +rssMb.toFixed(1), heapMb: +gauge('nodejs_heap_used_bytes').toFixed(1), logMb: +gauge('sse_log_bytes').toFixed(1), streamBufferMb: +gauge('sse_stream_buffered_bytes').toFixed(2) });
      await sleep(1000 - ((performance.now() - started) % 1000));
    }
  })();
  return { samples, stop: async () => { running = false; await done; } };
}

function summary(samples: Sample[]) {
  const rss = samples.map((s) => s.rssMb).sort((a, b) => a - b);
  const heap = samples.map((s) => s.heapMb).sort((a, b) => a - b);
  return {
    rssMb: { min: rss[0], median: percentile(rss, 50), max: rss.at(-1)! },
    heapUsedMb: { min: heap[0], median: percentile(heap, 50), max: heap.at(-1)! },
    logMbMax: Math.max(...samples.map((s) => s.logMb)),
    streamBufferMbMax: Math.max(...samples.map((s) => s.streamBufferMb)),
    every10s: samples.filter((s) => s.t % 10 === 0),
  };
}

async function setUp(server: BenchServer): Promise<Account[]> {
  const accounts: Account[] = [];
  const run = `${process.pid % 1000}${Date.now() % 100000}`;
  for (let i = 0; i < 2 * PAIRS; i++) {
    const username = `Ab${run}x${i}`;
    const api = apiClient(server.url);
    const created = await must(api.typed.POST('/api/auth/register/', { body: { username, password: 'Str0ng-Passw0rd!' } }));
    api.setTokens(created);
    const me = await must(api.typed.GET('/api/users/me/'));
    accounts.push({ id: me.id, username, token: created.access, api, chatId: 0 });
  }
  for (let p = 0; p < PAIRS; p++) {
    const [a, b] = [accounts[2 * p], accounts[2 * p + 1]];
    await must(b.api.typed.PATCH('/api/users/me/', { body: { accept_chat_from: 'everyone' } }));
    const chat = await must(a.api.typed.POST('/api/chat/', { body: { username: b.username } }));
    a.chatId = b.chatId = chat.id;
  }
  return accounts;
}

/** Every account's stream, read as the clients read it (bytes counted) until closed. */
function openStreams(accounts: Account[]) {
  let bytes = 0;
  // Counted as they come off the connection: what the server had to send.
  const counted = async (url: string, init: RequestInit) => {
    const response = await transport.fetchUrl(url, init);
    if (!response.body) return response;
    const counter = new TransformStream<Uint8Array, Uint8Array>({ transform(chunk, out) { bytes += chunk.byteLength; out.enqueue(chunk); } });
    return new Response(response.body.pipeThrough(counter), response);
  };
  const streams = accounts.map((account) => new LiveStream({ api: account.api, fetch: counted, onEvent: () => {} }));
  for (const stream of streams) stream.start();
  return {
    get bytes() { return bytes; },
    /** Resolves once every stream is up; a refused one stops the benchmark. */
    async up() {
      await Promise.all(streams.map((stream) => stream.whenUp()));
      const refused = streams.find((stream) => stream.current.status !== 'up');
      if (refused) throw new Error(`stream: ${refused.current.error}`);
    },
    close() {
      for (const stream of streams) stream.stop();
    },
  };
}

/** Every account posts the largest message to its chat, one request in flight, for `seconds`. */
async function flood(server: BenchServer, accounts: Account[], seconds: number) {
  const pool = new Pool(server.url, { connections: accounts.length, connect: { rejectUnauthorized: false }, pipelining: 1 });
  const statuses = new Map<number, number>();
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const body = JSON.stringify({ content: MESSAGE });
  const errors = new Map<string, number>();
  await Promise.all(accounts.map(async (account) => {
    while (performance.now() < until) {
      const t0 = performance.now();
      try {
        const res = await pool.request({
          method: 'POST', path: `/api/chat/${account.chatId}/messages/`, body,
          headers: { authorization: `Bearer ${account.token}`, 'content-type': 'application/json' },
        });
        await res.body.text();
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode === 201) latencies.push(performance.now() - t0);
      } catch (error) {
        const code = String((error as { code?: string }).code ?? (error as Error).message);
        errors.set(code, (errors.get(code) ?? 0) + 1);
        await sleep(100);
      }
    }
  }));
  await pool.close();
  latencies.sort((a, b) => a - b);
  const accepted = statuses.get(201) ?? 0;
  return {
    accepted,
    refused429: statuses.get(429) ?? 0,
    otherStatuses: Object.fromEntries([...statuses].filter(([s]) => s !== 201 && s !== 429)),
    networkErrors: Object.fromEntries(errors),
    acceptedPerSecond: Math.round(accepted / seconds),
    postedMb: +((accepted * MESSAGE.length) / 1048576).toFixed(1),
    latencyMs: { p50: +percentile(latencies, 50).toFixed(1), p99: +percentile(latencies, 99).toFixed(1) },
  };
}

async function alive(server: BenchServer): Promise<boolean> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return false;
  try {
    return (await apiClient(server.url).typed.GET('/api/health/live')).response.ok;
  } catch {
    return false;
  }
}

const server = await startBenchServer({ RATE_LIMIT_PER_MINUTE: '1200' }, { nodeArgs: [`--max-old-space-size=${HEAP_LIMIT_MB}`] });
let died: string | null = null;
server.child.once('exit', (code, signal) => { died = `exit code ${code}, signal ${signal}`; });
const accounts = await setUp(server);
await sleep(2000);
const idleRssMb = +server.rssMb().toFixed(1);

/**
 * The bound: what the node holds at rest, plus what this attack may make it
 * keep by design (each account's resume log full: SSE_LOG_USER_BYTES per
 * account; no window on one node; the streams are read, so their backlogs
 * stay small), plus 100 MB for the work in flight and native memory (100
 * requests and their 6 KB events, SQLite's page cache, TLS buffers of 200
 * connections), plus the garbage V8 lets accumulate between major
 * collections when its limit is far away (measured: the heap in use peaks
 * ~280 MB above the live data with a 1.5-2 GB limit, ~60 MB with 128 MB).
 * Nothing in it grows with what is posted: the RSS must stay below it
 * however long the attack lasts (BENCH_RSS_BOUND_MB overrides it).
 */
const v8SlackMb = HEAP_LIMIT_MB >= 1024 ? 300 : 100;
const boundMb = Number(process.env.BENCH_RSS_BOUND_MB ?? Math.round(idleRssMb + (2 * PAIRS * USER_LOG_BYTES) / 1048576 + 100 + v8SlackMb));

const phases: Array<{ name: string; run: () => Promise<unknown> }> = [
  {
    name: 'messages, streams open',
    run: async () => {
      const streams = openStreams(accounts);
      await streams.up();
      const sampling = sampler(server);
      const load = await flood(server, accounts, SECONDS);
      await sampling.stop();
      const receivedMb = +(streams.bytes / 1048576).toFixed(1);
      streams.close();
      return { streamsOpen: accounts.length, ...load, streamReceivedMb: receivedMb, ...summary(sampling.samples) };
    },
  },
  {
    name: 'messages, streams closed',
    run: async () => {
      // The accounts go offline (after the stream grace); their events still go to their resume logs.
      await sleep(4000);
      const sampling = sampler(server);
      const load = await flood(server, accounts, SECONDS);
      await sampling.stop();
      return { streamsOpen: 0, ...load, ...summary(sampling.samples) };
    },
  },
  // PHASES: the idle-connections half of the abuse benchmark goes here, as one more { name, run } entry
  // (run against the same `server`; its result is reported and checked like the two above).
];

const results: Record<string, unknown> = {};
for (const phase of phases) {
  results[phase.name] = await phase.run();
  if (died) break;
}
const diedDuringRun = died as string | null;
const stayedAlive = !diedDuringRun && (await alive(server));
const maxRssMb = Math.max(...Object.values(results).map((r) => (r as { rssMb: { max: number } }).rssMb.max));
if (!diedDuringRun) await server.stop();

console.log(JSON.stringify({
  pairs: PAIRS, secondsPerPhase: SECONDS, messageChars: MESSAGE.length, rateLimitPerMinute: 1200, heapLimitMb: HEAP_LIMIT_MB,
  idleRssMb, results, stayedAlive, died: diedDuringRun,
  expected: { rssMbAtMost: boundMb },
  pass: stayedAlive && maxRssMb <= boundMb,
}, null, 2));

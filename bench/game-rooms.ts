/**
 * Concurrent bot-vs-bot duels in one server process (issue 4): N matches
 * are kept live for BENCH_SECONDS (a finished match is replaced by a new
 * one for the same pair) by bots running in BENCH_BOT_PROCS child processes
 * (bench/game-bots-worker.ts, the bot code of src/game/bot over real
 * WebSockets). Reports, over the measured window:
 * - tick lateness (the server's `game_tick_lateness_seconds` histogram, read
 *   from /metrics before and after): share of ticks within 4 ms, p99 bucket;
 * - ticks per second per playing room (60 Hz near paddles and walls, 15 Hz in
 *   the central safe zone, where the ball cannot reach a paddle) and live rooms;
 * - input latency: a bot's `move_up`/`move_down` until the opponent's socket
 *   receives the relayed frame (both bots in the same client process);
 * - the server's CPU (cores) and resident memory, per match;
 * - frames and bytes (WebSocket payload and frame header) to each client per second.
 * Targets: lateness p99 < 4 ms, input p99 < 25 ms.
 *
 * BENCH_ENCODING: the bots' game socket encoding, `compact` (the shared client's default) or `json`.
 *
 * BENCH_MATCHES may be a list ("250,500,1000"): one run per count, each on a fresh server process.
 * BENCH_REPLAYS may be a list too ("on,off"): each count runs once per value, the server started with
 * REPLAYS set to it (docs/replays.md), to measure what recording the replays costs the ticks.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedGuests } from './support/seed.js';
import { createSigner } from 'fast-jwt';
import { request } from 'undici';
import { startedAtMs } from './proc.js';
import { percentile, startBenchServer, type BenchServer } from './server-process.js';

const COUNTS = (process.env.BENCH_MATCHES ?? '1000').split(',').map(Number);
const REPLAYS = (process.env.BENCH_REPLAYS ?? 'on').split(',').map((v) => v.trim()).filter(Boolean);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const BOT_PROCS = Number(process.env.BENCH_BOT_PROCS ?? 2);
/** `off`: the server runs with TLS=off (as behind a TLS-terminating proxy) and the bots use ws://. */
const TLS = (process.env.BENCH_TLS ?? 'on') === 'off' ? 'off' : 'on';
/**
 * Scheduling priority of the bot processes (nice, 0-19). The bots are the load generator: on a
 * 2-core machine they need ~0.8 core, and at equal priority the scheduler preempts the server for
 * them, which shows up as tick lateness that is not the server's. 0 measures them as equals.
 */
const BOT_NICE = Number(process.env.BENCH_BOT_NICE ?? 10);
/** Time for every match to be created and its bots connected before the measured window. */
const RAMP_MS = Number(process.env.BENCH_RAMP_MS ?? 15_000);
const ENCODING = process.env.BENCH_ENCODING === 'json' ? 'json' : 'compact';

const dataDir = mkdtempSync(join(tmpdir(), 'pong-bench-rooms-'));
// Each run has its own users (the matches a stopped server leaves live keep theirs busy).
const maxUsers = 2 * REPLAYS.length * COUNTS.reduce((a, b) => a + b, 0);
let nextUser = 0;
// First start creates the schema; the users are inserted in one transaction.
let server: BenchServer = await startBenchServer({}, { dataDir });
await server.stop();
const ids = seedGuests(dataDir, maxUsers, 'Bot');

interface Histogram { counts: Map<string, number>; sum: number; count: number }

async function scrape(internalUrl: string): Promise<{ text: string; tick: Histogram }> {
  const res = await request(`${internalUrl}/metrics`);
  const text = await res.body.text();
  const tick: Histogram = { counts: new Map(), sum: 0, count: 0 };
  for (const line of text.split('\n')) {
    const bucket = /^game_tick_lateness_seconds_bucket\{le="([^"]+)"\} (\S+)$/.exec(line);
    if (bucket) tick.counts.set(bucket[1], Number(bucket[2]));
    if (line.startsWith('game_tick_lateness_seconds_sum ')) tick.sum = Number(line.split(' ')[1]);
    if (line.startsWith('game_tick_lateness_seconds_count ')) tick.count = Number(line.split(' ')[1]);
  }
  return { text, tick };
}

function gauge(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function run(matches: number, replays: string) {
  server = await startBenchServer({ SSE_PING_MS: '30000', TLS, REPLAYS: replays }, { dataDir });
  const sign = createSigner({ key: server.jwtSecret, algorithm: 'HS256' });
  const iat = Math.floor(Date.now() / 1000);
  const token = (id: number) => sign({ token_type: 'access', iat, exp: iat + 3600, jti: randomBytes(16).toString('hex'), user_id: id });
  const seat = () => { const id = ids[nextUser++]; return { id, token: token(id) }; };
  const pairs = Array.from({ length: matches }, () => ({ a: seat(), b: seat() }));

  await new Promise((r) => setTimeout(r, 1000));
  const rssIdle = server.rssMb();
  const spawnedAt = startedAtMs(server.child.pid!);
  const start = Date.now();
  const measureFrom = start + RAMP_MS;
  const until = measureFrom + SECONDS * 1000;
  const workers = Array.from({ length: BOT_PROCS }, (_, w) => {
    const child = fork('bench/game-bots-worker.ts', [], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_BOT_ARGS ?? '').split(' ').filter(Boolean)], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    setPriority(child.pid!, BOT_NICE);
    const result = new Promise<{ latencies: number[]; matchesPlayed: number; failures: number; frames: number; bytes: number }>((resolve) => {
      child.on('message', (message: { ready?: boolean }) => { if (!message.ready) resolve(message as never); });
    });
    child.send({ url: server.url, internalUrl: server.internalUrl, pairs: pairs.filter((_, i) => i % BOT_PROCS === w), until, measureFrom, encoding: ENCODING });
    return { child, result };
  });

  const log = (what: string) => console.error(`[game-rooms ${matches}, replays ${replays}] ${what}`);
  log(`${BOT_PROCS} bot processes started; measuring from ${RAMP_MS} ms for ${SECONDS} s`);
  await new Promise((r) => setTimeout(r, measureFrom - Date.now()));
  const before = await scrape(server.internalUrl);
  const cpuBefore = cpuSeconds(server.child.pid!);
  const roomsSamples: number[] = [];
  const rssSamples: number[] = [];
  const sampler = setInterval(async () => {
    const { text } = await scrape(server.internalUrl).catch(() => ({ text: '' }));
    roomsSamples.push(gauge(text, 'game_live_rooms'));
    log(`live rooms ${roomsSamples.at(-1)}, server RSS ${Math.round(server.rssMb())} MB`);
    rssSamples.push(server.rssMb());
  }, 5000);
  await new Promise((r) => setTimeout(r, until - Date.now()));
  const cpuAfter = cpuSeconds(server.child.pid!);
  const after = await scrape(server.internalUrl);
  clearInterval(sampler);
  const rssLoaded = Math.max(...rssSamples, server.rssMb());

  log('window over; waiting for the bot processes');
  const results = await Promise.all(workers.map((w) => w.result));
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const delta = (le: string) => (after.tick.counts.get(le) ?? 0) - (before.tick.counts.get(le) ?? 0);
  const ticks = after.tick.count - before.tick.count;
  const buckets = [...after.tick.counts.keys()];
  const p99Bucket = buckets.find((le) => delta(le) >= 0.99 * ticks) ?? '+Inf';
  const withinMs = (ms: number) => delta(String(ms / 1000)) / ticks;
  const cores = (cpuAfter - cpuBefore) / SECONDS;
  const rooms = roomsSamples.length ? roomsSamples.reduce((a, b) => a + b, 0) / roomsSamples.length : NaN;
  const report = {
    matches,
    replays,
    seconds: SECONDS,
    botProcesses: BOT_PROCS,
    botNice: BOT_NICE,
    tls: TLS,
    encoding: ENCODING,
    liveRoomsAvg: Math.round(rooms),
    matchesFinished: results.reduce((a, r) => a + r.matchesPlayed, 0),
    creationFailures: results.reduce((a, r) => a + r.failures, 0),
    ticks: {
      total: ticks,
      perSecondPerRoom: Number((ticks / SECONDS / rooms).toFixed(1)),
      latenessMeanMs: Number((((after.tick.sum - before.tick.sum) / ticks) * 1000).toFixed(2)),
      within1ms: Number(withinMs(1).toFixed(4)),
      within2ms: Number(withinMs(2).toFixed(4)),
      within4ms: Number(withinMs(4).toFixed(4)),
      within8ms: Number(withinMs(8).toFixed(4)),
      p99AtMostMs: p99Bucket === '+Inf' ? Infinity : Number(p99Bucket) * 1000,
    },
    inputToOpponentMs: {
      samples: latencies.length,
      p50: Number(percentile(latencies, 50).toFixed(1)),
      p99: Number(percentile(latencies, 99).toFixed(1)),
      max: Number((latencies[latencies.length - 1] ?? NaN).toFixed(1)),
    },
    toEachClientPerSecond: {
      frames: Number((results.reduce((a, r) => a + r.frames, 0) / (2 * matches) / SECONDS).toFixed(1)),
      bytes: Math.round(results.reduce((a, r) => a + r.bytes, 0) / (2 * matches) / SECONDS),
    },
    /** The measured window in the server's CPU profile (BENCH_NODE_ARGS=--cpu-prof): bench/profile-top.ts <file> 30 <from> <to>. */
    profileWindowSeconds: [Number(((measureFrom - spawnedAt) / 1000).toFixed(1)), Number(((until - spawnedAt) / 1000).toFixed(1))],
    server: {
      cpuCores: Number(cores.toFixed(2)),
      cpuPerMatchMillicores: Number(((cores * 1000) / matches).toFixed(2)),
      rssIdleMb: Math.round(rssIdle),
      rssLoadedMb: Math.round(rssLoaded),
      rssPerMatchKb: Math.round(((rssLoaded - rssIdle) * 1024) / matches),
      eventLoopDelayP99Ms: Number((gauge(after.text, 'nodejs_eventloop_delay_p99_seconds') * 1000).toFixed(1)),
    },
    targets: { tickLatenessP99UnderMs: 4, inputP99UnderMs: 25 },
    pass: withinMs(4) >= 0.99 && percentile(latencies, 99) < 25,
  };
  console.log(JSON.stringify(report, null, 2));
  await server.stop();
  return report;
}

for (const count of COUNTS) for (const replays of REPLAYS) await run(count, replays);
rmSync(dataDir, { recursive: true, force: true });

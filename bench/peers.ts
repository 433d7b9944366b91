/**
 * `npm run bench:peers` (issue 20): our game server against the room a
 * Node.js developer would write on Colyseus instead (bench/peers/colyseus/:
 * our engine's physics at a fixed 60 Hz, first to 3, then a new match for the
 * same pair), at the same number of live duels, in alternating rounds
 * (bench/support/alternation.ts: Colyseus is the baseline, ours the subject).
 *
 * Each round starts a fresh server process, opens BENCH_MATCHES duels of
 * medium bots from BENCH_BOT_PROCS child processes (ours: bench/game-bots-worker.ts,
 * the shared client's bots with the compact encoding; Colyseus:
 * bench/peers/colyseus/bots-worker.ts, the same aim with @colyseus/sdk),
 * waits BENCH_RAMP_MS, then measures for BENCH_ROUND_SECONDS: the server's CPU
 * (user + system, /proc), its RSS above idle, the frames and bytes each client
 * received (WebSocket payload and frame header), and for ours the tick
 * lateness (`/metrics`). Both over plain TCP (ours with TLS=off), bots at
 * nice BENCH_BOT_NICE. The ratio is ours / Colyseus in CPU per live match.
 *
 * Before the rounds, the idle footprint of each server: its RSS 1 s after it
 * answers, and after BENCH_IDLE_SECONDS (20) more of doing nothing, by which
 * time V8's memory reducer has given back what start-up used (BENCH_IDLE_SAMPLES
 * (3) servers of each, alternating; the medians are reported).
 *
 * BENCH_MATCHES (400), BENCH_PAIRS (5), BENCH_ROUND_SECONDS (15), BENCH_RAMP_MS (10000),
 * BENCH_BOT_PROCS (2), BENCH_BOT_NICE (10), BENCH_ENCODING (compact; `json` for ours with JSON frames),
 * BENCH_NODE_ARGS / BENCH_PEER_NODE_ARGS (extra flags of our / the Colyseus server, e.g. --cpu-prof),
 * BENCH_SKIP_BUILD=1 (run the built server as it is), BENCH_UNBUNDLED=1 (the tsc output, for profiles), BENCH_WARMUP=0 (no untimed round of each first),
 * BENCH_SERVER_NICE (0; e.g. -10 with BENCH_BOT_NICE=-5 on a machine shared with other work).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedGuests } from './support/seed.js';
import { createSigner } from 'fast-jwt';
import { request } from 'undici';
import { cpuSplit, rssMb, startedAtMs } from './proc.js';
import { SERVER_NODE_FLAGS, serverEntry, serverEnv } from './server-process.js';
import { alternate, loadLine, median, MIN_PAIRS, type Measured } from './support/alternation.js';

const MATCHES = Number(process.env.BENCH_MATCHES ?? 400);
/** At least MIN_PAIRS: the alternation runs no fewer (and the user pool below must last them all). */
const PAIRS = Math.max(MIN_PAIRS, Number(process.env.BENCH_PAIRS ?? 5));
const SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 15);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 20);
const IDLE_SAMPLES = Number(process.env.BENCH_IDLE_SAMPLES ?? 3);
const RAMP_MS = Number(process.env.BENCH_RAMP_MS ?? 10_000);
const BOT_PROCS = Number(process.env.BENCH_BOT_PROCS ?? 2);
const BOT_NICE = Number(process.env.BENCH_BOT_NICE ?? 10);
/**
 * The servers' scheduling priority (nice; negative needs root). On a machine shared with other work, e.g.
 * BENCH_SERVER_NICE=-10 BENCH_BOT_NICE=-5 keeps both servers and their bots ahead of it, in the same order
 * as the defaults (server before bots); both systems get the same treatment.
 */
const SERVER_NICE = Number(process.env.BENCH_SERVER_NICE ?? 0);
const ENCODING = process.env.BENCH_ENCODING === 'json' ? 'json' : 'compact';
const args = (name: string) => (process.env[name] ?? '').split(' ').filter(Boolean);
const log = (what: string) => console.error(`[peers ${MATCHES}] ${what}`);

interface Round extends Measured {
  /** perSecond: millicores of server CPU per live match (what the ratio compares). */
  cores: number;
  /** The kernel's part of it (system time: socket reads and writes, mostly). */
  systemShare: number;
  /** Duels actually live on average over the window (client-seconds / 2 / window): the divisor of the per-match figures. */
  liveMatches: number;
  rssIdleMb: number;
  rssPerMatchKb: number;
  framesPerClient: number;
  bytesPerClient: number;
  /** Ours only: share of ticks within 4 ms of their instant, and the p99 bucket (ms). */
  ticksWithin4ms?: number;
  tickP99Ms?: number;
  profileWindowSeconds: [number, number];
  /** Bot connections or match creations that failed (and were retried). */
  failures: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const port = () => 20000 + 2 * Math.floor(Math.random() * 6000);

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([new Promise((r) => child.once('exit', r)), sleep(10_000).then(() => child.kill('SIGKILL'))]);
}

/**
 * Forks the bot processes and waits until they are loaded (on a busy machine that takes seconds); then the
 * run's clock starts: `jobOf` gets the window and each process its share of the pairs. Resolves with the
 * window and the processes' reports.
 */
async function bots<R>(module: string, jobOf: (w: number, measureFrom: number, until: number) => object) {
  const children = Array.from({ length: BOT_PROCS }, () => {
    const child = fork(module, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    setPriority(child.pid!, BOT_NICE);
    let ready!: () => void;
    let done!: (report: R) => void;
    const loaded = new Promise<void>((resolve) => { ready = resolve; });
    const report = new Promise<R>((resolve) => { done = resolve; });
    child.on('message', (message: { ready?: boolean }) => (message.ready ? ready() : done(message as R)));
    return { child, loaded, report };
  });
  await Promise.all(children.map((c) => c.loaded));
  const measureFrom = Date.now() + RAMP_MS;
  const until = measureFrom + SECONDS * 1000;
  children.forEach((c, w) => c.child.send(jobOf(w, measureFrom, until)));
  return { measureFrom, until, reports: Promise.all(children.map((c) => c.report)) };
}

/** Samples the server during the window: CPU over it, the largest RSS. */
async function measureWindow(pid: number, measureFrom: number, until: number) {
  await sleep(measureFrom - Date.now());
  const before = cpuSplit(pid);
  let rssMax = rssMb(pid);
  const sampler = setInterval(() => { rssMax = Math.max(rssMax, rssMb(pid)); }, 1000);
  await sleep(until - Date.now());
  clearInterval(sampler);
  const after = cpuSplit(pid);
  const user = (after.user - before.user) / SECONDS;
  const system = (after.system - before.system) / SECONDS;
  return { cores: user + system, systemShare: system / (user + system), rssMax: Math.max(rssMax, rssMb(pid)) };
}

// ---- ours -----------------------------------------------------------------------------------------

const dataDir = mkdtempSync(join(tmpdir(), 'pong-bench-peers-'));
const jwtSecret = 'bench-secret-bench-secret-bench-secret';
let nextUser = 0;
const ids: number[] = [];

async function startOurs(): Promise<{ child: ChildProcess; url: string; internalUrl: string }> {
  const p = port();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...args('BENCH_NODE_ARGS'), ourEntry], {
    env: {
      ...serverEnv(), HOST: '127.0.0.1', PORT: String(p), INTERNAL_PORT: String(p + 1), DATA_DIR: dataDir, JWT_SECRET: jwtSecret,
      LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000000', MAX_CONNECTIONS_PER_ADDRESS: '0', TLS: 'off', SSE_PING_MS: '30000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (SERVER_NICE) setPriority(child.pid!, SERVER_NICE);
  const url = `http://127.0.0.1:${p}`;
  for (let i = 0; ; i++) {
    const ok = await request(`${url}/api/health/live`).then((r) => { r.body.resume(); return r.statusCode === 200; }, () => false);
    if (ok) break;
    if (i > 600) throw new Error('our server did not start');
    await sleep(100);
  }
  return { child, url, internalUrl: `http://127.0.0.1:${p + 1}` };
}

function histogram(text: string) {
  const counts = new Map<string, number>();
  let count = 0;
  for (const line of text.split('\n')) {
    const bucket = /^game_tick_lateness_seconds_bucket\{le="([^"]+)"\} (\S+)$/.exec(line);
    if (bucket) counts.set(bucket[1], Number(bucket[2]));
    if (line.startsWith('game_tick_lateness_seconds_count ')) count = Number(line.split(' ')[1]);
  }
  return { counts, count };
}

const metrics = async (internalUrl: string) => histogram(await (await request(`${internalUrl}/metrics`)).body.text());

async function oursRound(): Promise<Round> {
  const server = await startOurs();
  const pid = server.child.pid!;
  await sleep(1000);
  const rssIdle = rssMb(pid);
  const sign = createSigner({ key: jwtSecret, algorithm: 'HS256' });
  const iat = Math.floor(Date.now() / 1000);
  const seat = () => {
    const id = ids[nextUser++];
    return { id, token: sign({ token_type: 'access', iat, exp: iat + 3600, jti: randomBytes(16).toString('hex'), user_id: id }) };
  };
  const pairs = Array.from({ length: MATCHES }, () => ({ a: seat(), b: seat() }));
  const { measureFrom, until, reports: results } = await bots<{ frames: number; bytes: number; failures: number; clientSeconds: number }>('bench/game-bots-worker.ts', (w, measureFrom, until) => ({
    url: server.url, internalUrl: server.internalUrl, pairs: pairs.filter((_, i) => i % BOT_PROCS === w), until, measureFrom, encoding: ENCODING,
  }));
  await sleep(measureFrom - Date.now());
  const before = await metrics(server.internalUrl);
  const window = await measureWindow(pid, measureFrom, until);
  const after = await metrics(server.internalUrl);
  const reports = await results;
  const spawned = startedAtMs(pid);
  await stop(server.child);
  const ticks = after.count - before.count;
  const delta = (le: string) => (after.counts.get(le) ?? 0) - (before.counts.get(le) ?? 0);
  const p99 = [...after.counts.keys()].find((le) => delta(le) >= 0.99 * ticks);
  return summary(window, rssIdle, reports, [measureFrom - spawned, until - spawned], {
    ticksWithin4ms: Number((delta('0.004') / ticks).toFixed(4)),
    tickP99Ms: p99 === undefined || p99 === '+Inf' ? Infinity : Number(p99) * 1000,
  });
}

// ---- Colyseus -------------------------------------------------------------------------------------

async function startColyseus(): Promise<{ child: ChildProcess; url: string }> {
  const p = port();
  const child = spawn(process.execPath, [...args('BENCH_PEER_NODE_ARGS'), '--import', 'tsx', 'bench/peers/colyseus/server.ts'], {
    env: { ...process.env, PORT: String(p) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (SERVER_NICE) setPriority(child.pid!, SERVER_NICE);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('ready')) resolve(); });
    child.once('exit', () => reject(new Error('the Colyseus server did not start')));
  });
  return { child, url: `http://127.0.0.1:${p}` };
}

async function colyseusRound(): Promise<Round> {
  const { child, url } = await startColyseus();
  const pid = child.pid!;
  await sleep(1000);
  const rssIdle = rssMb(pid);
  const share = (w: number) => Math.floor(MATCHES / BOT_PROCS) + (w < MATCHES % BOT_PROCS ? 1 : 0);
  const { measureFrom, until, reports: results } = await bots<{ frames: number; bytes: number; failures: number; clientSeconds: number }>('bench/peers/colyseus/bots-worker.ts', (w, measureFrom, until) => ({
    url, pairs: share(w), until, measureFrom,
  }));
  const window = await measureWindow(pid, measureFrom, until);
  const reports = await results;
  const spawned = startedAtMs(pid);
  await stop(child);
  return summary(window, rssIdle, reports, [measureFrom - spawned, until - spawned]);
}

function summary(
  window: { cores: number; systemShare: number; rssMax: number },
  rssIdle: number,
  reports: Array<{ frames: number; bytes: number; failures: number; clientSeconds: number }>,
  profileWindowMs: [number, number],
  extra: Partial<Round> = {},
): Round {
  const clientSeconds = reports.reduce((a, r) => a + r.clientSeconds, 0);
  const live = clientSeconds / 2 / SECONDS;
  const frames = reports.reduce((a, r) => a + r.frames, 0);
  const bytes = reports.reduce((a, r) => a + r.bytes, 0);
  return {
    // A round where fewer than 90 % of the duels were live (matchmaking failed under load) does not count.
    perSecond: live >= 0.9 * MATCHES ? (window.cores * 1000) / live : NaN,
    cores: window.cores,
    systemShare: window.systemShare,
    liveMatches: live,
    rssIdleMb: rssIdle,
    rssPerMatchKb: ((window.rssMax - rssIdle) * 1024) / live,
    framesPerClient: frames / clientSeconds,
    bytesPerClient: bytes / clientSeconds,
    profileWindowSeconds: [Number((profileWindowMs[0] / 1000).toFixed(1)), Number((profileWindowMs[1] / 1000).toFixed(1))],
    failures: reports.reduce((a, r) => a + r.failures, 0),
    ...extra,
  };
}

// ---- the run --------------------------------------------------------------------------------------

log('building the server (as npm start does)');
const ourEntry = await serverEntry();
{
  // The schema, then every round's users at once (each round has its own: a stopped server leaves its matches unfinished).
  const first = await startOurs();
  await stop(first.child);
  ids.push(...seedGuests(dataDir, 2 * MATCHES * (PAIRS + 2), 'Peer'));
}

/** RSS 1 s after the server answers, and after IDLE_SECONDS more of doing nothing. */
async function idleFootprint(start: () => Promise<{ child: ChildProcess }>): Promise<{ afterStartMb: number; settledMb: number }> {
  const { child } = await start();
  await sleep(1000);
  const afterStartMb = rssMb(child.pid!);
  await sleep(IDLE_SECONDS * 1000);
  const settledMb = rssMb(child.pid!);
  await stop(child);
  return { afterStartMb, settledMb };
}

const idleSamples = { ours: [] as Array<{ afterStartMb: number; settledMb: number }>, colyseus: [] as Array<{ afterStartMb: number; settledMb: number }> };
for (let i = 0; i < IDLE_SAMPLES; i++) {
  idleSamples.ours.push(await idleFootprint(startOurs));
  idleSamples.colyseus.push(await idleFootprint(startColyseus));
}
const idleLine = (samples: Array<{ afterStartMb: number; settledMb: number }>) => ({
  afterStartMb: Math.round(median(samples.map((s) => s.afterStartMb))),
  settledMb: Math.round(median(samples.map((s) => s.settledMb))),
  samples: samples.map((s) => [Math.round(s.afterStartMb), Math.round(s.settledMb)]),
});
const idle = { seconds: IDLE_SECONDS, ours: idleLine(idleSamples.ours), colyseus: idleLine(idleSamples.colyseus) };
log(`idle RSS (1 s after start -> after ${IDLE_SECONDS} s idle): ours ${idle.ours.afterStartMb} -> ${idle.ours.settledMb} MB, colyseus ${idle.colyseus.afterStartMb} -> ${idle.colyseus.settledMb} MB`);

const round2 = (n: number) => Number(n.toFixed(2));
// One untimed round of each first: the first rounds of a run pay for compiling the bots and warming the caches.
if ((process.env.BENCH_WARMUP ?? '1') !== '0') {
  const c = await colyseusRound();
  const o = await oursRound();
  log(`warm-up: colyseus ${Math.round(c.liveMatches)} live, ours ${Math.round(o.liveMatches)} live`);
}
let roundNo = 0;
const result = await alternate<Round>({
  baseline: async () => {
    const r = await colyseusRound();
    log(`round ${++roundNo} colyseus: ${round2(r.cores)} cores (${Math.round(100 * r.systemShare)} % system), ${Math.round(r.liveMatches)} live, ${round2(r.perSecond)} millicores/match, ${Math.round(r.bytesPerClient)} B/s per client, ${r.failures} failures`);
    return r;
  },
  subjects: {
    ours: async () => {
      const r = await oursRound();
      log(`round ${++roundNo} ours: ${round2(r.cores)} cores (${Math.round(100 * r.systemShare)} % system), ${Math.round(r.liveMatches)} live, ${round2(r.perSecond)} millicores/match, ${Math.round(r.bytesPerClient)} B/s per client, ticks within 4 ms ${r.ticksWithin4ms}, ${r.failures} failures`);
      return r;
    },
  },
}, { pairs: PAIRS });

/** The median over the rounds that count (a round with too few live duels has NaN figures). */
const med = (rounds: Round[], pick: (r: Round) => number) => {
  const values = rounds.filter((r) => Number.isFinite(r.perSecond)).map(pick).filter(Number.isFinite);
  return values.length ? median(values) : NaN;
};
const line = (name: string, rounds: Round[]) => ({
  server: name,
  rounds: rounds.length,
  liveMatches: Math.round(med(rounds, (r) => r.liveMatches)),
  serverCpuCores: round2(med(rounds, (r) => r.cores)),
  systemShare: round2(med(rounds, (r) => r.systemShare)),
  millicoresPerMatch: round2(med(rounds, (r) => r.perSecond)),
  rssIdleMb: Math.round(med(rounds, (r) => r.rssIdleMb)),
  rssPerMatchKb: Math.round(med(rounds, (r) => r.rssPerMatchKb)),
  framesPerClientPerSecond: Number(med(rounds, (r) => r.framesPerClient).toFixed(1)),
  bytesPerClientPerSecond: Math.round(med(rounds, (r) => r.bytesPerClient)),
});
const ours = result.subjects.ours;
const colyseus = result.baseline;
// Pairs with a round that did not count (NaN) are left out of the ratio.
const validRatios = result.ratios.ours.ratios.filter((r) => Number.isFinite(r) && r > 0);
const ratio = validRatios.length
  ? { median: median(validRatios), min: Math.min(...validRatios), max: Math.max(...validRatios), ratios: result.ratios.ours.ratios }
  : { median: NaN, min: NaN, max: NaN, ratios: result.ratios.ours.ratios };
const report = {
  matches: MATCHES,
  roundSeconds: SECONDS,
  nice: { servers: SERVER_NICE, bots: BOT_NICE },
  encoding: ENCODING,
  firstRound: result.firstRound,
  table: [line('ours', ours), line('colyseus', colyseus)],
  cpuPerMatchRatio: {
    median: round2(ratio.median), spread: [round2(ratio.min), round2(ratio.max)], perPair: ratio.ratios.map(round2),
    pairsCounted: validRatios.length, target: 0.5, pass: ratio.median <= 0.5,
  },
  idleRss: { ...idle, target: 'ours settled < 90 MB', pass: idle.ours.settledMb < 90 },
  bytesRatio: round2(med(ours, (r) => r.bytesPerClient) / med(colyseus, (r) => r.bytesPerClient)),
  ourTicks: {
    within4msMedian: med(ours, (r) => r.ticksWithin4ms ?? NaN),
    p99BucketMsPerRound: ours.map((r) => r.tickP99Ms),
  },
  profileWindowSeconds: { ours: ours.map((r) => r.profileWindowSeconds), colyseus: colyseus.map((r) => r.profileWindowSeconds) },
  load: loadLine(result),
};
console.log(JSON.stringify(report, null, 2));
console.log('\n| server | duels (live on average) | server CPU (cores, system share) | millicores per match | RSS idle | RSS per match | frames to each client per s | bytes to each client per s |');
console.log('|---|---|---|---|---|---|---|---|');
for (const l of report.table) {
  console.log(`| ${l.server} | ${MATCHES} (${l.liveMatches}) | ${l.serverCpuCores} (${Math.round(100 * l.systemShare)} %) | ${l.millicoresPerMatch} | ${l.rssIdleMb} MB | ${l.rssPerMatchKb} KB | ${l.framesPerClientPerSecond} | ${l.bytesPerClientPerSecond} |`);
}
console.log(`\nours / Colyseus, CPU per match: median ${report.cpuPerMatchRatio.median} (spread ${report.cpuPerMatchRatio.spread.join('-')}), target <= 0.5: ${report.cpuPerMatchRatio.pass ? 'pass' : 'FAIL'}; bytes per client ${report.bytesRatio}x`);
console.log(`idle RSS, ours: ${idle.ours.settledMb} MB after ${IDLE_SECONDS} s idle (${idle.ours.afterStartMb} MB 1 s after start), target < 90: ${report.idleRss.pass ? 'pass' : 'FAIL'}; Colyseus ${idle.colyseus.settledMb} MB (${idle.colyseus.afterStartMb})`);
rmSync(dataDir, { recursive: true, force: true });

/**
 * Idle-connection flood (issue "one hostile user cannot take the platform
 * down", part a): BENCH_CONNECTIONS (20,000) TCP connections that never
 * start TLS, opened from BENCH_ADDRESSES loopback addresses (127.0.1.1,
 * 127.0.1.2, ...) by BENCH_PROCS child processes (bench/idle-connections-
 * worker.ts: one process cannot hold 20,000 descriptors under the usual
 * limit), held for BENCH_HOLD_SECONDS; closed connections are re-opened at
 * BENCH_RECONNECT_PER_SECOND per process (0: opened once). Meanwhile a fresh
 * client on another address (127.0.0.2) asks `GET /api/health` every 200 ms
 * over a new TLS connection each time; its latency and failures (no answer
 * within 5 s) are reported before, during and after the attack, with the
 * attackers' view (held, refused at once, closed later by a deadline) and
 * the server's (`http_open_connections`, `http_connections_refused_total`).
 *
 * BENCH_UNGUARDED=1 runs the same against a server without the limits
 * (no per-address cap, no process cap, 120 s deadlines): the "before".
 * Target: no failed probe and p99 < 100 ms during the attack.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { request } from 'undici';
import { startBenchServer } from './server-process.js';
import type { AttackJob, AttackStats } from './idle-connections-worker.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20_000);
const ADDRESSES = Number(process.env.BENCH_ADDRESSES ?? 4);
const PROCS = Number(process.env.BENCH_PROCS ?? 4);
const HOLD_SECONDS = Number(process.env.BENCH_HOLD_SECONDS ?? 20);
const RECONNECT = Number(process.env.BENCH_RECONNECT_PER_SECOND ?? 500);
const UNGUARDED = process.env.BENCH_UNGUARDED === '1';
const PROBE_EVERY_MS = 200;
const PROBE_TIMEOUT_MS = 5000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const limits: Record<string, string> = UNGUARDED
  ? { MAX_CONNECTIONS_PER_ADDRESS: '0', MAX_CONNECTIONS: '1000000', TLS_HANDSHAKE_TIMEOUT_MS: '120000', HEADERS_TIMEOUT_MS: '120000' }
  : { MAX_CONNECTIONS_PER_ADDRESS: process.env.BENCH_PER_ADDRESS ?? '256' };
const server = await startBenchServer({ ...limits, LOG_LEVEL: 'silent' });
const { hostname, port } = new URL(server.url);

interface Probe { at: number; ms: number | null }
const probes: Probe[] = [];

/** One `GET /api/health` over a new TLS connection from 127.0.0.2: the latency, or null without an answer in time. */
function probe(): Promise<number | null> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = httpsRequest({
      host: hostname, port: Number(port), path: '/api/health', localAddress: '127.0.0.2', rejectUnauthorized: false, agent: false,
      timeout: PROBE_TIMEOUT_MS,
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - started : null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

let probing = true;
const prober = (async () => {
  while (probing) {
    const at = Date.now();
    void probe().then((ms) => probes.push({ at, ms }));
    await sleep(PROBE_EVERY_MS);
  }
})();

interface ServerView { open: number; refused: Record<string, number> }
async function serverView(): Promise<ServerView | null> {
  try {
    const res = await request(`${server.internalUrl}/metrics`, { headersTimeout: 2000, bodyTimeout: 2000 });
    const text = await res.body.text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    const refused: Record<string, number> = {};
    for (const match of text.matchAll(/^http_connections_refused_total\{reason="(\w+)"\} (\S+)$/gm)) refused[match[1]] = Number(match[2]);
    return { open: value('http_open_connections'), refused };
  } catch {
    return null;
  }
}

function summary(list: Probe[]) {
  const ok = list.filter((p) => p.ms !== null).map((p) => p.ms!).sort((a, b) => a - b);
  const pick = (q: number) => (ok.length ? Number(ok[Math.min(ok.length - 1, Math.floor(q * ok.length))].toFixed(1)) : null);
  return { probes: list.length, failed: list.length - ok.length, p50ms: pick(0.5), p99ms: pick(0.99), maxms: ok.length ? Number(ok[ok.length - 1].toFixed(1)) : null };
}

const children: ChildProcess[] = [];
try {
  await sleep(3000);
  const attackStart = Date.now();
  const holdUntil = attackStart + HOLD_SECONDS * 1000;
  const latest = new Map<number, AttackStats>();
  let peakServerOpen = 0;
  const addresses = Array.from({ length: ADDRESSES }, (_, i) => `127.0.1.${i + 1}`);
  const finished: Promise<void>[] = [];
  for (let i = 0; i < PROCS; i++) {
    const child = fork('bench/idle-connections-worker.ts', [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    const mine = addresses.filter((_, k) => k % PROCS === i);
    const job: AttackJob = {
      host: hostname, port: Number(port), addresses: mine.length ? mine : [addresses[i % addresses.length]],
      count: Math.ceil(CONNECTIONS / PROCS), concurrency: 256, reconnectPerSecond: RECONNECT, holdUntil,
    };
    child.send(job);
    finished.push(new Promise((resolve) => {
      child.on('message', (stats: AttackStats) => {
        latest.set(i, stats);
        if (stats.done) resolve();
      });
      child.once('exit', () => resolve());
    }));
  }
  const sampler = setInterval(async () => {
    const view = await serverView();
    if (view) peakServerOpen = Math.max(peakServerOpen, view.open);
  }, 1000);
  await Promise.all(finished);
  clearInterval(sampler);
  const attackEnd = Date.now();
  await sleep(3000);
  probing = false;
  await prober;
  await sleep(PROBE_TIMEOUT_MS + 200);

  const sum = (key: keyof AttackStats) => [...latest.values()].reduce((total, s) => total + Number(s[key]), 0);
  const view = await serverView();
  const report = {
    config: {
      connections: CONNECTIONS, addresses: ADDRESSES, procs: PROCS, holdSeconds: HOLD_SECONDS, reconnectPerSecondPerProc: RECONNECT,
      server: UNGUARDED ? 'unguarded (no caps, 120 s deadlines)' : { ...limits, MAX_CONNECTIONS: 'auto (80% of the descriptor limit)', TLS_HANDSHAKE_TIMEOUT_MS: 5000, HEADERS_TIMEOUT_MS: 5000 },
    },
    before: summary(probes.filter((p) => p.at < attackStart)),
    during: summary(probes.filter((p) => p.at >= attackStart && p.at < attackEnd)),
    after: summary(probes.filter((p) => p.at >= attackEnd)),
    attackers: {
      attempted: sum('attempted'), peakHeldPerProcSum: sum('peakOpen'), refusedAtOnce: sum('refused'),
      closedLaterByDeadline: sum('closedLater'), connectErrors: sum('errors'),
    },
    server: { peakOpenConnections: peakServerOpen, refused: view?.refused ?? 'metrics unreachable', rssMb: Math.round(server.rssMb()) },
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  probing = false;
  for (const child of children) child.kill();
  await server.stop();
}

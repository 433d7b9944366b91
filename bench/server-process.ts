import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';

export const insecure = new Agent({ connect: { rejectUnauthorized: false } });

export interface BenchServer {
  child: ChildProcess;
  url: string;
  internalUrl: string;
  dataDir: string;
  jwtSecret: string;
  rssMb(): number;
  stop(): Promise<void>;
}

/** Runs one real node in its own process (so the load generator does not share its event loop). */
export async function startBenchServer(env: Record<string, string> = {}, options: { dataDir?: string; nodeArgs?: string[] } = {}): Promise<BenchServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pong-bench-'));
  // Below the ephemeral range (32768-60999 here): thousands of client sockets of a benchmark take ports from it.
  const port = 20000 + 2 * Math.floor(Math.random() * 6000);
  const internalPort = port + 1;
  const jwtSecret = 'bench-secret-bench-secret-bench-secret';
  const nodeArgs = [...(options.nodeArgs ?? []), ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  // Measure what `npm start` runs: the compiled JavaScript, not the TypeScript loader.
  // tsc emits even when it reports type errors; the type check belongs to CI, not to the benchmark.
  spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'ignore' });
  const child = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], {
    env: {
      ...process.env, HOST: '127.0.0.1', PORT: String(port), INTERNAL_PORT: String(internalPort), DATA_DIR: dataDir,
      JWT_SECRET: jwtSecret, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', RATE_LIMIT_PER_MINUTE: '100000000',
      // The load comes from one loopback address: thousands of sockets are the benchmark, not an attack.
      MAX_CONNECTIONS_PER_ADDRESS: '0', ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `${env.TLS === 'off' ? 'http' : 'https'}://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const res = await request(`${url}/api/health/live`, { dispatcher: insecure });
      await res.body.text();
      if (res.statusCode === 200) break;
    } catch {
      if (i > 300) throw new Error('server did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child, url, internalUrl: `http://127.0.0.1:${internalPort}`, dataDir, jwtSecret,
    rssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postJson(url: string, body: unknown, token?: string): Promise<any> {
  const res = await request(url, {
    method: 'POST', dispatcher: insecure, body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${text}`);
  return JSON.parse(text);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { buildServer, SERVER_BUNDLE, SERVER_NODE_FLAGS, serverEnv } from '../scripts/build-server.mjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { constants, type ClientHttp2Session } from 'node:http2';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { ApiClient, memoryTokens } from '../src/client/http.js';
import { nodeTransport } from '../src/client/node.js';
import type { Tokens } from '../src/client/types.js';

export const insecure = new Agent({ connect: { rejectUnauthorized: false } });

/** The shared client's transport for the whole benchmark process: the servers' certificates are self-signed. */
export const transport = nodeTransport({ insecure: true });

/** A client of the public API, through the shared client the web and terminal clients use, with the session of `tokens`. */
export function apiClient(baseUrl: string, tokens: Tokens | null = null): ApiClient {
  return new ApiClient({ baseUrl, tokens: memoryTokens(tokens), fetch: transport.fetch, Request: transport.Request });
}

/** The body of a typed call's 2xx answer; anything else stops the benchmark, whose set-up must not go on half done. */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${JSON.stringify(error)}`);
  return data as T;
}

/**
 * A `fetch` for the shared client's live stream over one HTTP/2 connection: thousands of streams then share
 * a few connections, as browsers multiplex them (undici's fetch would open one connection per stream).
 */
export function http2Fetch(session: ClientHttp2Session): (url: string, init: RequestInit) => Promise<Response> {
  return (url, init) => new Promise((resolve, reject) => {
    const { pathname, search } = new URL(url);
    const stream = session.request({ ...Object.fromEntries(new Headers(init.headers)), ':method': init.method ?? 'GET', ':path': pathname + search });
    init.signal?.addEventListener('abort', () => stream.close(constants.NGHTTP2_CANCEL), { once: true });
    stream.on('error', reject);
    stream.once('response', (headers) => resolve(new Response(Readable.toWeb(stream) as ReadableStream, { status: Number(headers[':status']) })));
    stream.end();
  });
}

export interface BenchServer {
  child: ChildProcess;
  url: string;
  internalUrl: string;
  dataDir: string;
  jwtSecret: string;
  rssMb(): number;
  stop(): Promise<void>;
}

/** The node flags and environment `npm start` gives the server (scripts/build-server.mjs): the benchmarks measure the node as it runs. */
export { SERVER_NODE_FLAGS, serverEnv };

/**
 * The file a benchmark's server runs: what `npm start` runs, the one-file bundle (built when older than
 * the sources). BENCH_UNBUNDLED=1: the tsc output (dist/main.js), whose per-file names a CPU profile
 * can be read by (bench/profile-top.ts). BENCH_SKIP_BUILD=1: the file as it is.
 */
export async function serverEntry(): Promise<string> {
  const unbundled = Boolean(process.env.BENCH_UNBUNDLED);
  if (process.env.BENCH_SKIP_BUILD) return unbundled ? 'dist/main.js' : SERVER_BUNDLE;
  if (!unbundled) return buildServer({ log: () => {} });
  // tsc emits even when it reports type errors; the type check belongs to CI, not to the benchmark.
  spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'ignore' });
  return 'dist/main.js';
}

/** Runs one real node in its own process (so the load generator does not share its event loop). */
export async function startBenchServer(env: Record<string, string> = {}, options: { dataDir?: string; nodeArgs?: string[] } = {}): Promise<BenchServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pong-bench-'));
  // Below the ephemeral range (32768-60999 here): thousands of client sockets of a benchmark take ports from it.
  const port = 20000 + 2 * Math.floor(Math.random() * 6000);
  const internalPort = port + 1;
  const jwtSecret = 'bench-secret-bench-secret-bench-secret';
  const nodeArgs = [...SERVER_NODE_FLAGS, ...(options.nodeArgs ?? []), ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  const child = spawn(process.execPath, [...nodeArgs, await serverEntry()], {
    env: {
      ...serverEnv(), HOST: '127.0.0.1', PORT: String(port), INTERNAL_PORT: String(internalPort), DATA_DIR: dataDir,
      JWT_SECRET: jwtSecret, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', RATE_LIMIT_PER_MINUTE: '100000000', LOGIN_RATE_LIMIT_PER_MINUTE: '100000000', CHAT_MESSAGES_PER_10_SECONDS: '100000000',
      // The load comes from one loopback address: thousands of sockets are the benchmark, not an attack.
      MAX_CONNECTIONS_PER_ADDRESS: '0', ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `${env.TLS === 'off' ? 'http' : 'https'}://127.0.0.1:${port}`;
  const probe = apiClient(url);
  for (let i = 0; ; i++) {
    try {
      if ((await probe.typed.GET('/api/health/live')).response.ok) break;
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

/** A call on the internal API (`internalUrl`), which the shared client of the public API does not describe. */
export async function postInternal(url: string, body: unknown): Promise<any> {
  const res = await request(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${text}`);
  return JSON.parse(text);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

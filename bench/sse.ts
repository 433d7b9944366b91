/**
 * 10,000 concurrent SSE streams on one node (over HTTP/2, 100 streams per
 * connection, as browsers multiplex them): one event addressed to all of
 * them. Reports delivery latency percentiles and the server's resident memory.
 * Targets: p99 < 250 ms, RSS < 400 MB.
 */
import { randomBytes } from 'node:crypto';
import { connect, type ClientHttp2Session } from 'node:http2';
import { seedGuests } from './support/seed.js';
import { createSigner } from 'fast-jwt';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { percentile, postInternal, startBenchServer } from './server-process.js';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 10_000);
const PER_SESSION = 100;

const dataDir = mkdtempSync(join(tmpdir(), 'pong-bench-sse-'));
// First start creates the schema; the users are then inserted in one transaction (registering 10,000 accounts over HTTP is not what is measured).
let server = await startBenchServer({}, { dataDir });
await server.stop();
const ids = seedGuests(dataDir, STREAMS, 'Bench');

server = await startBenchServer({ SSE_PING_MS: '2000' }, { dataDir });
const sign = createSigner({ key: server.jwtSecret, algorithm: 'HS256' });
const iat = Math.floor(Date.now() / 1000);
const tokenFor = (id: number) => sign({ token_type: 'access', iat, exp: iat + 3600, jti: randomBytes(16).toString('hex'), user_id: id });

const sessions: ClientHttp2Session[] = [];
const received = new Map<number, number>();
let publishedAt = 0;
let opened = 0;
const openStarted = performance.now();
const openAll: Promise<void>[] = [];
for (let s = 0; s < Math.ceil(STREAMS / PER_SESSION); s++) {
  const session = connect(server.url, { rejectUnauthorized: false, settings: { initialWindowSize: 1 << 20 } });
  session.on('error', () => {});
  sessions.push(session);
  for (let k = 0; k < PER_SESSION && s * PER_SESSION + k < STREAMS; k++) {
    const id = ids[s * PER_SESSION + k];
    openAll.push(new Promise((resolve, reject) => {
      const stream = session.request({ ':path': '/sse/users/', authorization: `Bearer ${tokenFor(id)}` });
      let buffer = '';
      stream.setEncoding('utf8');
      stream.on('response', (headers) => {
        if (headers[':status'] !== 200) reject(new Error(`status ${headers[':status']}`));
      });
      stream.on('data', (chunk: string) => {
        if (buffer === '' && chunk.startsWith('event: ping') && !received.has(-id)) {
          received.set(-id, 0);
          opened++;
          resolve();
        }
        buffer += chunk;
        if (publishedAt && buffer.includes('event: lobby-update') && !received.has(id)) received.set(id, performance.now() - publishedAt);
        if (buffer.length > 4096) buffer = buffer.slice(-2048);
      });
      stream.on('error', reject);
    }));
  }
}
await Promise.all(openAll);
const openSeconds = (performance.now() - openStarted) / 1000;
await new Promise((r) => setTimeout(r, 3000));
const rssBefore = server.rssMb();

publishedAt = performance.now();
await postInternal(`${server.internalUrl}/api/private/users/events/`, { users_id: ids, event_code: 'lobby-update', data: { bench: true } });
const deadline = Date.now() + 10_000;
while ([...received.keys()].filter((k) => k > 0).length < STREAMS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
const latencies = [...received.entries()].filter(([k]) => k > 0).map(([, v]) => v).sort((a, b) => a - b);
const rssAfter = server.rssMb();

const report = {
  streams: STREAMS,
  opened,
  openSeconds: Number(openSeconds.toFixed(1)),
  delivered: latencies.length,
  latencyMs: { p50: Math.round(percentile(latencies, 50)), p99: Math.round(percentile(latencies, 99)), max: Math.round(latencies[latencies.length - 1]) },
  serverRssMb: { idleWithStreams: Math.round(rssBefore), afterDelivery: Math.round(rssAfter) },
  targets: { p99UnderMs: 250, rssUnderMb: 400 },
  pass: latencies.length === STREAMS && percentile(latencies, 99) < 250 && Math.max(rssBefore, rssAfter) < 400,
};
console.log(JSON.stringify(report, null, 2));
for (const session of sessions) session.destroy();
await server.stop();

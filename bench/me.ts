/**
 * GET /api/users/me/ (token check + one database read) against a bare route
 * of the same server, in the same run: 64 connections, 10 s each.
 * Target: ratio of requests/s >= 0.4, p99 < 20 ms.
 */
import autocannon from 'autocannon';
import { apiClient, must, startBenchServer } from './server-process.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);

function run(url: string, headers: Record<string, string> = {}): Promise<autocannon.Result> {
  return autocannon({ url, connections: 64, duration: DURATION, headers });
}

const server = await startBenchServer();
try {
  const tokens = await must(apiClient(server.url).typed.POST('/api/auth/register/', { body: { username: 'benchuser', password: 'Bench-passw0rd!' } }));
  // Warm-up so that JIT and connection set-up do not count.
  await autocannon({ url: `${server.url}/api/health/live`, connections: 16, duration: 2 });
  const bare = await run(`${server.url}/api/health/live`);
  const me = await run(`${server.url}/api/users/me/`, { authorization: `Bearer ${tokens.access}` });
  const ratio = me.requests.average / bare.requests.average;
  const report = {
    bare: { rps: Math.round(bare.requests.average), p99ms: bare.latency.p99, non2xx: bare.non2xx },
    me: { rps: Math.round(me.requests.average), p99ms: me.latency.p99, non2xx: me.non2xx },
    ratio: Number(ratio.toFixed(2)),
    targets: { ratioAtLeast: 0.4, p99UnderMs: 20 },
    pass: ratio >= 0.4 && me.latency.p99 < 20 && me.non2xx === 0,
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await server.stop();
}

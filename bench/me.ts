/**
 * GET /api/users/me/ (token check + one database read) against a bare route
 * of the same server, in short alternating rounds (bench/support/alternation.ts):
 * 64 connections, BENCH_PAIRS rounds of each (6) of BENCH_ROUND_SECONDS (2).
 * Target: median ratio of requests/s >= 0.4, p99 < 20 ms.
 */
import autocannon from 'autocannon';
import { apiClient, must, startBenchServer } from './server-process.js';
import { alternate, loadLine, median, ratioLine } from './support/alternation.js';

const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 2);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 6);

async function round(url: string, headers: Record<string, string> = {}) {
  const result = await autocannon({ url, connections: 64, duration: ROUND_SECONDS, headers });
  return { perSecond: result.requests.average, p99ms: result.latency.p99, non2xx: result.non2xx };
}

const server = await startBenchServer();
try {
  const tokens = await must(apiClient(server.url).typed.POST('/api/auth/register/', { body: { username: 'benchuser', password: 'Bench-passw0rd!' } }));
  // Warm-up so that JIT and connection set-up do not count.
  await autocannon({ url: `${server.url}/api/health/live`, connections: 16, duration: 2 });
  const result = await alternate({
    baseline: () => round(`${server.url}/api/health/live`),
    subjects: { me: () => round(`${server.url}/api/users/me/`, { authorization: `Bearer ${tokens.access}` }) },
  }, { pairs: PAIRS });
  const me = ratioLine(result, 'me', 0.4);
  const p99ms = median(result.subjects.me.map((r) => r.p99ms));
  const non2xx = result.subjects.me.reduce((n, r) => n + r.non2xx, 0);
  const report = {
    load: loadLine(result),
    bare: { medianPerSecond: me.baselinePerSecond },
    me: { ...me, medianRoundP99ms: p99ms, non2xx },
    targets: { medianRatioAtLeast: 0.4, p99UnderMs: 20 },
    pass: me.pass === true && p99ms < 20 && non2xx === 0,
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await server.stop();
}

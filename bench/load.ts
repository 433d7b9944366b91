import { Pool } from 'undici';
import { percentile } from './server-process.js';

export interface LoadResult {
  requests: number;
  ok: number;
  failed: number;
  perSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
}

/**
 * A closed-loop load: `concurrency` workers each send the request `next()`
 * builds, one after another, for `seconds`. Counts 2xx as ok.
 */
export async function closedLoop(
  origin: string,
  concurrency: number,
  seconds: number,
  next: (worker: number) => { method: 'GET' | 'POST'; path: string; token: string; body?: unknown },
  onOk?: (worker: number, body: string) => void,
): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: concurrency, connect: { rejectUnauthorized: false }, pipelining: 1 });
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async (_, worker) => {
    while (performance.now() < until) {
      const r = next(worker);
      const t0 = performance.now();
      const res = await pool.request({
        method: r.method, path: r.path,
        headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/json' },
        body: r.body === undefined ? undefined : JSON.stringify(r.body),
      });
      const text = await res.body.text();
      latencies.push(performance.now() - t0);
      if (res.statusCode < 300) {
        ok++;
        onOk?.(worker, text);
      } else failed++;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length, ok, failed, perSecond: Math.round(ok / elapsed),
    latencyMs: { p50: +percentile(latencies, 50).toFixed(2), p99: +percentile(latencies, 99).toFixed(2), max: +latencies[latencies.length - 1].toFixed(2) },
  };
}

/**
 * The top functions of a V8 CPU profile (`node --cpu-prof`, e.g. through
 * `BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench:game-rooms`):
 * self time per function, as a share of all samples and of the busy ones
 * (everything but `(idle)`), and the share by area (our game code, ws, net
 * and streams, GC, native).
 *
 *   node --import tsx bench/profile-top.ts <file.cpuprofile> [top N] [from s] [to s]
 *
 * `from` and `to`: only the samples between these seconds after the
 * process started (bench:game-rooms and bench:peers print the measured
 * window as `profileWindowSeconds`).
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number }

/** `window`: only the samples between these seconds after the profile's start (a benchmark's measured window). */
export function summarize(profile: Profile, top = 25, window?: [number, number]) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfTime = new Map<number, number>();
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (window && (at < window[0] * 1e6 || at > window[1] * 1e6)) continue;
    selfTime.set(profile.samples[i], (selfTime.get(profile.samples[i]) ?? 0) + dt);
  }
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfTime) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules\/)/, '$1').replace(/^.*\/dist\//, 'dist/');
    const name = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    total += us;
    if (functionName === '(idle)') idle += us;
    if (functionName !== '(idle)') byArea.set(areaOf(functionName, url), (byArea.get(areaOf(functionName, url)) ?? 0) + us);
  }
  const busy = total - idle;
  const pct = (us: number, of: number) => Number(((100 * us) / of).toFixed(1));
  return {
    seconds: Number((total / 1e6).toFixed(1)),
    idlePercent: pct(idle, total),
    areas: [...byArea].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, busyPercent: pct(us, busy) })),
    top: [...byFunction].filter(([name]) => !name.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)
      .map(([name, us]) => ({ name, busyPercent: pct(us, busy) })),
  };
}

function areaOf(name: string, url: string): string {
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'gc';
  if (name === '(program)') return 'program (native, unattributed)';
  if (/\/dist\/game\/|\/src\/game\//.test(url)) return 'game (rooms, engine, encoding)';
  if (/\/dist\/features\/game\//.test(url)) return 'game socket route';
  if (/node_modules\/ws\//.test(url)) return 'ws';
  if (/node_modules\/prom-client\//.test(url)) return 'prom-client';
  if (/node_modules\/(@colyseus|msgpackr)/.test(url)) return 'colyseus';
  if (/^node:(net|stream|internal\/streams|internal\/stream_base_commons|_stream)/.test(url) || /internal\/streams/.test(url)) return 'node net/streams';
  if (/^node:internal\/timers|^node:timers/.test(url)) return 'node timers';
  if (url.startsWith('node:')) return 'node other';
  if (!url) return 'native';
  return 'other js';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node --import tsx bench/profile-top.ts <file.cpuprofile> [top N]');
    process.exit(2);
  }
  const window = process.argv[5] ? [Number(process.argv[4]), Number(process.argv[5])] as [number, number] : undefined;
  console.log(JSON.stringify(summarize(JSON.parse(readFileSync(file, 'utf8')), Number(process.argv[3] ?? 25), window), null, 2));
}

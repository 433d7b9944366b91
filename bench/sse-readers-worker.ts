/**
 * Child process of the SSE benchmarks: holds a share of the streams (HTTP/2,
 * PER_SESSION streams per connection, as a browser multiplexes them) so that
 * reading 10,000 streams is spread over several event loops instead of
 * queueing in the measuring process. Reports when every stream has its first
 * ping, then, on request, the wall-clock instant (epoch ms, sub-millisecond)
 * at which each user's stream received the awaited event.
 */
import { connect, type ClientHttp2Session } from 'node:http2';

export interface ReaderJob {
  /** One entry per stream: the node to open it on and the user's access token. */
  streams: Array<{ userId: number; url: string; token: string }>;
  perSession: number;
  /** The `event:` name whose arrival is timed. */
  awaited: string;
}

export type ReaderMessage =
  | { kind: 'open'; streams: number }
  /** Per user, the arrival instant of each awaited event, in order (one per published round). */
  | { kind: 'received'; at: Array<[userId: number, epochMs: number[]]> };

const epochNow = () => performance.timeOrigin + performance.now();
const PING = Buffer.from('event: ping');

process.once('message', async (job: ReaderJob) => {
  const sessions: ClientHttp2Session[] = [];
  const received = new Map<number, number[]>();
  const marker = Buffer.from(`event: ${job.awaited}`);
  const byUrl = new Map<string, ReaderJob['streams']>();
  for (const s of job.streams) byUrl.set(s.url, [...(byUrl.get(s.url) ?? []), s]);
  const opening: Promise<void>[] = [];
  for (const [url, streams] of byUrl) {
    for (let i = 0; i < streams.length; i += job.perSession) {
      const session = connect(url, { rejectUnauthorized: false, settings: { initialWindowSize: 1 << 20 } });
      session.on('error', () => {});
      sessions.push(session);
      for (const { userId, token } of streams.slice(i, i + job.perSession)) {
        opening.push(new Promise((resolve, reject) => {
          const stream = session.request({ ':path': '/sse/users/', authorization: `Bearer ${token}` });
          let open = false;
          let tail = Buffer.alloc(0);
          stream.on('response', (headers) => { if (headers[':status'] !== 200) reject(new Error(`status ${headers[':status']}`)); });
          // Bytes, not decoded text: the reader must not be what is slow (10,000 chunks per event).
          stream.on('data', (chunk: Buffer) => {
            const at = epochNow();
            if (!open && chunk.includes(PING)) {
              open = true;
              resolve();
            }
            // A marker split across two chunks: the end of the previous one (shorter than the marker) and this start.
            const seam = tail.length ? Buffer.concat([tail, chunk.subarray(0, marker.length - 1)]) : null;
            let count = seam && seam.includes(marker) ? 1 : 0;
            for (let i = chunk.indexOf(marker); i !== -1; i = chunk.indexOf(marker, i + 1)) count++;
            if (count) {
              const times = received.get(userId) ?? [];
              received.set(userId, times);
              for (let n = 0; n < count; n++) times.push(at);
            }
            tail = Buffer.from(chunk.subarray(Math.max(0, chunk.length - (marker.length - 1))));
          });
          stream.on('error', reject);
        }));
      }
    }
  }
  await Promise.all(opening);
  process.send!({ kind: 'open', streams: opening.length } satisfies ReaderMessage);
  process.on('message', (request: { kind: 'report' }) => {
    if (request.kind !== 'report') return;
    process.send!({ kind: 'received', at: [...received] } satisfies ReaderMessage, () => {
      for (const session of sessions) session.destroy();
      process.exit(0);
    });
  });
});

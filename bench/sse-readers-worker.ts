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

process.once('message', async (job: ReaderJob) => {
  const sessions: ClientHttp2Session[] = [];
  const received = new Map<number, number[]>();
  const marker = `event: ${job.awaited}`;
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
          let tail = '';
          stream.setEncoding('utf8');
          stream.on('response', (headers) => { if (headers[':status'] !== 200) reject(new Error(`status ${headers[':status']}`)); });
          stream.on('data', (chunk: string) => {
            const text = tail + chunk;
            if (!open && text.includes('event: ping')) {
              open = true;
              resolve();
            }
            // `tail` is shorter than the marker, so every occurrence found in `text` is a new one.
            for (let i = text.indexOf(marker); i !== -1; i = text.indexOf(marker, i + 1)) {
              const times = received.get(userId) ?? [];
              received.set(userId, times);
              times.push(epochNow());
            }
            // Keep enough to find a marker split across two chunks.
            tail = text.slice(-(marker.length - 1));
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

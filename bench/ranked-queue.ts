/**
 * 10,000 players enter the ranked queue within 10 s (one entry per ms, in a
 * random order), trophies spread uniformly over 0..4999, each holding an
 * SSE stream (every play endpoint requires one) over HTTP/2, 100 streams per
 * connection, read by the shared client's live stream.
 *
 * For each match (seen as `game-start` on both players' streams) the pair
 * became "in range" at the second player's entry when the difference is
 * within ±50, or later, when the older entry's window had widened to the
 * difference (+10 a second). Targets: every pair matched within 1 s of
 * becoming in range (request sent -> `game-start` received, so the request
 * latency counts too), nobody matched twice, and no two players left
 * waiting in range of each other at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { connect, type ClientHttp2Session } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSigner } from 'fast-jwt';
import { LiveStream } from '../src/client/events.js';
import { apiClient, http2Fetch, percentile, startBenchServer } from './server-process.js';

const PLAYERS = Number(process.env.BENCH_PLAYERS ?? 10_000);
const ENTRY_SECONDS = Number(process.env.BENCH_ENTRY_SECONDS ?? 10);
const MAX_TROPHIES = 5000;
const PER_SESSION = 100;
const WINDOW = 50;
const GROWTH_PER_SECOND = 10;
const WINDOW_MAX = 300;

const dataDir = mkdtempSync(join(tmpdir(), 'pong-bench-ranked-'));
// First start creates the schema; the accounts are then inserted in one transaction (registration is not what is measured).
let server = await startBenchServer({}, { dataDir });
await server.stop();
const sqlite = new Database(join(dataDir, 'pong.sqlite'));
const now = new Date().toISOString();
const insert = sqlite.prepare(
  'insert into users (username, username_lower, password_hash, is_guest, created_at, last_online, profile_picture_id, trophies) values (?, ?, null, 0, ?, ?, 1, ?)',
);
const ids: number[] = [];
const trophiesOf = new Map<number, number>();
sqlite.transaction(() => {
  for (let i = 0; i < PLAYERS; i++) {
    const trophies = Math.floor(Math.random() * MAX_TROPHIES);
    const id = Number(insert.run(`Ranked${i}`, `ranked${i}`, now, now, trophies).lastInsertRowid);
    ids.push(id);
    trophiesOf.set(id, trophies);
  }
})();
sqlite.close();

server = await startBenchServer({ SSE_PING_MS: '5000' }, { dataDir });
const sign = createSigner({ key: server.jwtSecret, algorithm: 'HS256' });
const iat = Math.floor(Date.now() / 1000);
const tokens = new Map(ids.map((id) => [id, sign({ token_type: 'access', iat, exp: iat + 3600, jti: randomBytes(16).toString('hex'), user_id: id })]));

interface Start { at: number; matchId: number; a: number; b: number }
const starts = new Map<number, Start[]>();
const sessions: ClientHttp2Session[] = [];
const sessionOf = new Map<number, ClientHttp2Session>();
const streams: LiveStream[] = [];

// --- 10,000 SSE streams ---------------------------------------------------------
const openStarted = performance.now();
for (let s = 0; s < Math.ceil(PLAYERS / PER_SESSION); s++) {
  const session = connect(server.url, { rejectUnauthorized: false, settings: { initialWindowSize: 1 << 20 } });
  session.on('error', () => {});
  sessions.push(session);
  const fetch = http2Fetch(session);
  for (const id of ids.slice(s * PER_SESSION, (s + 1) * PER_SESSION)) {
    sessionOf.set(id, session);
    const stream = new LiveStream({
      api: apiClient(server.url, { access: tokens.get(id)!, refresh: '' }),
      fetch,
      onEvent: ({ event, envelope }) => {
        if (event !== 'game-start') return;
        const list = starts.get(id) ?? [];
        list.push({ at: performance.now(), matchId: envelope.data.id, a: envelope.data.teams.a.players[0].id, b: envelope.data.teams.b.players[0].id });
        starts.set(id, list);
      },
    });
    stream.start();
    streams.push(stream);
  }
}
// A stream that the server keeps refusing would be retried forever: give up after a minute.
await Promise.race([Promise.all(streams.map((s) => s.whenUp())), new Promise((r) => setTimeout(r, 60_000).unref())]);
const closed = streams.filter((s) => s.current.status !== 'up');
if (closed.length > 0) throw new Error(`${closed.length} streams did not open: ${closed[0].current.error ?? closed[0].current.status}`);
const openSeconds = (performance.now() - openStarted) / 1000;
// Presence is written in batches: let every stream count as online.
await new Promise((r) => setTimeout(r, 3000));

// --- entries -------------------------------------------------------------------------
function post(id: number): Promise<number> {
  return new Promise((resolve) => {
    const stream = sessionOf.get(id)!.request({
      ':method': 'POST', ':path': '/api/play/ranked/', authorization: `Bearer ${tokens.get(id)}`, 'content-type': 'application/json',
    });
    let status = 0;
    stream.on('response', (headers) => { status = Number(headers[':status']); });
    stream.on('data', () => {});
    stream.on('end', () => {
      postLatency.push(performance.now() - sentAt.get(id)!);
      resolve(status);
    });
    stream.on('error', () => resolve(0));
    stream.end('{}');
  });
}

const order = [...ids].sort(() => Math.random() - 0.5);
const sentAt = new Map<number, number>();
const postLatency: number[] = [];
const answers: Promise<number>[] = [];
const entryStarted = performance.now();
const spacing = (ENTRY_SECONDS * 1000) / PLAYERS;
let next = 0;
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const due = Math.min(PLAYERS, Math.floor((performance.now() - entryStarted) / spacing) + 1);
    for (; next < due; next++) {
      const id = order[next];
      sentAt.set(id, performance.now());
      answers.push(post(id));
    }
    if (next >= PLAYERS) {
      clearInterval(timer);
      resolve();
    }
  }, 2);
});
const entrySeconds = (performance.now() - entryStarted) / 1000;
const statuses = await Promise.all(answers);
// Long enough for the widest window (±300 after 25 s) to pair every leftover that can be paired.
await new Promise((r) => setTimeout(r, Number(process.env.BENCH_SETTLE_MS ?? 30_000)));

// --- analysis ------------------------------------------------------------------------
const matches = new Map<number, Start>();
let matchedTwice = 0;
for (const [id, list] of starts) {
  if (list.length > 1) matchedTwice++;
  for (const s of list) {
    if (s.a !== id && s.b !== id) matchedTwice++;
    const known = matches.get(s.matchId);
    if (!known || s.at > known.at) matches.set(s.matchId, s); // latency = the later of the two deliveries
  }
}
const inBase: number[] = [];
const widened: number[] = [];
for (const m of matches.values()) {
  const diff = Math.abs(trophiesOf.get(m.a)! - trophiesOf.get(m.b)!);
  const older = Math.min(sentAt.get(m.a)!, sentAt.get(m.b)!);
  const newer = Math.max(sentAt.get(m.a)!, sentAt.get(m.b)!);
  const steps = diff <= WINDOW ? 0 : Math.ceil((diff - WINDOW) / GROWTH_PER_SECOND);
  const inRangeAt = Math.max(newer, older + steps * 1000);
  (steps === 0 ? inBase : widened).push(m.at - inRangeAt);
}
inBase.sort((x, y) => x - y);
widened.sort((x, y) => x - y);
const matchedUsers = new Set([...matches.values()].flatMap((m) => [m.a, m.b]));
const left = ids.filter((id) => !matchedUsers.has(id)).map((id) => trophiesOf.get(id)!).sort((x, y) => x - y);
let leftInRange = 0;
for (let i = 1; i < left.length; i++) if (left[i] - left[i - 1] <= WINDOW_MAX) leftInRange++;
const all = [...inBase, ...widened].sort((x, y) => x - y);
const stats = (xs: number[]) => ({ count: xs.length, p50: Math.round(percentile(xs, 50)), p99: Math.round(percentile(xs, 99)), max: Math.round(xs[xs.length - 1] ?? 0) });

const report = {
  players: PLAYERS,
  streamsOpenSeconds: Number(openSeconds.toFixed(1)),
  entrySeconds: Number(entrySeconds.toFixed(1)),
  entries201: statuses.filter((s) => s === 201).length,
  matches: matches.size,
  matchedPlayers: matchedUsers.size,
  latencyFromInRangeMs: { withinBaseWindow: stats(inBase), afterWidening: stats(widened) },
  entryAnswerMs: stats(postLatency.sort((x, y) => x - y)),
  matchedTwice,
  leftWaiting: left.length,
  leftWaitingInRangeOfEachOther: leftInRange,
  serverRssMb: Math.round(server.rssMb()),
  targets: { everyPairWithinMs: 1000, matchedTwice: 0 },
  pass: statuses.every((s) => s === 201) && all.length > 0 && all[all.length - 1] <= 1000 && matchedTwice === 0 && leftInRange === 0,
};
console.log(JSON.stringify(report, null, 2));
for (const stream of streams) stream.stop();
for (const session of sessions) session.destroy();
await server.stop();

/**
 * The home page's lists under load: `GET /api/game/live/` with 1,000 live
 * matches (callers drawn from BENCH_CALLERS users, 10,000 blocks among all
 * users) and `GET /api/users/leaderboard/` over 100,000 registered users (a
 * random page without a token, and `?around=me` for a random caller), each
 * against the bare route `GET /api/health/live` of the same server in the
 * same run, `GET /api/users/me/` beside them (what any route that checks a
 * token costs); the routes take turns in short slices. On SQLite, then on
 * PostgreSQL when BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test) is reachable. Each list is measured
 * on still data, then while goals and ranked results keep changing it (each
 * node then reads its live board and the changed ladder entries once a second).
 * The data are inserted straight into the database once the node is up (a
 * single node discards the unfinished matches it finds when it starts).
 * Target: every list at least 0.4x the bare route's requests/s.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSigner } from 'fast-jwt';
import pg from 'pg';
import { request } from 'undici';
import { closedLoop, type LoadResult } from './load.js';
import { startBenchServer, type BenchServer } from './server-process.js';
import { alternate, loadLine, median, ratioLine } from './support/alternation.js';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const MATCHES = Number(process.env.BENCH_MATCHES ?? 1000);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 10_000);
/** Seconds of one round of one route; PAIRS rounds of each route, the bare route's between them (bench/support/alternation.ts). */
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 1.5);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 6);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/**
 * The users who call the routes that need a token: each request is one of them at random. The server's token
 * verifier keeps the last 10,000 tokens it checked, as it keeps those of the users active at a time.
 */
const CALLERS = Number(process.env.BENCH_CALLERS ?? 1000);
/** Goals and ranked results per second while the lists are being changed. */
const CHURN_PER_SECOND = Number(process.env.BENCH_CHURN ?? 20);
const PG_ADMIN = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const now = new Date().toISOString();
const trophiesOf = () => Math.floor(Math.random() * 5000);
const spectatorsOf = () => Math.floor(Math.random() * 20);
const code = (match: number) => String(match).padStart(4, '0');
// Match m is a duel between users 2m-1 (team a) and 2m (team b); everybody else watches.
const randomUser = () => 1 + Math.floor(Math.random() * USERS);
/** A watcher (no player of a live match) among the CALLERS. */
const randomCaller = () => USERS - Math.floor(Math.random() * CALLERS);
/** The users who play ranked while the lists change: they have the statistics rows a result updates. */
const RANKED_PLAYERS = 1000;
const rankedPlayer = () => 2 * MATCHES + 1 + Math.floor(Math.random() * RANKED_PLAYERS);
const STAT_MODES = ['global', 'clash', 'duel', 'ranked', 'tournament'];

function blockPairs(): Array<[number, number]> {
  const seen = new Set<string>();
  const pairs: Array<[number, number]> = [];
  while (pairs.length < BLOCKS) {
    const [a, b] = [randomUser(), randomUser()];
    if (a === b || seen.has(`${a}:${b}`)) continue;
    seen.add(`${a}:${b}`);
    pairs.push([a, b]);
  }
  return pairs;
}

function seedSqlite(dataDir: string): void {
  const sqlite = new Database(join(dataDir, 'pong.sqlite'));
  sqlite.pragma('busy_timeout = 10000');
  sqlite.transaction(() => {
    const user = sqlite.prepare(
      'insert into users (id, username, username_lower, password_hash, is_guest, created_at, last_online, profile_picture_id, trophies) values (?, ?, ?, null, 0, ?, ?, 1, ?)',
    );
    for (let id = 1; id <= USERS; id++) user.run(id, `Ladder${id}`, `ladder${id}`, now, now, trophiesOf());
    const match = sqlite.prepare("insert into matches (id, code, game_mode, match_type, created_at, game_start, finished) values (?, ?, 'duel', '1v1', ?, 1, 0)");
    const seat = sqlite.prepare('insert into match_players (match_id, user_id, team, position, live_user_id) values (?, ?, ?, 0, ?)');
    const room = sqlite.prepare("insert into live_rooms (match_id, code, node_id, created_at, spectators) values (?, ?, 'bench', ?, ?)");
    for (let m = 1; m <= MATCHES; m++) {
      match.run(m, code(m), now);
      seat.run(m, 2 * m - 1, 'a', 2 * m - 1);
      seat.run(m, 2 * m, 'b', 2 * m);
      room.run(m, code(m), now, spectatorsOf());
    }
    const block = sqlite.prepare('insert into blocks (blocker_id, blocked_id, blocked_at) values (?, ?, ?)');
    for (const [a, b] of blockPairs()) block.run(a, b, now);
    const stat = sqlite.prepare('insert into user_stats (user_id, game_mode) values (?, ?)');
    for (let id = 2 * MATCHES + 1; id <= 2 * MATCHES + RANKED_PLAYERS; id++) for (const mode of STAT_MODES) stat.run(id, mode);
  })();
  sqlite.pragma('optimize');
  sqlite.close();
}

async function seedPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('begin');
  await client.query(
    `insert into users (id, username, username_lower, password_hash, is_guest, created_at, last_online, profile_picture_id, trophies)
     select g, 'Ladder' || g, 'ladder' || g, null, 0, $1, $1, 1, floor(random() * 5000)::int from generate_series(1, $2) g`, [now, USERS]);
  await client.query(
    `insert into matches (id, code, game_mode, match_type, created_at, game_start, finished)
     select g, lpad(g::text, 4, '0'), 'duel', '1v1', $1, 1, 0 from generate_series(1, $2) g`, [now, MATCHES]);
  await client.query(
    `insert into match_players (match_id, user_id, team, position, live_user_id)
     select g, 2 * g - 1, 'a', 0, 2 * g - 1 from generate_series(1, $1) g
     union all select g, 2 * g, 'b', 0, 2 * g from generate_series(1, $1) g`, [MATCHES]);
  await client.query(
    `insert into live_rooms (match_id, code, node_id, created_at, spectators)
     select g, lpad(g::text, 4, '0'), 'bench', $1, floor(random() * 20)::int from generate_series(1, $2) g`, [now, MATCHES]);
  const pairs = blockPairs();
  await client.query(
    `insert into blocks (blocker_id, blocked_id, blocked_at) select a, b, $3 from unnest($1::int[], $2::int[]) as p(a, b)`,
    [pairs.map((p) => p[0]), pairs.map((p) => p[1]), now]);
  await client.query(
    `insert into user_stats (user_id, game_mode) select g, m from generate_series($1::int, $2::int) g, unnest($3::text[]) m`,
    [2 * MATCHES + 1, 2 * MATCHES + RANKED_PLAYERS, STAT_MODES]);
  for (const table of ['users', 'matches', 'blocks']) await client.query(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`);
  await client.query('commit');
  await client.query('analyze');
  await client.end();
}

async function postInternal(server: BenchServer, method: 'PUT' | 'POST', path: string, body: unknown): Promise<void> {
  const res = await request(`${server.internalUrl}${path}`, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  await res.body.text();
}

/**
 * Goals (each match at most one per side: none finishes) and ranked results for random users, at
 * CHURN_PER_SECOND each, until stopped: every node reads its board and its ladder again once a second.
 */
function churn(server: BenchServer): () => Promise<void> {
  let stopped = false;
  let goals = 0;
  const loop = (async () => {
    while (!stopped && goals < 2 * MATCHES) {
      const started = performance.now();
      const work: Promise<void>[] = [];
      for (let i = 0; i < CHURN_PER_SECOND && goals < 2 * MATCHES; i++, goals++) {
        const scorer = (goals % MATCHES) * 2 + 1 + Math.floor(goals / MATCHES);
        work.push(postInternal(server, 'PUT', `/api/private/match/score/${scorer}/`, {}));
        const winner = rankedPlayer();
        const loser = winner === 2 * MATCHES + 1 ? winner + 1 : winner - 1;
        work.push(postInternal(server, 'POST', '/api/private/users/result-match/', {
          game_mode: 'ranked', winner: 'a', looser: 'b',
          teams: { a: { score: 3, players: [{ id: winner, score: 3, trophies: 10 }] }, b: { score: 0, players: [{ id: loser, score: 0, trophies: -10 }] } },
        }));
      }
      await Promise.all(work);
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - started))));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

type Route = 'me' | 'live' | 'ladderPage' | 'ladderAround';
const LISTS: Route[] = ['live', 'ladderPage', 'ladderAround'];
const TARGET = 0.4;

/**
 * The bare route and the four others in short alternating rounds
 * (bench/support/alternation.ts): each route's ratio is the median of its
 * rounds' ratios to the bare route around them. `me` is
 * `GET /api/users/me/`: what the token check and one read of the caller
 * cost, the floor of any route that needs a token.
 */
async function phase(server: BenchServer, tokens: (id: number) => string) {
  type Request = ReturnType<Parameters<typeof closedLoop>[3]>;
  const load = (next: () => Request) => () => closedLoop(server.url, CONCURRENCY, ROUND_SECONDS, next);
  const routes: Record<Route, () => Request> = {
    me: () => ({ method: 'GET', path: '/api/users/me/', token: tokens(randomCaller()) }),
    live: () => ({ method: 'GET', path: '/api/game/live/', token: tokens(randomCaller()) }),
    ladderPage: () => ({ method: 'GET', path: `/api/users/leaderboard/?offset=${Math.floor(Math.random() * (USERS - 20))}`, token: tokens(1) }),
    ladderAround: () => ({ method: 'GET', path: '/api/users/leaderboard/?around=me', token: tokens(randomCaller()) }),
  };
  const result = await alternate<LoadResult>({
    baseline: load(() => ({ method: 'GET', path: '/api/health/live', token: tokens(1) })),
    subjects: Object.fromEntries(Object.entries(routes).map(([name, next]) => [name, load(next)])),
  }, { pairs: PAIRS });
  const failed = (name: Route) => result.subjects[name].reduce((n, r) => n + r.failed, 0);
  const p99 = (rounds: LoadResult[]) => Math.max(...rounds.map((r) => r.latencyMs.p99));
  const row = (name: Route) => ({ ...ratioLine(result, name, name === 'me' ? undefined : TARGET), worstRoundP99ms: p99(result.subjects[name]), failed: failed(name) });
  return {
    load: loadLine(result),
    bare: { perSecond: Math.round(median(result.baseline.map((r) => r.perSecond))), worstRoundP99ms: p99(result.baseline) },
    me: row('me'), live: row('live'), ladderPage: row('ladderPage'), ladderAround: row('ladderAround'),
    pass: LISTS.every((name) => result.ratios[name].median >= TARGET && failed(name) === 0),
  };
}

async function run(label: string, env: Record<string, string>, seed: (server: BenchServer) => Promise<void>) {
  const server = await startBenchServer(env);
  try {
    const seeding = performance.now();
    await seed(server);
    const seededMs = Math.round(performance.now() - seeding);
    const sign = createSigner({ key: server.jwtSecret, algorithm: 'HS256' });
    const iat = Math.floor(Date.now() / 1000);
    const cache = new Map<number, string>();
    const tokens = (id: number) => {
      let token = cache.get(id);
      if (!token) cache.set(id, (token = sign({ token_type: 'access', iat, exp: iat + 3600, jti: randomBytes(16).toString('hex'), user_id: id })));
      return token;
    };
    // Warm-up: JIT, connections, and the first read of the board and the ladder.
    await closedLoop(server.url, 8, 2, (w) => ({ method: 'GET', path: w % 2 ? '/api/game/live/' : '/api/users/leaderboard/?around=me', token: tokens(randomCaller()) }));
    const still = await phase(server, tokens);
    const stop = churn(server);
    const changing = await phase(server, tokens);
    await stop();
    return { database: label, users: USERS, liveMatches: MATCHES, blocks: BLOCKS, callers: CALLERS, seededMs, still, changing: { churnPerSecond: CHURN_PER_SECOND, ...changing } };
  } finally {
    await server.stop();
  }
}

async function postgresDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const admin = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const name = `pong_bench_activity_${process.pid}`;
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: PG_ADMIN });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

const reports: unknown[] = [];
reports.push(await run('sqlite', {}, async (server) => seedSqlite(server.dataDir)));
const postgres = await postgresDatabase();
if (postgres) {
  try {
    reports.push(await run('postgres', { DATABASE_URL: postgres.url }, () => seedPostgres(postgres.url)));
  } finally {
    await postgres.drop();
  }
} else {
  reports.push({ database: 'postgres', skipped: `not reachable at ${PG_ADMIN}` });
}
console.log(JSON.stringify(reports, null, 2));

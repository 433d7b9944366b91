/**
 * Issue 3: 1,000 users with 200 friends each — `GET /api/users/me/friends/`
 * p99 < 20 ms; posting chat messages (write + receive-message event) at
 * >= 2,000 messages/s with every acknowledged message present afterwards.
 * The social graph is inserted directly into the database (building 100,000
 * friendships over HTTP is not what is measured); requests go over HTTPS.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSigner } from 'fast-jwt';
import { closedLoop } from './load.js';
import { startBenchServer } from './server-process.js';
import { alternate, loadLine, median, ratioLine } from './support/alternation.js';

const USERS = 1000;
const FRIENDS_EACH = 200;
/** The chat-posting run; the friends list runs in BENCH_PAIRS (6) alternating rounds of BENCH_ROUND_SECONDS (2) with the bare route. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 2);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 6);
// Sixteen requests in flight at all times: hundreds of users browsing at once, not a flood.
const FRIENDS_CONCURRENCY = 16;

const dataDir = mkdtempSync(join(tmpdir(), 'pong-bench-social-'));
let server = await startBenchServer({}, { dataDir });
await server.stop();

const sqlite = new Database(join(dataDir, 'pong.sqlite'));
const now = new Date().toISOString();
const chats: Array<{ id: number; a: number; b: number }> = [];
sqlite.transaction(() => {
  const user = sqlite.prepare(
    'insert into users (id, username, username_lower, password_hash, is_guest, created_at, last_online, profile_picture_id) values (?, ?, ?, null, 0, ?, ?, 1)',
  );
  for (let id = 1; id <= USERS; id++) user.run(id, `Social${id}`, `social${id}`, now, now);
  // A ring: user i is friends with the 100 users on each side, so everyone has exactly 200 friends.
  const friendship = sqlite.prepare('insert into friendships (id, user1_id, user2_id, pair_key, created_at) values (?, ?, ?, ?, ?)');
  let friendshipId = 1;
  for (let i = 1; i <= USERS; i++) {
    for (let k = 1; k <= FRIENDS_EACH / 2; k++) {
      const j = ((i - 1 + k) % USERS) + 1;
      const [a, b] = i < j ? [i, j] : [j, i];
      friendship.run(friendshipId++, a, b, `${a}:${b}`, now);
    }
  }
  const chat = sqlite.prepare('insert into chats (user_a_id, user_b_id, created_at, last_updated) values (?, ?, ?, ?)');
  for (let i = 1; i < USERS; i += 2) chats.push({ id: Number(chat.run(i, i + 1, now, now).lastInsertRowid), a: i, b: i + 1 });
})();
const friendCount = (sqlite.prepare('select count(*) n from friendships').get() as { n: number }).n;
sqlite.close();

server = await startBenchServer({}, { dataDir });
const sign = createSigner({ key: server.jwtSecret, algorithm: 'HS256' });
const iat = Math.floor(Date.now() / 1000);
const tokens = Array.from({ length: USERS + 1 }, (_, id) =>
  sign({ token_type: 'access', iat, exp: iat + 3600, jti: randomBytes(16).toString('hex'), user_id: id }));
const randomUser = () => 1 + Math.floor(Math.random() * USERS);

// The friends list and the bare route in alternating rounds (bench/support/alternation.ts), at the same concurrency.
const friendsRuns = await alternate({
  baseline: () => closedLoop(server.url, FRIENDS_CONCURRENCY, ROUND_SECONDS, () => ({ method: 'GET', path: '/api/health/live', token: tokens[1] })),
  subjects: { friends: () => closedLoop(server.url, FRIENDS_CONCURRENCY, ROUND_SECONDS, () => ({ method: 'GET', path: '/api/users/me/friends/', token: tokens[randomUser()] })) },
}, { pairs: PAIRS });
const friends = {
  ...ratioLine(friendsRuns, 'friends'),
  p99ms: median(friendsRuns.subjects.friends.map((r) => r.latencyMs.p99)),
  failed: friendsRuns.subjects.friends.reduce((n, r) => n + r.failed, 0),
};

let acknowledged = 0;
const chatLoad = await closedLoop(server.url, 64, SECONDS, () => {
  const chat = chats[Math.floor(Math.random() * chats.length)];
  const author = Math.random() < 0.5 ? chat.a : chat.b;
  return { method: 'POST', path: `/api/chat/${chat.id}/messages/`, token: tokens[author], body: { content: `hello ${Math.random()}` } };
}, () => { acknowledged++; });
await server.stop();

const check = new Database(join(dataDir, 'pong.sqlite'), { readonly: true });
const stored = (check.prepare('select count(*) n from chat_messages').get() as { n: number }).n;
check.close();

const report = {
  users: USERS, friendships: friendCount, friendsPerUser: FRIENDS_EACH,
  load: loadLine(friendsRuns),
  friendsList: { concurrency: FRIENDS_CONCURRENCY, ...friends },
  chatPosting: { perSecond: chatLoad.perSecond, latencyMs: chatLoad.latencyMs, failed: chatLoad.failed, acknowledged, storedAfterwards: stored },
  targets: { friendsP99UnderMs: 20, chatMessagesPerSecondAtLeast: 2000, lost: 0 },
  pass: friends.p99ms < 20 && friends.failed === 0 && chatLoad.perSecond >= 2000 && stored === acknowledged,
};
console.log(JSON.stringify(report, null, 2));

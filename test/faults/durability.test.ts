import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.js';
import { sharedDatabase, sleep } from '../support/cluster.js';
import { ApiClient, registerUser, uniqueName, type TestUser } from '../support/http.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { befriend } from '../support/social.js';

type Outcome = number | 'no-answer';
interface Op { kind: 'register' | 'request' | 'accept' | 'message'; key: string; outcome: Outcome; a?: number; b?: number }

/**
 * `kill -9` of a real server process in the middle of a load of
 * registrations, friend requests (and their acceptance) and chat messages.
 * After a restart on the same database: every write answered 2xx is there,
 * every write answered with an error status left nothing, and every write
 * that got no answer is all there or not there at all (never half-applied).
 */
describe('kill -9 under load', () => {
  let db: Awaited<ReturnType<typeof sharedDatabase>>;
  let server: ServerProcess | null = null;
  let store: DatabaseHandle | null = null;

  beforeAll(async () => {
    db = await sharedDatabase();
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await server?.exited;
    await store?.close();
    await db?.drop();
  });

  const env = () => ({ DATA_DIR: db.dataDir, ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}) });

  it('loses no acknowledged write and half-applies none', async () => {
    server = await startServerProcess(env());
    let api = new ApiClient(server.publicUrl);

    // The cast: 24 users; 6 pairs of friends with a chat each, the others make friend requests under load.
    const users: TestUser[] = [];
    for (let i = 0; i < 24; i += 6) users.push(...(await Promise.all(Array.from({ length: 6 }, () => registerUser(api)))));
    const chats: Array<{ id: number; author: TestUser }> = [];
    for (let i = 0; i < 12; i += 2) {
      await befriend(api, users[i], users[i + 1]);
      const chat = await api.post('/api/chat/', { username: users[i + 1].username }, { token: users[i].access });
      expect(chat.status).toBe(201);
      chats.push({ id: chat.body.id, author: users[i] });
    }
    const strangers = users.slice(12);
    const pairs: Array<[TestUser, TestUser]> = [];
    for (let i = 0; i < strangers.length; i++) for (let j = i + 1; j < strangers.length; j++) pairs.push([strangers[i], strangers[j]]);

    const ops: Op[] = [];
    let killed = false;
    const answer = async (op: Omit<Op, 'outcome'>, send: () => Promise<{ status: number; body: any }>) => {
      const entry: Op = { ...op, outcome: 'no-answer' };
      ops.push(entry);
      try {
        const res = await send();
        entry.outcome = res.status;
        return res;
      } catch {
        return null;
      }
    };

    const passwords = new Map<string, string>();
    const registrations = async () => {
      while (!killed) {
        const username = uniqueName('dur');
        passwords.set(username, `K9#${Math.random().toString(36).slice(2, 12)}Zq`);
        await answer({ kind: 'register', key: username }, () => api.post('/api/auth/register/', { username, password: passwords.get(username) }));
      }
    };
    let nextPair = 0;
    const friendRequests = async () => {
      while (!killed && nextPair < pairs.length) {
        const [a, b] = pairs[nextPair++];
        const sent = await answer({ kind: 'request', key: `${a.id}-${b.id}`, a: a.id, b: b.id },
          () => api.post('/api/users/me/friend_requests/', { username: b.username }, { token: a.access }));
        if (killed || sent?.status !== 201) continue;
        await answer({ kind: 'accept', key: `${a.id}-${b.id}`, a: a.id, b: b.id },
          () => api.post(`/api/users/me/friend_requests/${sent.body.id}/`, undefined, { token: b.access }));
      }
    };
    let n = 0;
    const messages = async (chat: { id: number; author: TestUser }) => {
      while (!killed) {
        const content = `m${n++}-${chat.id}`;
        await answer({ kind: 'message', key: content, a: chat.id }, () => api.post(`/api/chat/${chat.id}/messages/`, { content }, { token: chat.author.access }));
      }
    };

    const workers = [
      ...Array.from({ length: 4 }, registrations),
      ...Array.from({ length: 3 }, friendRequests),
      ...chats.map(messages),
    ];
    // Let the load run, then kill the process while requests are in flight.
    const started = Date.now();
    while (ops.filter((o) => o.outcome !== 'no-answer').length < 400 && Date.now() - started < 20_000) await sleep(20);
    const inFlightAtKill = ops.filter((o) => o.outcome === 'no-answer').length;
    server.kill('SIGKILL');
    killed = true;
    expect((await server.exited).signal).toBe('SIGKILL');
    await Promise.all(workers);
    server = null;

    // Restart on the same database.
    server = await startServerProcess(env());
    api = new ApiClient(server.publicUrl);
    store = openDatabase({ databaseUrl: db.databaseUrl ?? null, dataDir: db.dataDir });
    const q = store.db;

    // Registrations: 2xx present (and the password works); error answers absent; unanswered all-or-nothing.
    const registered = ops.filter((o) => o.kind === 'register');
    const names = registered.map((o) => o.key);
    const rows = names.length ? await q.selectFrom('users').select(['id', 'username']).where('username', 'in', names).execute() : [];
    const present = new Set(rows.map((r) => r.username));
    for (const op of registered) {
      if (typeof op.outcome === 'number' && op.outcome < 300) expect(present.has(op.key), `registered ${op.key}`).toBe(true);
      if (typeof op.outcome === 'number' && op.outcome >= 300) expect(present.has(op.key), `refused ${op.key}`).toBe(false);
    }
    for (const op of registered.filter((o) => o.outcome === 'no-answer' || (typeof o.outcome === 'number' && o.outcome < 300))) {
      const login = await api.post('/api/auth/login/', { username: op.key, password: passwords.get(op.key) });
      if (present.has(op.key)) expect([op.key, login.status]).toEqual([op.key, 200]);
      else {
        expect([op.key, login.status]).toEqual([op.key, 401]);
        // Nothing of it is left behind: the name is free again.
        expect((await api.post('/api/auth/register/', { username: op.key, password: 'Str0ng-Passw0rd!' })).status).toBe(201);
      }
    }

    // Friend requests and acceptances: a pair is in exactly one of none / pending / friends, consistent with the answers.
    const requestRows = await q.selectFrom('friend_requests').select(['sender_id', 'receiver_id']).execute();
    const friendshipRows = await q.selectFrom('friendships').select(['user1_id', 'user2_id']).execute();
    const pending = new Set(requestRows.map((r) => `${r.sender_id}-${r.receiver_id}`));
    const friends = new Set(friendshipRows.map((r) => `${r.user1_id}-${r.user2_id}`));
    const byPair = new Map<string, Op[]>();
    for (const op of ops.filter((o) => o.kind === 'request' || o.kind === 'accept')) byPair.set(op.key, [...(byPair.get(op.key) ?? []), op]);
    for (const [key, pairOps] of byPair) {
      const send = pairOps.find((o) => o.kind === 'request')!;
      const accept = pairOps.find((o) => o.kind === 'accept');
      const isPending = pending.has(key);
      const isFriends = friends.has(key);
      expect([key, isPending && isFriends]).toEqual([key, false]);
      const ok = (o?: Op) => typeof o?.outcome === 'number' && o.outcome < 300;
      const refused = (o?: Op) => typeof o?.outcome === 'number' && o.outcome >= 300;
      if (ok(accept)) expect([key, isFriends]).toEqual([key, true]);
      else if (ok(send) && !accept) expect([key, isPending]).toEqual([key, true]);
      else if (ok(send)) expect([key, isPending || isFriends]).toEqual([key, true]);
      if (refused(send)) expect([key, isPending || isFriends]).toEqual([key, false]);
      if (refused(accept)) expect([key, isFriends]).toEqual([key, false]);
      if (!accept) expect([key, isFriends]).toEqual([key, false]);
    }

    // Chat messages: every 2xx exactly once, refused ones absent, unanswered at most once.
    const messageOps = ops.filter((o) => o.kind === 'message');
    const stored = await q.selectFrom('chat_messages').select(['content']).where('chat_id', 'in', chats.map((c) => c.id)).execute();
    const counts = new Map<string, number>();
    for (const row of stored) counts.set(row.content, (counts.get(row.content) ?? 0) + 1);
    for (const op of messageOps) {
      const count = counts.get(op.key) ?? 0;
      if (typeof op.outcome === 'number') expect([op.key, count]).toEqual([op.key, op.outcome < 300 ? 1 : 0]);
      else expect(count).toBeLessThanOrEqual(1);
    }
    // And the API serves them after the restart.
    const sample = messageOps.find((o) => o.outcome === 201)!;
    const page = await api.get(`/api/chat/${sample.a}/messages/?limit=100`, { token: chats.find((c) => c.id === sample.a)!.author.access });
    expect(page.status).toBe(200);

    const acknowledged = ops.filter((o) => typeof o.outcome === 'number' && o.outcome < 300).length;
    const summary = {
      requests: ops.length, acknowledged, inFlightAtKill,
      unanswered: ops.filter((o) => o.outcome === 'no-answer').length,
      errors: ops.filter((o) => typeof o.outcome === 'number' && o.outcome >= 300).map((o) => `${o.kind}:${o.outcome}`),
    };
    console.log(`durability (${db.databaseUrl ? 'postgres' : 'sqlite'}):`, JSON.stringify(summary));
    expect(acknowledged).toBeGreaterThanOrEqual(100);
    expect(summary.errors).toEqual([]);
    expect(summary.unanswered).toBeGreaterThan(0);
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { ApiClient, registerUser, type TestUser } from '../support/http.js';
import { SseClient, type ReceivedEvent } from '../support/sse.js';
import { befriend } from '../support/social.js';
import { eventually, ResumingStream, sharedDatabase, sleep, startNodeProcess, startRealTimeNode, type NodeProcess } from '../support/cluster.js';

const redisUrl = process.env.TEST_REDIS_URL;
// Lease and node TTL: the matchmaker must be taken over within 5 s (issue 8).
const timing = { NODE_TTL_MS: '2000', NODE_HEARTBEAT_MS: '250' };

const codes = (events: ReceivedEvent[]) => events.map((e) => e.event);
const idsOf = (events: ReceivedEvent[]) => events.map((e) => Number(e.id));

/**
 * Issue 8: a node killed with SIGKILL mid-tournament and mid-chat. The
 * doomed node (a real process, started first: the matchmaker leader) holds
 * every stream and served the join that started a 4-player tournament, so
 * the launch deadline (3 s after the start) was armed there; it dies inside
 * those 3 s while a chat is being written through it.
 */
describe.skipIf(!redisUrl)('a node killed with SIGKILL mid-tournament and mid-chat', () => {
  let db: Awaited<ReturnType<typeof sharedDatabase>>;
  let doomed: NodeProcess;
  let survivor: RunningServer;
  const clients: ResumingStream[] = [];
  const plain: SseClient[] = [];

  beforeAll(async () => {
    db = await sharedDatabase();
    doomed = await startNodeProcess(db, redisUrl!, { NODE_ID: 'doomed', ...timing });
    survivor = await startRealTimeNode(db, redisUrl!, { NODE_ID: 'survivor', ...timing });
  });
  afterAll(async () => {
    for (const c of clients) await c.stop();
    for (const s of plain) s.close();
    doomed?.kill('SIGKILL');
    await survivor?.close();
    await db?.drop();
  });

  it('the survivor takes over the matchmaker and the tournament deadline; every stream resumes without a lost or repeated event; every acknowledged write is present', { timeout: 60_000 }, async () => {
    const onDoomed = new ApiClient(doomed.publicUrl);
    const onSurvivor = new ApiClient(survivor.publicUrl);
    expect(survivor.platform.leadership.isLeader).toBe(false);

    // Streams on the doomed node that reconnect (EventSource-like, with Last-Event-ID) to the survivor.
    const isOnline = async (user: TestUser) => (await onSurvivor.get('/api/users/me/', { token: user.access })).body.is_online === true;
    async function resuming(user: TestUser): Promise<ResumingStream> {
      const client = new ResumingStream(user.access, (attempt) => (attempt === 0 ? doomed.publicUrl : survivor.publicUrl), 100);
      clients.push(client);
      await eventually(() => isOnline(user), 5000, 'online');
      return client;
    }
    const players: TestUser[] = [];
    for (let i = 0; i < 4; i++) players.push(await registerUser(onSurvivor));
    const playerStreams = await Promise.all(players.map(resuming));
    const writer = await registerUser(onSurvivor);
    const reader = await registerUser(onSurvivor);
    const readerStream = await resuming(reader);
    await befriend(onSurvivor, writer, reader);
    const chat = await onDoomed.post('/api/chat/', { username: reader.username }, { token: writer.access });
    expect(chat.status, chat.text).toBe(201);
    const chatId = chat.body.id;

    // The tournament fills up through the doomed node: it starts there and arms the 3 s launch deadline there.
    const created = await onDoomed.post('/api/play/tournament/', { name: `Kill ${Math.random().toString(36).slice(2, 8)}`, size: 4 }, { token: players[0].access });
    expect(created.status, created.text).toBe(201);
    for (const p of players.slice(1)) {
      const joined = await onDoomed.post(`/api/play/tournament/${created.body.code}/`, undefined, { token: p.access });
      expect(joined.status, joined.text).toBe(201);
    }
    await eventually(() => playerStreams.every((c) => codes(c.received).includes('tournament-start')), 5000, 'tournament-start everywhere');
    const startedAt = Date.now();

    // Mid-chat: messages through the doomed node until it dies, then through the survivor.
    const acknowledged: string[] = [];
    let ackedByDoomed = 0;
    let killed = false;
    const chatting = (async () => {
      for (let n = 0; n < 60; n++) {
        const content = `message ${n}`;
        const via = killed ? onSurvivor : onDoomed;
        const res = await via.post(`/api/chat/${chatId}/messages/`, { content }, { token: writer.access }).catch(() => null);
        if (res?.status === 201) {
          acknowledged.push(content);
          if (via === onDoomed) ackedByDoomed += 1;
        }
        await sleep(10);
      }
    })();
    await sleep(150);
    // The launch deadline has not fired on the doomed node: nobody has a game yet.
    expect(playerStreams.some((c) => codes(c.received).includes('game-start'))).toBe(false);
    doomed.kill('SIGKILL');
    killed = true;
    expect((await doomed.exited).signal).toBe('SIGKILL');
    expect(Date.now() - startedAt).toBeLessThan(3000);
    await chatting;

    // Matchmaker: two players queue on the survivor; it becomes the leader and pairs them within 5 s of the kill.
    const killedAt = Date.now();
    const duelists: Array<TestUser & { stream: SseClient }> = [];
    for (let i = 0; i < 2; i++) {
      const user = await registerUser(onSurvivor);
      const stream = await SseClient.open(survivor.publicUrl, user.access);
      plain.push(stream);
      await stream.next('ping');
      await eventually(() => isOnline(user), 5000, 'duelist online');
      duelists.push({ ...user, stream });
    }
    for (const d of duelists) expect((await onSurvivor.post('/api/play/duel/', undefined, { token: d.access })).status).toBe(201);
    const [ga, gb] = await Promise.all(duelists.map((d) => d.stream.next('game-start', 6000)));
    expect(ga.envelope.data.id).toBe(gb.envelope.data.id);
    expect(Date.now() - killedAt).toBeLessThan(5000 + 1000);
    expect(survivor.platform.leadership.isLeader).toBe(true);

    // Tournament deadline: the survivor claims the launch the dead node had armed: each player gets one game-start.
    await eventually(() => playerStreams.every((c) => codes(c.received).includes('game-start')), 8000, 'the first round launched by the survivor');
    await sleep(300);
    for (const c of playerStreams) {
      expect(c.connections).toBe(2);
      const got = codes(c.received);
      expect(got.filter((x) => x === 'tournament-start')).toHaveLength(1);
      expect(got.filter((x) => x === 'game-start')).toHaveLength(1);
      const ids = idsOf(c.received);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      expect(new Set(ids).size).toBe(ids.length);
    }

    // Chat: every acknowledged message is stored, and the reader got each one exactly once, in order.
    expect(ackedByDoomed).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(ackedByDoomed);
    const stored = await onSurvivor.get(`/api/chat/${chatId}/messages/?limit=100`, { token: reader.access });
    expect(stored.status).toBe(200);
    const contents: string[] = (stored.body.results ?? stored.body).map((m: { content: string }) => m.content);
    for (const content of acknowledged) expect(contents).toContain(content);
    await eventually(() => readerStream.received.filter((e) => e.event === 'receive-message').length >= acknowledged.length, 5000, 'every message on the reader\'s stream');
    const live = readerStream.received.filter((e) => e.event === 'receive-message').map((e) => e.envelope.data.content as string);
    // A message whose request died with the node may have been stored and published without an answer: not acknowledged, but delivered.
    expect(live.filter((c) => acknowledged.includes(c))).toEqual(acknowledged);
    expect(new Set(live).size).toBe(live.length);
    expect(readerStream.connections).toBe(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { ManualClock } from '../../src/platform/clock.js';
import { ApiClient, insecureAgent, registerUser, type TestUser } from '../support/http.js';
import { BROADCASTS, SseClient, type ReceivedEvent } from '../support/sse.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { eventually, ResumingStream, sharedDatabase, sleep } from '../support/cluster.js';

const redisUrl = process.env.TEST_REDIS_URL;

const numbers = (events: ReceivedEvent[]) => events.filter((e) => !BROADCASTS.has(e.event)).map((e) => e.envelope.data.n);
const idsOf = (events: ReceivedEvent[]) => events.filter((e) => !BROADCASTS.has(e.event)).map((e) => Number(e.id));

async function send(server: TestServer, user: TestUser, from: number, to: number) {
  for (let n = from; n < to; n++) await server.platform.events.send([user.id], 'lobby-update', { n });
}

/** The raw bytes of the first events of a stream. */
async function rawStart(baseUrl: string, token: string, untilText: string, headers: Record<string, string> = {}): Promise<string> {
  const controller = new AbortController();
  const res = await request(`${baseUrl}/sse/users/`, { headers: { authorization: `Bearer ${token}`, ...headers }, dispatcher: insecureAgent, signal: controller.signal });
  let text = '';
  try {
    for await (const chunk of res.body) {
      text += chunk.toString();
      if (text.includes(untilText)) break;
    }
  } finally {
    controller.abort();
  }
  return text;
}

function resumeSuite(name: string, nodes: () => { a: TestServer; b: TestServer }) {
  describe(name, () => {
    it('writes an id line before the event line of every event; pings carry none', async () => {
      const { a } = nodes();
      const user = await registerUser(new ApiClient(a.publicUrl));
      const stream = await SseClient.open(a.publicUrl, user.access);
      await stream.next('ping');
      await send(a, user, 0, 1);
      const event = await stream.next('lobby-update');
      expect(event.id).toMatch(/^\d+$/);
      stream.close();
      const raw = await rawStart(a.publicUrl, user.access, '"n":0}', { 'last-event-id': String(Number(event.id) - 1) });
      expect(raw.startsWith('event: ping\ndata: ')).toBe(true);
      expect(raw).toMatch(new RegExp(`\\n\\nid: ${event.id}\\nevent: lobby-update\\ndata: \\{[^\\n]*"n":0\\}[^\\n]*\\n\\n`));
    });

    it('resumes on the same node: the missed events first, in order, then the live ones, none twice', async () => {
      const { a } = nodes();
      const user = await registerUser(new ApiClient(a.publicUrl));
      const first = await SseClient.open(a.publicUrl, user.access);
      await first.next('ping');
      await send(a, user, 0, 5);
      await first.waitFor(() => first.notifications.length === 5);
      const lastId = first.notifications.at(-1)!.id!;
      first.close();
      await send(a, user, 5, 12);
      const second = await SseClient.open(a.publicUrl, user.access, { headers: { 'last-event-id': lastId } });
      await second.waitFor(() => second.notifications.length === 7);
      await send(a, user, 12, 15);
      await second.waitFor(() => second.notifications.length === 10);
      await sleep(50);
      expect(numbers(second.events)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
      const ids = [...idsOf(first.events), ...idsOf(second.events)];
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      expect(new Set(ids).size).toBe(15);
      second.close();
    });

    it('resumes on the other node, with the header or ?last_event_id=', async () => {
      const { a, b } = nodes();
      const user = await registerUser(new ApiClient(a.publicUrl));
      const onA = await SseClient.open(a.publicUrl, user.access);
      await onA.next('ping');
      await send(b, user, 0, 3);
      await onA.waitFor(() => onA.notifications.length === 3);
      const lastId = onA.notifications.at(-1)!.id!;
      onA.close();
      await send(a, user, 3, 6);
      const onB = await SseClient.open(b.publicUrl, user.access, { headers: { 'last-event-id': lastId } });
      await onB.waitFor(() => onB.notifications.length === 3);
      await send(a, user, 6, 8);
      await onB.waitFor(() => onB.notifications.length === 5);
      expect(numbers(onB.events)).toEqual([3, 4, 5, 6, 7]);
      const viaQuery = await SseClient.open(b.publicUrl, user.access, { viaQuery: true });
      viaQuery.close();
      const query = await request(`${a.publicUrl}/sse/users/?token=${user.access}&last_event_id=${lastId}`, { dispatcher: insecureAgent });
      let text = '';
      for await (const chunk of query.body) {
        text += chunk.toString();
        if ((text.match(/event: lobby-update/g) ?? []).length >= 5) break;
      }
      expect([...text.matchAll(/"n":(\d+)/g)].map((m) => Number(m[1]))).toEqual([3, 4, 5, 6, 7]);
      onB.close();
    });

    it('a stream opened without Last-Event-ID gets no backlog', async () => {
      const { a, b } = nodes();
      const user = await registerUser(new ApiClient(a.publicUrl));
      await send(a, user, 0, 3);
      const fresh = await SseClient.open(b.publicUrl, user.access);
      await fresh.next('ping');
      await send(a, user, 3, 4);
      await fresh.next('lobby-update');
      expect(numbers(fresh.events)).toEqual([3]);
      fresh.close();
    });

    it('loses nothing and repeats nothing while a client keeps reconnecting, alternately to each node, under a steady flow of events', async () => {
      const { a, b } = nodes();
      const user = await registerUser(new ApiClient(a.publicUrl));
      const client = new ResumingStream(user.access, (attempt) => (attempt % 2 ? b.publicUrl : a.publicUrl), 5);
      await eventually(() => client.connections === 1 && a.platform.hub.localStreamCount(user.id) === 1, 5000, 'first connection');
      const total = 150;
      const producer = (async () => {
        for (let n = 0; n < total; n++) {
          await (n % 2 ? b : a).platform.events.send([user.id], 'lobby-update', { n });
          await sleep(n % 5 === 0 ? 3 : 0);
        }
      })();
      // A client keeps the id of the last event it saw: the first one must have arrived before any resume can work.
      await eventually(() => client.received.length > 0, 5000, 'a first event');
      for (let drops = 0; drops < 25 && client.received.length < total; drops++) {
        await sleep(5 + (drops % 4) * 10);
        client.drop();
      }
      await producer;
      await eventually(() => client.received.length >= total, 10_000, `all ${total} events (got ${client.received.length})`);
      await sleep(100);
      await client.stop();
      expect(client.connections).toBeGreaterThan(3);
      expect(numbers(client.received)).toEqual([...Array(total).keys()]);
      const ids = idsOf(client.received);
      expect(new Set(ids).size).toBe(total);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    });
  });
}

describe('SSE resume on one node (in-memory event log)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());
  resumeSuite('one node', () => ({ a: server, b: server }));

  it('keeps SSE_LOG_SIZE events per user', async () => {
    const small = await startTestServer({ env: { SSE_LOG_SIZE: '4' } });
    try {
      const user = await registerUser(new ApiClient(small.publicUrl));
      await send(small, user, 0, 10);
      const stream = await SseClient.open(small.publicUrl, user.access, { headers: { 'last-event-id': '1' } });
      await stream.waitFor(() => stream.notifications.length === 4);
      await sleep(50);
      expect(numbers(stream.events)).toEqual([6, 7, 8, 9]);
      stream.close();
    } finally {
      await small.close();
    }
  });
});

describe.skipIf(!redisUrl)('SSE resume across two nodes (Redis event log)', () => {
  let a: TestServer;
  let b: TestServer;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await sharedDatabase();
    drop = db.drop;
    const clock = new ManualClock();
    a = await startTestServer({ redisUrl, databaseUrl: db.databaseUrl, dataDir: db.dataDir, clock, env: { NODE_ID: 'resume-a' } });
    b = await startTestServer({ redisUrl, databaseUrl: db.databaseUrl, dataDir: db.dataDir, clock, env: { NODE_ID: 'resume-b' } });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
  });
  resumeSuite('two nodes', () => ({ a, b }));
});

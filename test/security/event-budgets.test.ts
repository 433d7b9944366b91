import { connect, type ClientHttp2Session } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, registerUser, uniqueName, type TestUser } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { SseClient } from '../support/sse.js';

/**
 * What the SSE machinery keeps for a user is bounded in bytes: a resume gives
 * back only the newest events that fit his budget, and a stream whose client
 * does not read is closed once its backlog exceeds the per-stream (or the
 * process) budget, rather than growing the server's memory.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

/** An h2 event stream whose client never reads: the server can send one flow-control window (16 KB), then must hold the rest. */
function openUnreadStream(server: TestServer, token: string): ClientHttp2Session {
  const session = connect(server.publicUrl, { rejectUnauthorized: false, settings: { initialWindowSize: 16 * 1024 } });
  session.on('error', () => {});
  const stream = session.request({ ':path': '/sse/users/', authorization: `Bearer ${token}`, accept: 'text/event-stream' });
  stream.on('error', () => {});
  stream.pause();
  return session;
}

/** A frame of about `bytes` bytes, as a producer would publish it. */
const bigFrame = (n: number, bytes: number) => `event: lobby-message\ndata: ${JSON.stringify({ n, pad: 'x'.repeat(bytes) })}\n\n`;

describe('resume after many large events', () => {
  const USER_BYTES = 20_000;
  let server: TestServer;
  let api: ApiClient;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ env: { SSE_LOG_USER_BYTES: String(USER_BYTES) } });
    api = new ApiClient(server.publicUrl);
    alice = await registerUser(api, uniqueName('eb'));
    bob = await registerUser(api, uniqueName('eb'));
  });
  afterAll(async () => server.close());

  it('gives back only the newest events that fit the user budget, in order', async () => {
    expect((await api.patch('/api/users/me/', { accept_chat_from: 'everyone' }, { token: bob.access })).status).toBe(200);
    const chat = await api.post('/api/chat/', { username: bob.username }, { token: alice.access });
    expect(chat.status).toBe(201);
    // One short message bob sees live: its id is where he resumes from.
    const first = await SseClient.open(server.publicUrl, bob.access);
    await first.next('ping');
    expect((await api.post(`/api/chat/${chat.body.id}/messages/`, { content: 'hello' }, { token: alice.access })).status).toBe(201);
    const seen = await first.next('receive-message');
    first.close();
    // Thirty of the largest messages while he is away: each event carries the text three times (~6.3 KB).
    for (let n = 0; n < 30; n++) {
      const res = await api.post(`/api/chat/${chat.body.id}/messages/`, { content: `${String(n).padStart(2, '0')}${'m'.repeat(1998)}` }, { token: alice.access });
      expect(res.status).toBe(201);
    }
    const resumed = await SseClient.open(server.publicUrl, bob.access, { headers: { 'last-event-id': seen.id! } });
    await resumed.next('ping');
    await sleep(200);
    const replayed = resumed.notifications;
    resumed.close();
    const numbers = replayed.map((e) => Number(e.envelope.data.content.slice(0, 2)));
    // The newest ones, none twice, none missing between them, and no more than the budget.
    expect(numbers.length).toBeGreaterThanOrEqual(2);
    expect(numbers.length).toBeLessThan(30);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => 30 - numbers.length + i));
    const bytes = replayed.reduce((sum, e) => sum + Buffer.byteLength(`event: ${e.event}\ndata: ${JSON.stringify(e.envelope)}\n\n`), 0);
    expect(bytes).toBeLessThanOrEqual(USER_BYTES);
    // Ids increase.
    const ids = replayed.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });
});

describe('a stream whose client does not read', () => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startTestServer({ env: { SSE_STREAM_BUFFER_BYTES: String(256 * 1024), SSE_STREAM_BUFFER_TOTAL_BYTES: String(300 * 1024) } });
    api = new ApiClient(server.publicUrl);
  });
  afterAll(async () => server.close());

  it('is closed once its backlog exceeds the per-stream budget; a reading stream is not', async () => {
    const slow = await registerUser(api, uniqueName('eb'));
    const fast = await registerUser(api, uniqueName('eb'));
    const unread = openUnreadStream(server, slow.access);
    const reader = await SseClient.open(server.publicUrl, fast.access);
    await reader.next('ping');
    await until(() => server.platform.hub.localStreamCount(slow.id) === 1);
    const closedBefore = server.platform.hub.writeBudget.closedForLag;
    // 1 MB in 20 events of 50 KB: four times the stream's budget.
    for (let n = 0; n < 20; n++) {
      await server.platform.hub.publish({ to: [slow.id, fast.id], frame: bigFrame(n, 50_000), close: false });
      await sleep(5);
    }
    await until(() => server.platform.hub.localStreamCount(slow.id) === 0);
    expect(server.platform.hub.writeBudget.closedForLag).toBe(closedBefore + 1);
    await reader.waitFor((events) => events.filter((e) => e.event === 'lobby-message').length === 20);
    expect(reader.closed).toBe(false);
    expect(server.platform.hub.localStreamCount(fast.id)).toBe(1);
    reader.close();
    unread.destroy();
    await until(() => server.platform.hub.writeBudget.bufferedBytes < 64 * 1024);
  });

  it('lagging streams are closed once the backlogs of all streams exceed the process budget', async () => {
    const users = [await registerUser(api, uniqueName('eb')), await registerUser(api, uniqueName('eb'))];
    const unread = users.map((u) => openUnreadStream(server, u.access));
    await until(() => users.every((u) => server.platform.hub.localStreamCount(u.id) === 1));
    // 200 KB each: under the per-stream budget (256 KB), over the process one (300 KB) together.
    for (let n = 0; n < 5; n++) {
      await server.platform.hub.publish({ to: users.map((u) => u.id), frame: bigFrame(n, 40_000), close: false });
      await sleep(5);
    }
    await until(() => users.some((u) => server.platform.hub.localStreamCount(u.id) === 0));
    const left = users.filter((u) => server.platform.hub.localStreamCount(u.id) > 0).length;
    // The one written to after the total went over is closed; its neighbour, now alone, fits.
    expect(left).toBeLessThan(2);
    expect(server.platform.hub.writeBudget.bufferedBytes).toBeLessThanOrEqual(300 * 1024);
    for (const u of unread) u.destroy();
  });
});

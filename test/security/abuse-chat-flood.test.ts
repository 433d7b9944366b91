import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { useTwoNodesSharing } from '../support/cluster.js';
import { ApiClient, registerUser, uniqueName, type TestUser } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * One author cannot flood a conversation: at most CHAT_MESSAGES_PER_10_SECONDS
 * messages in one chat per 10-second window, then 429 until the window ends
 * (docs/api.md, Throttling). A person's pace is never refused.
 */
const THROTTLED = { detail: 'Request was throttled.' };
const WINDOW_MS = 10_000;

async function chatter(api: ApiClient): Promise<TestUser> {
  const user = await registerUser(api, uniqueName('fl'));
  expect((await api.patch('/api/users/me/', { accept_chat_from: 'everyone' }, { token: user.access })).status).toBe(200);
  return user;
}

async function openChat(api: ApiClient, from: TestUser, to: TestUser): Promise<number> {
  const res = await api.post('/api/chat/', { username: to.username }, { token: from.access });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

const post = (api: ApiClient, author: TestUser, chatId: number, content: string) =>
  api.post(`/api/chat/${chatId}/messages/`, { content }, { token: author.access });

/** Moves the clock to the start of a window, so that a test's burst falls in one. */
function alignToWindow(clock: ManualClock): void {
  clock.advance(WINDOW_MS - (clock.now() % WINDOW_MS));
}

describe('a chat cannot be flooded: 10 messages per author and chat in 10 s', () => {
  let server: TestServer;
  let api: ApiClient;
  let internal: ApiClient;

  beforeAll(async () => {
    server = await startTestServer({ env: { CHAT_MESSAGES_PER_10_SECONDS: '10' } });
    api = new ApiClient(server.publicUrl);
    internal = new ApiClient(server.internalUrl!);
  });
  afterAll(async () => {
    await server.close();
  });

  it('the 11th message within 10 s is refused with 429 and Retry-After, stored nowhere; the window over, he writes again', async () => {
    const [alice, mallory] = [await chatter(api), await chatter(api)];
    const chatId = await openChat(api, mallory, alice);
    alignToWindow(server.clock);
    for (let i = 1; i <= 10; i++) expect((await post(api, mallory, chatId, `spam ${i}`)).status).toBe(201);
    server.clock.advance(3000);
    const refused = await post(api, mallory, chatId, 'spam 11');
    expect([refused.status, refused.body]).toEqual([429, THROTTLED]);
    expect(Number(refused.headers['retry-after'])).toBe(7);
    // The internal route that relays chat-socket messages spends the same budget.
    const relayed = await internal.post(`/api/private/chat/${chatId}/messages/`, { content: 'spam 12' }, { token: mallory.access });
    expect([relayed.status, relayed.body]).toEqual([429, THROTTLED]);

    const me = await api.get('/api/users/me/', { token: alice.access });
    expect(me.body.notifications.chats).toBe(10);
    const listed = await api.get(`/api/chat/${chatId}/messages/?limit=50`, { token: alice.access });
    expect(listed.body.count).toBe(10);
    expect(listed.body.results[0].content).toBe('spam 10');

    server.clock.advance(7000);
    expect((await post(api, mallory, chatId, 'one more')).status).toBe(201);
  });

  it('counts per author and per chat: the other participant answers, and the flooder still writes to others', async () => {
    const [alice, bob, mallory] = [await chatter(api), await chatter(api), await chatter(api)];
    const withAlice = await openChat(api, mallory, alice);
    const withBob = await openChat(api, mallory, bob);
    alignToWindow(server.clock);
    for (let i = 1; i <= 10; i++) expect((await post(api, mallory, withAlice, `spam ${i}`)).status).toBe(201);
    expect((await post(api, mallory, withAlice, 'spam 11')).status).toBe(429);
    expect((await post(api, alice, withAlice, 'Please stop.')).status).toBe(201);
    expect((await post(api, mallory, withBob, 'hello bob')).status).toBe(201);
  });

  it('a quick typist is never refused: 10 messages a minute, two seconds apart, for a minute', async () => {
    const [alice, bob] = [await chatter(api), await chatter(api)];
    const chatId = await openChat(api, alice, bob);
    for (let i = 0; i < 30; i++) {
      expect((await post(api, alice, chatId, `line ${i}`)).status).toBe(201);
      server.clock.advance(2000);
    }
  });
});

describe.skipIf(!process.env.TEST_REDIS_URL)('with Redis the message budget is shared by every node', () => {
  const nodes = useTwoNodesSharing('flood', { CHAT_MESSAGES_PER_10_SECONDS: '10' });

  it('messages posted through one node count on the other', async () => {
    const apiA = new ApiClient(nodes.a.publicUrl);
    const apiB = new ApiClient(nodes.b.publicUrl);
    const [alice, mallory] = [await chatter(apiA), await chatter(apiA)];
    const chatId = await openChat(apiA, mallory, alice);
    alignToWindow(nodes.a.clock);
    for (let i = 1; i <= 5; i++) expect((await post(apiA, mallory, chatId, `a ${i}`)).status).toBe(201);
    for (let i = 1; i <= 5; i++) expect((await post(apiB, mallory, chatId, `b ${i}`)).status).toBe(201);
    expect((await post(apiA, mallory, chatId, 'a 6')).status).toBe(429);
    expect((await post(apiB, mallory, chatId, 'b 6')).status).toBe(429);
  });
});

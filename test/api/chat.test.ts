import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createGuest, registerUser, uniqueName, type TestUser } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { SseClient } from '../support/sse.js';

/**
 * Chat over real HTTPS and real SSE streams: opening chats, hiding, messages,
 * read state, `accept_chat_from` and blocking.
 */
const streams: SseClient[] = [];

let server: TestServer;
let api: ApiClient;
let internal: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
  internal = new ApiClient(server.internalUrl!);
});

afterAll(async () => {
  for (const s of streams) s.close();
  await server.close();
});

async function openStream(user: TestUser): Promise<SseClient> {
  const stream = await SseClient.open(server.publicUrl, user.access);
  expect(stream.status).toBe(200);
  streams.push(stream);
  return stream;
}

/** Moves the server clock so that timestamps differ (access tokens live 15 minutes). */
const tick = () => server.clock.advance(1000);

/** Sets the user's `accept_chat_from`. */
async function acceptChatFrom(user: TestUser, value: 'none' | 'friends_only' | 'everyone'): Promise<void> {
  const res = await api.patch('/api/users/me/', { accept_chat_from: value }, { token: user.access });
  expect(res.status, res.text).toBe(200);
  expect(res.body.accept_chat_from).toBe(value);
}

async function newUser(accept: 'none' | 'friends_only' | 'everyone' = 'everyone'): Promise<TestUser> {
  const user = await registerUser(api, uniqueName('ch'));
  if (accept !== 'friends_only') await acceptChatFrom(user, accept);
  return user;
}

async function createChat(from: TestUser, to: TestUser): Promise<any> {
  const res = await api.post('/api/chat/', { username: to.username }, { token: from.access });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function post(author: TestUser, chatId: number, content: unknown, extra: Record<string, unknown> = {}) {
  return api.post(`/api/chat/${chatId}/messages/`, { content, ...extra }, { token: author.access });
}

async function say(author: TestUser, chatId: number, content: string): Promise<any> {
  const res = await post(author, chatId, content);
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function unreadChats(user: TestUser): Promise<number> {
  const me = await api.get('/api/users/me/', { token: user.access });
  expect(me.status).toBe(200);
  return me.body.notifications.chats;
}

async function makeFriends(a: TestUser, b: TestUser): Promise<void> {
  const sent = await api.post('/api/users/me/friend_requests/', { username: b.username }, { token: a.access });
  expect(sent.status, sent.text).toBe(201);
  const accepted = await api.post(`/api/users/me/friend_requests/${sent.body.id}/`, {}, { token: b.access });
  expect(accepted.status, accepted.text).toBe(201);
}

async function block(blocker: TestUser, blocked: TestUser): Promise<number> {
  const res = await api.post('/api/users/me/blocked/', { user_id: blocked.id }, { token: blocker.access });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

const small = (user: TestUser) => ({
  id: user.id,
  username: user.username,
  profile_picture: { id: 1, name: 'Register', small: '/assets/profile_pictures/register_small.png', medium: '/assets/profile_pictures/register_medium.png' },
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const NOT_MEMBER = { detail: 'You do not belong to this chat.' };

describe('access', () => {
  it('refuses anonymous callers with 401 and guests with 403 on every chat endpoint', async () => {
    const guest = await createGuest(api);
    const calls: Array<[string, string, unknown]> = [
      ['GET', '/api/chat/', undefined],
      ['POST', '/api/chat/', { username: 'someone' }],
      ['GET', '/api/chat/1/', undefined],
      ['DELETE', '/api/chat/1/', undefined],
      ['GET', '/api/chat/1/messages/', undefined],
      ['POST', '/api/chat/1/messages/', { content: 'hi' }],
    ];
    for (const [method, path, body] of calls) {
      const anonymous = await api.request(method, path, { body });
      expect(anonymous.status, `${method} ${path}`).toBe(401);
      expect(anonymous.body).toEqual({ detail: 'Authentication credentials were not provided.', code: 'not_authenticated' });
      const asGuest = await api.request(method, path, { body, token: guest.access });
      expect(asGuest.status, `${method} ${path}`).toBe(403);
      expect(asGuest.body).toEqual({ detail: 'Guest users cannot perform this action.' });
    }
  });

  it('answers 405 for other methods, after authentication', async () => {
    const user = await newUser();
    const put = await api.put('/api/chat/', {}, { token: user.access });
    expect(put.status).toBe(405);
    expect(put.body).toEqual({ detail: 'Method "PUT" not allowed.' });
    const patch = await api.patch('/api/chat/3/', {}, { token: user.access });
    expect(patch.status).toBe(405);
    expect(patch.body).toEqual({ detail: 'Method "PATCH" not allowed.' });
    expect((await api.delete('/api/chat/3/messages/', undefined, { token: user.access })).status).toBe(405);
    expect((await api.put('/api/chat/')).status).toBe(401);
  });

  it('refuses ?token= on chat endpoints (only the stream and the game socket accept it)', async () => {
    const user = await newUser();
    const res = await api.get(`/api/chat/?token=${user.access}`);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('not_authenticated');
  });
});

describe('POST /api/chat/', () => {
  it('creates the chat and answers chat_with, last_message, created_at and view_chat plus last_updated and unread_messages', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const res = await api.post('/api/chat/', { username: `  ${bob.username} ` }, { token: alice.access });
    expect(res.status).toBe(201);
    // chat_with also tells whether the other is online (bob has no stream open) and when he was last seen (his registration).
    expect(res.body).toEqual({
      id: expect.any(Number),
      chat_with: { ...small(bob), status: { is_online: false, last_online: expect.stringMatching(ISO) } },
      last_message: null,
      created_at: expect.stringMatching(ISO),
      last_updated: res.body.created_at,
      view_chat: true,
      unread_messages: 0,
    });
    const seenByBob = await api.get(`/api/chat/${res.body.id}/`, { token: bob.access });
    expect(seenByBob.status).toBe(200);
    expect(seenByBob.body).toEqual({ ...res.body, chat_with: { ...small(alice), status: { is_online: false, last_online: expect.stringMatching(ISO) } } });
  });

  it('chat_with.status follows the other participant\'s live stream', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const chat = (await api.post('/api/chat/', { username: bob.username }, { token: alice.access })).body;
    const stream = await openStream(bob);
    try {
      // Presence is written in batches just after the stream opens.
      let online = (await api.get(`/api/chat/${chat.id}/`, { token: alice.access })).body.chat_with.status;
      for (let i = 0; i < 50 && !online.is_online; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        online = (await api.get(`/api/chat/${chat.id}/`, { token: alice.access })).body.chat_with.status;
      }
      expect(online).toEqual({ is_online: true, last_online: expect.stringMatching(ISO) });
      const listed = (await api.get('/api/chat/', { token: alice.access })).body.results.find((c: any) => c.id === chat.id);
      expect(listed.chat_with.status.is_online).toBe(true);
    } finally {
      stream.close();
    }
  });

  it('validates the body', async () => {
    const alice = await newUser();
    const cases: Array<[unknown, unknown]> = [
      [{}, { username: ['This field is required.'] }],
      [{ username: '   ' }, { username: ['This field may not be blank.'] }],
      [{ username: null }, { username: ['This field may not be null.'] }],
      [{ username: true }, { username: ['Not a valid string.'] }],
      [{ username: ['a'] }, { username: ['Not a valid string.'] }],
      [{ username: 'x'.repeat(31) }, { username: ['Ensure this field has no more than 30 characters.'] }],
    ];
    for (const [body, answer] of cases) {
      const res = await api.post('/api/chat/', body, { token: alice.access });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body, JSON.stringify(body)).toEqual(answer);
    }
    const list = await api.post('/api/chat/', [alice.username], { token: alice.access });
    expect(list.status).toBe(400);
    expect(list.body).toEqual({ detail: 'Data must be a dictionary.' });
    const malformed = await api.request('POST', '/api/chat/', { rawBody: '{"username": ', token: alice.access });
    expect(malformed.status).toBe(400);
    expect(malformed.body.detail).toMatch(/^JSON parse error - /);
  });

  it('refuses the caller himself, unknown names (exact case), guests', async () => {
    const alice = await newUser();
    const self = await api.post('/api/chat/', { username: alice.username }, { token: alice.access });
    expect(self.status).toBe(403);
    expect(self.body).toEqual({ detail: 'You cannot chat with yourself.' });
    const bob = await newUser();
    for (const username of [uniqueName('nobody'), bob.username.toUpperCase(), (await createGuest(api)).username]) {
      const res = await api.post('/api/chat/', { username }, { token: alice.access });
      expect(res.status, username).toBe(404);
      expect(res.body).toEqual({ detail: 'User not found.' });
    }
  });

  it('follows accept_chat_from: none and friends_only refuse a stranger, everyone accepts', async () => {
    const alice = await newUser();
    const closed = await newUser('none');
    const friendsOnly = await newUser('friends_only');
    for (const target of [closed, friendsOnly]) {
      const res = await api.post('/api/chat/', { username: target.username }, { token: alice.access });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'This user does not accept new chat.' });
    }
    // The setting is only consulted when someone else opens the chat.
    const fromClosed = await api.post('/api/chat/', { username: alice.username }, { token: closed.access });
    expect(fromClosed.status).toBe(201);
    // Existing chats keep working whatever the setting becomes later.
    await acceptChatFrom(alice, 'none');
    await say(closed, fromClosed.body.id, 'still here');
    expect((await api.get(`/api/chat/${fromClosed.body.id}/messages/`, { token: alice.access })).body.count).toBe(1);
  });

  it('answers 409 when the chat exists, from either side, hidden included', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const chat = await createChat(alice, bob);
    const again = await api.post('/api/chat/', { username: bob.username }, { token: alice.access });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ detail: 'You are already chat with this user.' });
    const reverse = await api.post('/api/chat/', { username: alice.username }, { token: bob.access });
    expect(reverse.status).toBe(409);
    expect((await api.delete(`/api/chat/${chat.id}/`, undefined, { token: alice.access })).status).toBe(204);
    const hidden = await api.post('/api/chat/', { username: bob.username }, { token: alice.access });
    expect(hidden.status).toBe(409);
    expect(hidden.body).toEqual({ detail: 'You are already chat with this user.' });
    // 409 comes before the accept_chat_from check.
    await acceptChatFrom(bob, 'none');
    expect((await api.post('/api/chat/', { username: bob.username }, { token: alice.access })).status).toBe(409);
  });

  it('creates exactly one chat when two creations race', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const answers = await Promise.all([
      api.post('/api/chat/', { username: bob.username }, { token: alice.access }),
      api.post('/api/chat/', { username: alice.username }, { token: bob.access }),
      api.post('/api/chat/', { username: bob.username }, { token: alice.access }),
    ]);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect([409, 429]).toContain(a.status);
    }
    const list = await api.get('/api/chat/', { token: alice.access });
    expect(list.body.count).toBe(1);
  });

  it('friends_only lets a friend in; none refuses friends too', async () => {
    const alice = await newUser();
    const friendly = await newUser('friends_only');
    const closed = await newUser('none');
    await makeFriends(alice, friendly);
    await makeFriends(alice, closed);
    expect((await api.post('/api/chat/', { username: friendly.username }, { token: alice.access })).status).toBe(201);
    const refused = await api.post('/api/chat/', { username: closed.username }, { token: alice.access });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ detail: 'This user does not accept new chat.' });
  });

  it('a block refuses creation both ways: 404 for the blocked user, 403 for the blocker', async () => {
    const alice = await newUser();
    const bob = await newUser();
    await block(alice, bob);
    const byBob = await api.post('/api/chat/', { username: alice.username }, { token: bob.access });
    expect(byBob.status).toBe(404);
    expect(byBob.body).toEqual({ detail: 'User not found.' });
    const byAlice = await api.post('/api/chat/', { username: bob.username }, { token: alice.access });
    expect(byAlice.status).toBe(403);
    expect(byAlice.body).toEqual({ detail: 'You blocked this user.' });
  });
});

describe('GET /api/chat/<id>/ and DELETE /api/chat/<id>/', () => {
  it('answers 403 for a missing chat or a chat of others, 404 for a non-numeric id', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const carol = await newUser();
    const chat = await createChat(alice, bob);
    for (const id of [chat.id + 100000, 0, 2147483647, 99999999999999999999]) {
      for (const [method, path] of [['GET', `/api/chat/${id}/`], ['DELETE', `/api/chat/${id}/`], ['GET', `/api/chat/${id}/messages/`]]) {
        const res = await api.request(method, path, { token: alice.access });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.body).toEqual(NOT_MEMBER);
      }
      const posted = await post(alice, id, 'hello');
      expect(posted.status).toBe(403);
      expect(posted.body).toEqual(NOT_MEMBER);
    }
    for (const [method, path] of [['GET', `/api/chat/${chat.id}/`], ['DELETE', `/api/chat/${chat.id}/`], ['GET', `/api/chat/${chat.id}/messages/`]]) {
      const res = await api.request(method, path, { token: carol.access });
      expect(res.status).toBe(403);
      expect(res.body).toEqual(NOT_MEMBER);
    }
    expect((await post(carol, chat.id, 'intruder')).body).toEqual(NOT_MEMBER);
    expect((await api.get('/api/chat/abc/', { token: alice.access })).status).toBe(404);
    expect((await api.get('/api/chat/abc/', { token: alice.access })).body).toEqual({ detail: 'Not found.' });
    expect((await api.get(`/api/chat/${chat.id}`, { token: alice.access })).status).toBe(404);
  });

  it('hides the chat for the caller only; GET on it shows it again', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const chat = await createChat(alice, bob);
    const hidden = await api.delete(`/api/chat/${chat.id}/`, undefined, { token: alice.access });
    expect(hidden.status).toBe(204);
    expect(hidden.text).toBe('');
    expect((await api.get('/api/chat/', { token: alice.access })).body.count).toBe(0);
    expect((await api.get('/api/chat/', { token: bob.access })).body.results.map((c: any) => c.id)).toEqual([chat.id]);
    // Searching finds hidden chats, showing the caller's flag.
    const found = await api.get(`/api/chat/?q=${bob.username.slice(2, 8).toUpperCase()}`, { token: alice.access });
    expect(found.body.results).toEqual([{ ...chat, view_chat: false }]);
    // Hiding twice is fine.
    expect((await api.delete(`/api/chat/${chat.id}/`, undefined, { token: alice.access })).status).toBe(204);
    const detail = await api.get(`/api/chat/${chat.id}/`, { token: alice.access });
    expect(detail.status).toBe(200);
    expect(detail.body.view_chat).toBe(true);
    expect((await api.get('/api/chat/', { token: alice.access })).body.results.map((c: any) => c.id)).toEqual([chat.id]);
  });

  it('listing the messages shows a hidden chat again', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const chat = await createChat(alice, bob);
    await api.delete(`/api/chat/${chat.id}/`, undefined, { token: alice.access });
    expect((await api.get(`/api/chat/${chat.id}/messages/`, { token: alice.access })).status).toBe(200);
    expect((await api.get('/api/chat/', { token: alice.access })).body.count).toBe(1);
  });
});

describe('GET /api/chat/', () => {
  it('lists visible chats most recently updated first, paginated with absolute links', async () => {
    const me = await newUser();
    const partners: TestUser[] = [];
    const chats: any[] = [];
    for (let i = 0; i < 5; i++) {
      const partner = await newUser();
      partners.push(partner);
      tick();
      chats.push(await createChat(me, partner));
    }
    tick();
    // A message moves chat 1 to the top.
    const message = await say(partners[1], chats[1].id, 'bump');
    const all = await api.get('/api/chat/', { token: me.access });
    expect(all.status).toBe(200);
    expect(all.body.count).toBe(5);
    expect(all.body.next).toBeNull();
    expect(all.body.previous).toBeNull();
    expect(all.body.results.map((c: any) => c.id)).toEqual([chats[1].id, chats[4].id, chats[3].id, chats[2].id, chats[0].id]);
    expect(all.body.results[0]).toEqual({
      ...chats[1],
      last_message: message,
      last_updated: message.sent_at,
      unread_messages: 1,
    });
    expect(all.body.results[0].last_updated > all.body.results[0].created_at).toBe(true);

    const page = await api.get('/api/chat/?limit=2&offset=2', { token: me.access });
    expect(page.body.count).toBe(5);
    expect(page.body.results.map((c: any) => c.id)).toEqual([chats[3].id, chats[2].id]);
    expect(page.body.next).toBe(`${server.publicUrl}/api/chat/?limit=2&offset=4`);
    expect(page.body.previous).toBe(`${server.publicUrl}/api/chat/?limit=2`);
    const last = await api.get(page.body.next.slice(server.publicUrl.length), { token: me.access });
    expect(last.body.results.map((c: any) => c.id)).toEqual([chats[0].id]);
    expect(last.body.next).toBeNull();
    expect(last.body.previous).toBe(`${server.publicUrl}/api/chat/?limit=2&offset=2`);
    const beyond = await api.get('/api/chat/?offset=50', { token: me.access });
    expect(beyond.body).toEqual({ count: 5, next: null, previous: `${server.publicUrl}/api/chat/?limit=20&offset=30`, results: [] });
    const badParams = await api.get('/api/chat/?limit=0&offset=-3', { token: me.access });
    expect(badParams.body.results).toHaveLength(5);
  });

  it('q searches every chat (hidden included) by partner name, case-insensitively; empty q lists the visible ones', async () => {
    const me = await newUser();
    const tag = `Zq${Math.random().toString(36).slice(2, 6)}`;
    const match1 = await registerUser(api, `${tag}one${Date.now() % 1000}`);
    const match2 = await registerUser(api, `xx${tag.toLowerCase()}two${Date.now() % 1000}`);
    const other = await newUser();
    for (const u of [match1, match2]) await acceptChatFrom(u, 'everyone');
    tick();
    const c1 = await createChat(me, match1);
    tick();
    const c2 = await createChat(me, match2);
    tick();
    const c3 = await createChat(me, other);
    await api.delete(`/api/chat/${c2.id}/`, undefined, { token: me.access });

    const search = await api.get(`/api/chat/?q=${tag.toUpperCase()}&limit=1`, { token: me.access });
    expect(search.body.count).toBe(2);
    expect(search.body.results.map((c: any) => c.id)).toEqual([c2.id]);
    expect(search.body.results[0].view_chat).toBe(false);
    expect(search.body.next).toBe(`${server.publicUrl}/api/chat/?limit=1&offset=1&q=${tag.toUpperCase()}`);
    const second = await api.get(search.body.next.slice(server.publicUrl.length), { token: me.access });
    expect(second.body.results.map((c: any) => c.id)).toEqual([c1.id]);
    expect(second.body.previous).toBe(`${server.publicUrl}/api/chat/?limit=1&q=${tag.toUpperCase()}`);

    const empty = await api.get('/api/chat/?q=', { token: me.access });
    expect(empty.body.results.map((c: any) => c.id)).toEqual([c3.id, c1.id]);
    expect((await api.get('/api/chat/?q=nobody-has-this', { token: me.access })).body).toEqual({ count: 0, next: null, previous: null, results: [] });
    // A q in the body is ignored.
    const inBody = await api.request('GET', '/api/chat/', { token: me.access, body: { q: tag } });
    expect(inBody.body.results.map((c: any) => c.id)).toEqual([c3.id, c1.id]);
    // Characters special to SQL patterns are plain text.
    expect((await api.get('/api/chat/?q=%25', { token: me.access })).body.count).toBe(0);
    expect((await api.get('/api/chat/?q=_', { token: me.access })).body.count).toBe(0);
  });
});

describe('messages', () => {
  it('posts a message: trimmed content, author as SmallUser, 201', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const chat = await createChat(alice, bob);
    tick();
    const res = await post(alice, chat.id, '   hello bob  ');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number), chat_id: chat.id, author: small(alice), content: 'hello bob', is_read: false, sent_at: expect.stringMatching(ISO),
    });
    const seen = await api.get(`/api/chat/${chat.id}/`, { token: alice.access });
    expect(seen.body.last_message).toEqual(res.body);
    expect(seen.body.last_updated).toBe(res.body.sent_at);
    expect(seen.body.unread_messages).toBe(0);
    // The platform's own maximum: 2,000 characters.
    const long = 'x'.repeat(2000);
    expect((await say(bob, chat.id, long)).content).toBe(long);
    expect((await post(bob, chat.id, 'x'.repeat(5000))).body).toEqual({ content: ['Ensure this field has no more than 2000 characters.'] });
  });

  it('validates the message body', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const chat = await createChat(alice, bob);
    const cases: Array<[unknown, unknown]> = [
      [{}, { content: ['This field is required.'] }],
      [{ content: '' }, { content: ['This field may not be blank.'] }],
      [{ content: ' \n\t ' }, { content: ['This field may not be blank.'] }],
      [{ content: null }, { content: ['This field may not be null.'] }],
      [{ content: true }, { content: ['Not a valid string.'] }],
      [{ content: { text: 'hi' } }, { content: ['Not a valid string.'] }],
      [{ content: 'hi', is_read: 'maybe' }, { is_read: ['Must be a valid boolean.'] }],
      [{ content: [], is_read: null }, { content: ['Not a valid string.'], is_read: ['This field may not be null.'] }],
    ];
    for (const [body, answer] of cases) {
      const res = await api.post(`/api/chat/${chat.id}/messages/`, body, { token: alice.access });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body, JSON.stringify(body)).toEqual(answer);
    }
    const list = await api.post(`/api/chat/${chat.id}/messages/`, ['hi'], { token: alice.access });
    expect(list.body).toEqual({ detail: 'Data must be a dictionary.' });
    const noBody = await api.request('POST', `/api/chat/${chat.id}/messages/`, { token: alice.access });
    expect(noBody.body).toEqual({ content: ['This field is required.'] });
    // Numbers are read as their text; the yes/no spellings as booleans.
    const numeric = await post(alice, chat.id, 42, { is_read: 'Yes' });
    expect(numeric.status).toBe(201);
    expect(numeric.body).toMatchObject({ content: '42', is_read: true });
    expect((await api.get(`/api/chat/${chat.id}/messages/`, { token: alice.access })).body.count).toBe(1);
  });

  it('lists messages newest first, paginated; marks the returned page read for the recipient only', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const chat = await createChat(alice, bob);
    const sent: any[] = [];
    for (const [author, text] of [[alice, 'one'], [bob, 'two'], [alice, 'three'], [alice, 'four'], [alice, 'five']] as const) {
      tick();
      sent.push(await say(author, chat.id, text));
    }
    expect(await unreadChats(bob)).toBe(4);
    expect(await unreadChats(alice)).toBe(1);
    expect((await api.get(`/api/chat/${chat.id}/`, { token: bob.access })).body.unread_messages).toBe(4);

    // The author listing his own messages marks nothing of his as read.
    const byAlice = await api.get(`/api/chat/${chat.id}/messages/?limit=2`, { token: alice.access });
    expect(byAlice.body.results.map((m: any) => m.content)).toEqual(['five', 'four']);
    expect(await unreadChats(bob)).toBe(4);

    const first = await api.get(`/api/chat/${chat.id}/messages/?limit=2`, { token: bob.access });
    expect(first.status).toBe(200);
    expect(first.body.count).toBe(5);
    expect(first.body.previous).toBeNull();
    expect(first.body.next).toBe(`${server.publicUrl}/api/chat/${chat.id}/messages/?limit=2&offset=2`);
    // The answer shows the state before reading.
    expect(first.body.results).toEqual([sent[4], sent[3]]);
    expect(first.body.results.every((m: any) => m.is_read === false)).toBe(true);
    expect(await unreadChats(bob)).toBe(2);
    expect((await api.get(`/api/chat/${chat.id}/`, { token: bob.access })).body.unread_messages).toBe(2);

    const again = await api.get(`/api/chat/${chat.id}/messages/?limit=2`, { token: bob.access });
    expect(again.body.results.map((m: any) => m.is_read)).toEqual([true, true]);

    const rest = await api.get(first.body.next.slice(server.publicUrl.length), { token: bob.access });
    expect(rest.body.results.map((m: any) => m.content)).toEqual(['three', 'two']);
    expect(rest.body.results.map((m: any) => m.author.id)).toEqual([alice.id, bob.id]);
    expect(await unreadChats(bob)).toBe(1);
    const oldest = await api.get(rest.body.next.slice(server.publicUrl.length), { token: bob.access });
    expect(oldest.body.results.map((m: any) => m.content)).toEqual(['one']);
    expect(oldest.body.next).toBeNull();
    expect(await unreadChats(bob)).toBe(0);
    // Alice's unread message from bob is still unread for her.
    expect(await unreadChats(alice)).toBe(1);
  });

  it('is_read: true posts a message that never counts as unread', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const chat = await createChat(alice, bob);
    const res = await post(alice, chat.id, 'seen already', { is_read: true });
    expect(res.body.is_read).toBe(true);
    expect(await unreadChats(bob)).toBe(0);
    await say(alice, chat.id, 'new');
    expect(await unreadChats(bob)).toBe(1);
  });

  it('unread counts sum over every chat, hidden ones included', async () => {
    const me = await newUser();
    const a = await newUser();
    const b = await newUser();
    const chatA = await createChat(me, a);
    const chatB = await createChat(b, me);
    await say(a, chatA.id, 'a1');
    await say(a, chatA.id, 'a2');
    await say(b, chatB.id, 'b1');
    await say(me, chatB.id, 'mine');
    expect(await unreadChats(me)).toBe(3);
    // Hiding happens after the messages; a new message would show the chat again.
    await api.delete(`/api/chat/${chatA.id}/`, undefined, { token: me.access });
    expect(await unreadChats(me)).toBe(3);
    const list = await api.get('/api/chat/', { token: me.access });
    expect(list.body.results.map((c: any) => [c.id, c.unread_messages])).toEqual([[chatB.id, 1]]);
  });

  it('a new message shows the chat again to a participant who hid it; a hider cannot post until he reopens it', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const chat = await createChat(alice, bob);
    await api.delete(`/api/chat/${chat.id}/`, undefined, { token: bob.access });
    expect((await api.get('/api/chat/', { token: bob.access })).body.count).toBe(0);
    await say(alice, chat.id, 'come back');
    const bobList = await api.get('/api/chat/', { token: bob.access });
    expect(bobList.body.results.map((c: any) => [c.id, c.view_chat, c.unread_messages])).toEqual([[chat.id, true, 1]]);

    await api.delete(`/api/chat/${chat.id}/`, undefined, { token: alice.access });
    const refused = await post(alice, chat.id, 'while hidden');
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(NOT_MEMBER);
    expect((await api.get(`/api/chat/${chat.id}/`, { token: alice.access })).body.view_chat).toBe(true);
    expect((await post(alice, chat.id, 'reopened')).status).toBe(201);
  });
});

describe('receive-message', () => {
  it('goes to every stream of the other participant, never to the author', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const chat = await createChat(alice, bob);
    const aliceStream = await openStream(alice);
    const bob1 = await openStream(bob);
    const bob2 = await openStream(bob);

    const message = await say(alice, chat.id, '  hi bob  ');
    const expected = {
      service: 'chat',
      event_code: 'receive-message',
      type: 'event',
      message: `${alice.username}: hi bob`,
      target: null,
      data: message,
      kwargs: { username: alice.id, message: 'hi bob' },
    };
    for (const stream of [bob1, bob2]) {
      const received = await stream.next('receive-message');
      expect(received.envelope).toEqual(expected);
    }
    // Bob answers; once alice has his message, she has had nothing else.
    const answer = await say(bob, chat.id, 'hi alice');
    const toAlice = await aliceStream.next('receive-message');
    expect(toAlice.envelope.data).toEqual(answer);
    expect(toAlice.envelope.message).toBe(`${bob.username}: hi alice`);
    expect(aliceStream.notifications.filter((e) => e.event === 'receive-message')).toHaveLength(1);
    expect(bob1.notifications.filter((e) => e.event === 'receive-message')).toHaveLength(1);
  });

  it('is not sent for a refused message', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const carol = await newUser();
    const chat = await createChat(alice, bob);
    const bobStream = await openStream(bob);
    expect((await post(carol, chat.id, 'intruder')).status).toBe(403);
    expect((await post(alice, chat.id, '   ')).status).toBe(400);
    await say(alice, chat.id, 'real');
    const got = await bobStream.next('receive-message');
    expect(got.envelope.data.content).toBe('real');
    expect(bobStream.notifications.filter((e) => e.event === 'receive-message')).toHaveLength(1);
  });
});

describe('POST /api/private/chat/<id>/messages/ (internal app)', () => {
  it('posts with the author\'s bearer token and publishes nothing', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const carol = await newUser();
    const chat = await createChat(alice, bob);
    const bobStream = await openStream(bob);
    const res = await internal.post(`/api/private/chat/${chat.id}/messages/`, { content: ' private ' }, { token: alice.access });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number), chat_id: chat.id, author: small(alice), content: 'private', is_read: false, sent_at: expect.stringMatching(ISO),
    });
    expect(await unreadChats(bob)).toBe(1);
    const anonymous = await internal.post(`/api/private/chat/${chat.id}/messages/`, { content: 'x' });
    expect(anonymous.status).toBe(401);
    const stranger = await internal.post(`/api/private/chat/${chat.id}/messages/`, { content: 'x' }, { token: carol.access });
    expect(stranger.status).toBe(403);
    expect(stranger.body).toEqual(NOT_MEMBER);
    const blank = await internal.post(`/api/private/chat/${chat.id}/messages/`, { content: '' }, { token: alice.access });
    expect(blank.body).toEqual({ content: ['This field may not be blank.'] });
    // The public endpoint publishes; the private one did not.
    await say(alice, chat.id, 'public');
    const got = await bobStream.next('receive-message');
    expect(got.envelope.data.content).toBe('public');
    expect(bobStream.notifications.filter((e) => e.event === 'receive-message')).toHaveLength(1);
    // The private twin is not served on the public port.
    expect((await api.post(`/api/private/chat/${chat.id}/messages/`, { content: 'x' }, { token: alice.access })).status).toBe(404);
  });
});

describe('blocking between the participants', () => {
  it('a block hides the chat from both and answers 403 everywhere; unblocking restores it', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const chat = await createChat(alice, bob);
    await say(bob, chat.id, 'before');
    const entryId = await block(alice, bob);
    for (const user of [alice, bob]) {
      expect((await api.get('/api/chat/', { token: user.access })).body.count).toBe(0);
      const other = user === alice ? bob : alice;
      expect((await api.get(`/api/chat/?q=${other.username}`, { token: user.access })).body.count).toBe(0);
      for (const [method, path] of [['GET', `/api/chat/${chat.id}/`], ['DELETE', `/api/chat/${chat.id}/`], ['GET', `/api/chat/${chat.id}/messages/`]]) {
        const res = await api.request(method, path, { token: user.access });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.body).toEqual(NOT_MEMBER);
      }
      expect((await post(user, chat.id, 'blocked')).body).toEqual(NOT_MEMBER);
    }
    // Unread messages of a blocked chat still count; the export shows the flag.
    expect(await unreadChats(alice)).toBe(1);
    const exported = await api.get('/api/users/me/download-data/', { token: bob.access });
    expect(exported.body.chat_data).toEqual([expect.objectContaining({ id: chat.id, blocked: true, messages: [expect.objectContaining({ content: 'before' })] })]);
    const again = await api.post('/api/chat/', { username: bob.username }, { token: alice.access });
    expect(again.status).toBe(409);

    const unblocked = await api.delete(`/api/users/me/blocked/${entryId}/`, undefined, { token: alice.access });
    expect(unblocked.status).toBe(204);
    const detail = await api.get(`/api/chat/${chat.id}/`, { token: alice.access });
    expect(detail.status).toBe(200);
    expect(detail.body.last_message.content).toBe('before');
    expect((await post(bob, chat.id, 'after')).status).toBe(201);
    expect((await api.get('/api/chat/', { token: bob.access })).body.count).toBe(1);
  });
});

describe('renaming', () => {
  it('shows the new name at once, in chat objects, messages, events and searches', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const chat = await createChat(alice, bob);
    await say(bob, chat.id, 'hello');
    const renamed = uniqueName('renamed');
    const res = await api.patch('/api/users/me/', { username: renamed }, { token: bob.access });
    expect(res.status, res.text).toBe(200);
    const detail = await api.get(`/api/chat/${chat.id}/`, { token: alice.access });
    expect(detail.body.chat_with.username).toBe(renamed);
    expect(detail.body.last_message.author.username).toBe(renamed);
    expect((await api.get(`/api/chat/?q=${renamed}`, { token: alice.access })).body.count).toBe(1);
    expect((await api.get(`/api/chat/?q=${bob.username}`, { token: alice.access })).body.count).toBe(0);
    const aliceStream = await openStream(alice);
    await say(bob, chat.id, 'new name');
    expect((await aliceStream.next('receive-message')).envelope.message).toBe(`${renamed}: new name`);
  });
});

describe('data export and account deletion', () => {
  it('exports every chat with its messages oldest first, without marking anything read', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const carol = await newUser();
    const c1 = await createChat(alice, bob);
    const c2 = await createChat(carol, alice);
    const m1 = await say(alice, c1.id, 'first');
    const m2 = await say(bob, c1.id, 'second');
    await api.delete(`/api/chat/${c2.id}/`, undefined, { token: alice.access });
    const res = await api.get('/api/users/me/download-data/', { token: alice.access });
    expect(res.status).toBe(200);
    const exported = res.body.chat_data;
    const byId = new Map(exported.map((c: any) => [c.id, c]));
    expect(exported).toHaveLength(2);
    expect(byId.get(c1.id)).toEqual({
      id: c1.id, chat_with: small(bob), created_at: c1.created_at, last_updated: m2.sent_at,
      view_chat: true, unread_messages: 1, blocked: false, messages: [m1, m2],
    });
    expect(byId.get(c2.id)).toMatchObject({ id: c2.id, chat_with: small(carol), view_chat: false, messages: [] });
    expect(await unreadChats(alice)).toBe(1);
  });

  it('deleting an account removes its chats and messages for both participants', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const carol = await newUser();
    const gone = await createChat(alice, bob);
    const kept = await createChat(bob, carol);
    await say(alice, gone.id, 'bye');
    await say(carol, kept.id, 'still here');
    expect(await unreadChats(bob)).toBe(2);

    const res = await api.delete('/api/users/me/', { password: alice.password }, { token: alice.access });
    expect(res.status).toBe(204);
    const detail = await api.get(`/api/chat/${gone.id}/`, { token: bob.access });
    expect(detail.status).toBe(403);
    expect(detail.body).toEqual(NOT_MEMBER);
    expect((await post(bob, gone.id, 'anyone?')).body).toEqual(NOT_MEMBER);
    const list = await api.get('/api/chat/', { token: bob.access });
    expect(list.body.results.map((c: any) => c.id)).toEqual([kept.id]);
    expect(await unreadChats(bob)).toBe(1);
    const rows = await server.platform.db.selectFrom('chat_messages').select('id').where('chat_id', '=', gone.id).execute();
    expect(rows).toEqual([]);
  });
});

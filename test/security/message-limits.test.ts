import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, registerUser, uniqueName, type TestUser } from '../support/http.js';
import { closeAll, player, type Player } from '../support/play.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Every message a user can post is at most 2,000 characters (after
 * trimming, counted as characters, not UTF-16 units): a longer one is the
 * usual field error, on every message endpoint, guests included.
 */
const TOO_LONG = { content: ['Ensure this field has no more than 2000 characters.'] };
const longest = 'm'.repeat(2000);
const oneTooMany = 'm'.repeat(2001);
/** 2,000 characters that are 4,000 UTF-16 units. */
const longestEmoji = '\u{1F3D3}'.repeat(2000);

let server: TestServer;
let api: ApiClient;
let internal: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
  internal = new ApiClient(server.internalUrl!);
});
afterAll(async () => server.close());

describe('chat messages', () => {
  let alice: TestUser;
  let chatId: number;

  beforeAll(async () => {
    alice = await registerUser(api, uniqueName('ml'));
    const bob = await registerUser(api, uniqueName('ml'));
    expect((await api.patch('/api/users/me/', { accept_chat_from: 'everyone' }, { token: bob.access })).status).toBe(200);
    const chat = await api.post('/api/chat/', { username: bob.username }, { token: alice.access });
    expect(chat.status, chat.text).toBe(201);
    chatId = chat.body.id;
  });

  it('POST /api/chat/<id>/messages/: 2,000 characters are accepted, 2,001 refused', async () => {
    const ok = await api.post(`/api/chat/${chatId}/messages/`, { content: longest }, { token: alice.access });
    expect([ok.status, ok.body.content]).toEqual([201, longest]);
    // Counted after trimming.
    expect((await api.post(`/api/chat/${chatId}/messages/`, { content: `  ${longest}\n` }, { token: alice.access })).status).toBe(201);
    expect((await api.post(`/api/chat/${chatId}/messages/`, { content: longestEmoji }, { token: alice.access })).status).toBe(201);
    const refused = await api.post(`/api/chat/${chatId}/messages/`, { content: oneTooMany }, { token: alice.access });
    expect([refused.status, refused.body]).toEqual([400, TOO_LONG]);
    expect((await api.post(`/api/chat/${chatId}/messages/`, { content: `${longestEmoji}\u{1F3D3}` }, { token: alice.access })).body).toEqual(TOO_LONG);
    expect((await api.get(`/api/chat/${chatId}/messages/`, { token: alice.access })).body.count).toBe(3);
  });

  it('POST /api/private/chat/<id>/messages/ (internal): the same limit', async () => {
    const ok = await internal.post(`/api/private/chat/${chatId}/messages/`, { content: longest }, { token: alice.access });
    expect(ok.status, ok.text).toBe(201);
    const refused = await internal.post(`/api/private/chat/${chatId}/messages/`, { content: oneTooMany }, { token: alice.access });
    expect([refused.status, refused.body]).toEqual([400, TOO_LONG]);
  });
});

describe('lobby and tournament messages', () => {
  let owner: Player;
  let guest: Player;
  let lobbyCode: string;

  beforeAll(async () => {
    owner = await player(server, api);
    guest = await player(server, api, { guest: true });
    const lobby = await api.post('/api/play/lobby/', { game_mode: 'clash' }, { token: owner.access });
    expect(lobby.status, lobby.text).toBe(201);
    lobbyCode = lobby.body.code;
    expect((await api.post(`/api/play/lobby/${lobbyCode}/`, undefined, { token: guest.access })).status).toBe(201);
  });
  afterAll(async () => closeAll(owner, guest));

  it('POST /api/play/lobby/<code>/message/: 2,000 characters are accepted, 2,001 refused (guests too)', async () => {
    const post = (p: Player, content: string) => api.post(`/api/play/lobby/${lobbyCode}/message/`, { content }, { token: p.access });
    expect(await post(guest, longest).then((r) => [r.status, r.body])).toEqual([201, { id: guest.id, content: longest }]);
    expect((await post(guest, ` ${longest} `)).status).toBe(201);
    expect((await post(owner, longestEmoji)).status).toBe(201);
    for (const p of [guest, owner]) expect(await post(p, oneTooMany).then((r) => [r.status, r.body])).toEqual([400, TOO_LONG]);
    expect((await post(owner, `${longestEmoji}\u{1F3D3}`)).body).toEqual(TOO_LONG);
  });

  it('POST /api/play/tournament/<code>/message/: 2,000 characters are accepted, 2,001 refused', async () => {
    const a = await player(server, api);
    const b = await player(server, api);
    const created = await api.post('/api/play/tournament/', { name: uniqueName('Cup'), size: 4 }, { token: a.access });
    expect(created.status, created.text).toBe(201);
    expect((await api.post(`/api/play/tournament/${created.body.code}/`, undefined, { token: b.access })).status).toBe(201);
    const post = (content: string) => api.post(`/api/play/tournament/${created.body.code}/message/`, { content }, { token: b.access });
    expect(await post(longest).then((r) => [r.status, r.body])).toEqual([201, { id: b.id, content: longest }]);
    expect((await post(longestEmoji)).status).toBe(201);
    expect(await post(oneTooMany).then((r) => [r.status, r.body])).toEqual([400, TOO_LONG]);
    await closeAll(a, b);
  });

  it('the OpenAPI document shows the limit', async () => {
    const doc = (await api.get('/api/docs/json')).body;
    const body = (path: string) => doc.paths[path].post.requestBody.content['application/json'].schema.properties.content;
    expect(body('/api/chat/{chat_id}/messages/')).toMatchObject({ type: 'string', minLength: 1, maxLength: 2000 });
    expect(body('/api/play/lobby/{code}/message/').description).toContain('2000 characters');
    expect(body('/api/play/tournament/{code}/message/').description).toContain('2000 characters');
  });
});

import { describe, expect, it } from 'vitest';
import { createGuest, registerUser, type TestUser } from '../support/http.js';
import { useTestServer } from '../support/fixture.js';
import { befriend } from '../support/social.js';

const t = useTestServer();

/**
 * The authorization matrix: every endpoint that takes an id, called by a
 * user the resource does not belong to, and by the wrong kind of caller.
 */
describe('ids of resources that belong to other users', () => {
  async function world() {
    const [alice, bob, carol, dave] = await Promise.all([registerUser(t.api), registerUser(t.api), registerUser(t.api), registerUser(t.api)]);
    const request = await t.api.post('/api/users/me/friend_requests/', { username: bob.username }, { token: alice.access });
    const friendship = await befriend(t.api, alice, carol);
    const block = await t.api.post('/api/users/me/blocked/', { user_id: dave.id }, { token: alice.access });
    await befriend(t.api, alice, dave).catch(() => undefined);
    const chat = await t.api.post('/api/chat/', { username: carol.username }, { token: alice.access });
    expect([request.status, block.status, chat.status]).toEqual([201, 201, 201]);
    return { alice, bob, carol, outsider: await registerUser(t.api), requestId: request.body.id, friendshipId: friendship, blockId: block.body.id, chatId: chat.body.id };
  }

  it('answers each endpoint with its status and text for an outsider', async () => {
    const w = await world();
    const as = (user: TestUser) => ({ token: user.access });
    const cases: Array<[string, string, TestUser, number, unknown]> = [
      ['GET', `/api/users/me/friend_requests/${w.requestId}/`, w.outsider, 404, { detail: 'Friend request not found.' }],
      ['DELETE', `/api/users/me/friend_requests/${w.requestId}/`, w.outsider, 404, { detail: 'Friend request not found.' }],
      ['POST', `/api/users/me/friend_requests/${w.requestId}/`, w.outsider, 404, { detail: 'Friend request not found.' }],
      ['POST', `/api/users/me/friend_requests/${w.requestId}/`, w.alice, 403, { detail: 'You cannot accept your own friend request.' }],
      ['GET', `/api/users/me/friends/${w.friendshipId}/`, w.outsider, 404, { detail: 'Friendship not found.' }],
      ['DELETE', `/api/users/me/friends/${w.friendshipId}/`, w.outsider, 404, { detail: 'Friendship not found.' }],
      ['DELETE', `/api/users/me/blocked/${w.blockId}/`, w.outsider, 404, { detail: 'This blocked user entry does not belong to you.' }],
      ['GET', `/api/chat/${w.chatId}/`, w.outsider, 403, { detail: 'You do not belong to this chat.' }],
      ['DELETE', `/api/chat/${w.chatId}/`, w.outsider, 403, { detail: 'You do not belong to this chat.' }],
      ['GET', `/api/chat/${w.chatId}/messages/`, w.outsider, 403, { detail: 'You do not belong to this chat.' }],
      ['POST', `/api/chat/${w.chatId}/messages/`, w.outsider, 403, { detail: 'You do not belong to this chat.' }],
      ['PUT', '/api/users/profile-picture/2/', w.outsider, 403, { detail: 'You did not unlock this profile picture.' }],
    ];
    for (const [method, path, caller, status, body] of cases) {
      const res = await t.api.request(method, path, { ...as(caller), body: method === 'POST' && path.includes('messages') ? { content: 'x' } : undefined });
      expect([method, path, res.status, res.body]).toEqual([method, path, status, body]);
    }
    // The owners still see their resources untouched.
    expect((await t.api.get(`/api/users/me/friend_requests/${w.requestId}/`, as(w.bob))).status).toBe(200);
    expect((await t.api.get(`/api/users/me/friends/${w.friendshipId}/`, as(w.carol))).status).toBe(200);
    expect((await t.api.get(`/api/chat/${w.chatId}/`, as(w.carol))).status).toBe(200);
    expect((await t.api.get('/api/users/me/blocked/', as(w.alice))).body.count).toBe(1);
  });

  it('refuses unknown and malformed ids with 404 / 403, never 500', async () => {
    const user = await registerUser(t.api);
    for (const id of ['999999', '0', '99999999999999999999', 'abc', '-1', '1.5']) {
      for (const path of [`/api/users/me/friend_requests/${id}/`, `/api/users/me/friends/${id}/`, `/api/users/${id}/`]) {
        const res = await t.api.get(path, { token: user.access });
        expect([path, res.status]).toEqual([path, 404]);
      }
      const chat = await t.api.get(`/api/chat/${id}/`, { token: user.access });
      expect([id, chat.status < 500]).toEqual([id, true]);
    }
  });
});

describe('guests, tokens and the wrong kind of token', () => {
  const guestRefused = [
    ['GET', '/api/users/me/friend_requests/'], ['POST', '/api/users/me/friend_requests/'], ['GET', '/api/users/me/friend_requests/received/'],
    ['GET', '/api/users/me/friends/'], ['GET', '/api/users/me/blocked/'], ['POST', '/api/users/me/blocked/'],
    ['GET', '/api/users/me/download-data/'], ['DELETE', '/api/users/me/'], ['GET', '/api/chat/'], ['POST', '/api/chat/'],
  ] as const;
  const guestAllowed = [
    ['GET', '/api/users/me/'], ['GET', '/api/users/profile-pictures/'], ['GET', '/api/users/me/stats/'], ['GET', '/api/users/me/stats/ranked/'],
  ] as const;

  it('refuses guests on the registered-only endpoints and lets them use the rest', async () => {
    const guest = await createGuest(t.api);
    for (const [method, path] of guestRefused) {
      const res = await t.api.request(method, path, { token: guest.access, body: method === 'GET' ? undefined : {} });
      expect([method, path, res.status, res.body]).toEqual([method, path, 403, { detail: 'Guest users cannot perform this action.' }]);
    }
    for (const [method, path] of guestAllowed) {
      const res = await t.api.request(method, path, { token: guest.access });
      expect([method, path, res.status]).toEqual([method, path, 200]);
    }
  });

  it('answers 401 on every protected endpoint without a token, with a refresh token, or with an expired one', async () => {
    const user = await registerUser(t.api);
    const all = [...guestRefused, ...guestAllowed, ['GET', `/api/users/${user.id}/`], ['GET', `/api/game/matches/${user.id}/`]] as const;
    for (const [method, path] of all) {
      const none = await t.api.request(method, path, { body: method === 'GET' ? undefined : {} });
      expect([path, none.status, none.body.code]).toEqual([path, 401, 'not_authenticated']);
      const refresh = await t.api.request(method, path, { token: user.refresh, body: method === 'GET' ? undefined : {} });
      expect([path, refresh.status, refresh.body.code]).toEqual([path, 401, 'token_not_valid']);
    }
    t.server.clock.advance(16 * 60 * 1000);
    try {
      for (const [method, path] of all) {
        const expired = await t.api.request(method, path, { token: user.access, body: method === 'GET' ? undefined : {} });
        expect([path, expired.status, expired.body.code]).toEqual([path, 401, 'token_not_valid']);
      }
    } finally {
      t.server.clock.advance(-16 * 60 * 1000);
    }
  });
});

import { createSigner } from 'fast-jwt';
import { describe, expect, it } from 'vitest';
import { createGuest, registerUser } from '../support/http.js';
import { useTestServer } from '../support/fixture.js';
import { player } from '../support/play.js';
import { befriend } from '../support/social.js';
import { fillPath, NOT_JSON_API, operationsOf, type Operation } from './openapi.js';

const t = useTestServer();

/** The only operations anybody may call without a token. A new route is either declared secured (`security`) or added here, knowingly. */
const PUBLIC = new Set([
  'GET /api/health/live', 'GET /api/health', 'GET /assets/profile_pictures/{file}',
  'POST /api/auth/register/', 'POST /api/auth/guest/', 'POST /api/auth/login/', 'POST /api/auth/refresh/',
  // The home page's figures and the ladder are public (`?around=me` on the ladder checks its token itself).
  'GET /api/activity/', 'GET /api/users/leaderboard/',
]);

/** Operations on ids that any signed-in user may legitimately use on somebody else's resource. */
const OPEN_TO_OTHERS = new Set([
  'GET /api/users/{user_id}/', 'GET /api/game/matches/{user_id}/', 'GET /api/game/tournaments/{tournament_id}/',
  // Joining a lobby or a tournament by its code is what the code is for.
  'POST /api/play/lobby/{code}/', 'POST /api/play/tournament/{code}/',
]);

const key = (op: Operation) => `${op.method} ${op.path}`;
const bodyOf = (op: Operation) => (op.method === 'GET' ? undefined : {});

describe('authorization matrix over every operation of /api/docs/json', () => {
  it('every operation is either public (listed) or secured', async () => {
    const ops = await operationsOf(t.api);
    expect(ops.length).toBeGreaterThan(40);
    const undeclared = ops.filter((op) => !op.secured && !PUBLIC.has(key(op))).map(key);
    expect(undeclared).toEqual([]);
  });

  it('refuses every secured operation with 401 without a token, with a refresh token, a forged, a foreign, an expired token or a deleted user', async () => {
    const ops = (await operationsOf(t.api)).filter((op) => op.secured);
    const user = await registerUser(t.api);
    const doomed = await registerUser(t.api);
    expect((await t.api.delete('/api/users/me/', { password: doomed.password }, { token: doomed.access })).status).toBe(204);
    const claims = JSON.parse(Buffer.from(user.access.split('.')[1], 'base64url').toString());
    const foreign = createSigner({ key: 'not-the-secret-not-the-secret-not-the-secret' })(claims);
    const unsigned = `${user.access.split('.').slice(0, 2).join('.')}.`;
    const forgedAlg = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${user.access.split('.')[1]}.`;
    const variants: Array<[string, Record<string, string>, string[]]> = [
      ['no token', {}, ['not_authenticated']],
      ['refresh as access', { authorization: `Bearer ${user.refresh}` }, ['token_not_valid']],
      ['other secret', { authorization: `Bearer ${foreign}` }, ['token_not_valid']],
      ['no signature', { authorization: `Bearer ${unsigned}` }, ['token_not_valid']],
      ['alg none', { authorization: `Bearer ${forgedAlg}` }, ['token_not_valid']],
      ['basic scheme', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, ['authentication_failed']],
      ['deleted user', { authorization: `Bearer ${doomed.access}` }, ['user_not_found', 'token_not_valid']],
    ];
    let checked = 0;
    for (const op of ops) {
      const path = fillPath(op.path, { user_id: String(user.id), id: '1', chat_id: '1', code: 'ABCD', tournament_id: '1' });
      for (const [label, headers, codes] of variants) {
        const res = await t.api.request(op.method, path, { headers, body: bodyOf(op) });
        expect([key(op), label, res.status]).toEqual([key(op), label, 401]);
        expect([key(op), label, codes.includes(res.body.code)]).toEqual([key(op), label, true]);
        checked += 1;
      }
    }
    t.server.clock.advance(16 * 60 * 1000);
    try {
      for (const op of ops) {
        const path = fillPath(op.path, { user_id: String(user.id), id: '1', chat_id: '1', code: 'ABCD', tournament_id: '1' });
        const res = await t.api.request(op.method, path, { token: user.access, body: bodyOf(op) });
        expect([key(op), 'expired', res.status, res.body.code]).toEqual([key(op), 'expired', 401, 'token_not_valid']);
        checked += 1;
      }
    } finally {
      t.server.clock.advance(-16 * 60 * 1000);
    }
    expect(checked).toBeGreaterThan(ops.length * variants.length);
  });

  it("never lets a user act on another user's resources: every secured operation with ids, called by an outsider", async () => {
    const ops = (await operationsOf(t.api)).filter((op) => op.secured && op.pathParams.length > 0 && !NOT_JSON_API(op));
    // Alice's world: a friend (bob), a chat with him, a pending request to carol, a block, a lobby.
    const alice = await player(t.server, t.api);
    const [bob, carol, dave] = await Promise.all([registerUser(t.api), registerUser(t.api), registerUser(t.api)]);
    const friendshipId = await befriend(t.api, alice, bob);
    const chat = await t.api.post('/api/chat/', { username: bob.username }, { token: alice.access });
    await t.api.post(`/api/chat/${chat.body.id}/messages/`, { content: 'private' }, { token: alice.access });
    const request = await t.api.post('/api/users/me/friend_requests/', { username: carol.username }, { token: alice.access });
    const block = await t.api.post('/api/users/me/blocked/', { user_id: dave.id }, { token: alice.access });
    const lobby = await t.api.post('/api/play/lobby/', { game_mode: 'custom_game', match_type: '1v1' }, { token: alice.access });
    expect([chat.status, request.status, block.status, lobby.status]).toEqual([201, 201, 201, 201]);
    const eve = await player(t.server, t.api);

    const idFor = (path: string) => {
      if (path.includes('friend_requests')) return request.body.id;
      if (path.includes('/friends/')) return friendshipId;
      if (path.includes('/blocked/')) return block.body.id;
      if (path.includes('profile-picture')) return 2; // locked for a new account
      return 1;
    };
    const refusedOps: string[] = [];
    for (const op of ops) {
      // Not called: joining would make the outsider a member, and then leaving is his own business.
      if (OPEN_TO_OTHERS.has(key(op)) && op.method !== 'GET') continue;
      const path = fillPath(op.path, {
        id: String(idFor(op.path)), chat_id: String(chat.body.id), code: lobby.body.code, user_id: String(alice.id),
        tournament_id: '1', file: 'x.png',
      });
      const res = await t.api.request(op.method, path, { token: eve.access, body: op.method === 'GET' || op.method === 'DELETE' ? undefined : { content: 'x', username: eve.username, team: 'b' } });
      expect([key(op), res.status < 500]).toEqual([key(op), true]);
      if (OPEN_TO_OTHERS.has(key(op))) continue;
      if (res.status < 400) refusedOps.push(`${key(op)} -> ${res.status}`);
    }
    expect(refusedOps).toEqual([]);

    // Alice's resources are untouched.
    expect((await t.api.get(`/api/users/me/friend_requests/${request.body.id}/`, { token: carol.access })).status).toBe(200);
    expect((await t.api.get(`/api/users/me/friends/${friendshipId}/`, { token: bob.access })).status).toBe(200);
    const messages = await t.api.get(`/api/chat/${chat.body.id}/messages/`, { token: bob.access });
    expect(messages.body.results.map((m: { content: string }) => m.content)).toEqual(['private']);
    expect((await t.api.get('/api/users/me/blocked/', { token: alice.access })).body.count).toBe(1);
    const mine = await t.api.get('/api/play/lobby/', { token: alice.access });
    expect(mine.status).toBe(200);
    expect(mine.body.code).toBe(lobby.body.code);
    alice.stream.close();
    eve.stream.close();
  });

  it('refuses guests what registered users only may do, on every secured operation, never with a 5xx', async () => {
    const guest = await createGuest(t.api);
    const ops = (await operationsOf(t.api)).filter((op) => op.secured && !NOT_JSON_API(op));
    const registeredOnly = ['/api/users/me/friend_requests/', '/api/users/me/friends/', '/api/users/me/blocked/', '/api/users/me/download-data/', '/api/chat/'];
    for (const op of ops) {
      const path = fillPath(op.path, { user_id: String(guest.id), id: '1', chat_id: '1', code: 'ABCD', tournament_id: '1' });
      const res = await t.api.request(op.method, path, { token: guest.access, body: bodyOf(op) });
      expect([key(op), res.status < 500]).toEqual([key(op), true]);
      if (registeredOnly.some((prefix) => op.path.startsWith(prefix)) || key(op) === 'DELETE /api/users/me/' || key(op) === 'POST /api/play/ranked/') {
        expect([key(op), res.status]).toEqual([key(op), expect.any(Number)]);
        expect([key(op), [401, 403].includes(res.status)]).toEqual([key(op), true]);
      }
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createGuest, registerUser } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { befriend, openStream, setPlaying } from '../support/social.js';

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
});
afterAll(async () => server.close());

const REGISTER = { id: 1, name: 'Register', small: '/assets/profile_pictures/register_small.png', medium: '/assets/profile_pictures/register_medium.png' };

describe('GET /api/users/<id>/', () => {
  it('answers PublicUser with status, trophies and friends: null for a stranger', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    const res = await api.get(`/api/users/${bob.id}/`, { token: alice.access });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: bob.id, username: bob.username, is_guest: false, profile_picture: REGISTER,
      status: { is_online: false, game_playing: null, last_online: expect.any(String) },
      trophies: 0, friends: null,
    });
  });

  it('shows the friendship seen by the caller, live status and game_playing', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    const friendship = await befriend(api, bob, alice);
    const stream = await openStream(server, api, bob);
    await setPlaying(server, bob.id, 'WXYZ');
    const res = await api.get(`/api/users/${bob.id}/`, { token: alice.access });
    expect(res.body.status).toEqual({ is_online: true, game_playing: 'WXYZ', last_online: expect.any(String) });
    expect(res.body.friends).toEqual({
      id: friendship,
      friend: { id: bob.id, username: bob.username, profile_picture: REGISTER, trophies: 0, status: res.body.status },
      friend_wins: 0, me_wins: 0, friends_since: expect.any(String),
      matches_played_against: 0, matches_played_together: 0, matches_won_together: 0,
    });
    // Looking at oneself: no friendship.
    const self = await api.get(`/api/users/${alice.id}/`, { token: alice.access });
    expect(self.status).toBe(200);
    expect(self.body.friends).toBeNull();
    await setPlaying(server, bob.id, null);
    stream.close();
  });

  it('hides a user who blocked the caller (404) and answers 403 to the blocker', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    expect((await api.post('/api/users/me/blocked/', { user_id: bob.id }, { token: alice.access })).status).toBe(201);
    const blocked = await api.get(`/api/users/${alice.id}/`, { token: bob.access });
    expect([blocked.status, blocked.body]).toEqual([404, { detail: 'User not found.' }]);
    const blocker = await api.get(`/api/users/${bob.id}/`, { token: alice.access });
    expect([blocker.status, blocker.body]).toEqual([403, { detail: 'You blocked this user.' }]);
  });

  it('answers 404 for unknown ids and non-numeric paths; guests may look and be looked up', async () => {
    const alice = await registerUser(api);
    const guest = await createGuest(api);
    const unknown = await api.get('/api/users/999999/', { token: alice.access });
    expect([unknown.status, unknown.body]).toEqual([404, { detail: 'User not found.' }]);
    expect((await api.get('/api/users/abc/', { token: alice.access })).status).toBe(404);
    expect((await api.get('/api/users/99999999999999/', { token: alice.access })).status).toBe(404);
    const ofGuest = await api.get(`/api/users/${guest.id}/`, { token: alice.access });
    expect(ofGuest.body).toMatchObject({ id: guest.id, is_guest: true, profile_picture: { id: 0, name: 'Guest' }, friends: null });
    expect((await api.get(`/api/users/${alice.id}/`, { token: guest.access })).status).toBe(200);
    expect((await api.get(`/api/users/${alice.id}/`)).status).toBe(401);
    const wrong = await api.post(`/api/users/${alice.id}/`, {}, { token: alice.access });
    expect([wrong.status, wrong.body]).toEqual([405, { detail: 'Method "POST" not allowed.' }]);
  });
});

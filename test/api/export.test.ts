import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createGuest, registerUser } from '../support/http.js';
import { onEachNode, startTestServer, type TestServer } from '../support/server.js';
import { befriend } from '../support/social.js';

let server: TestServer;
let api: ApiClient;
let internal: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
  internal = new ApiClient(server.internalUrl!);
});
afterAll(async () => server.close());

describe('GET /api/users/me/download-data/', () => {
  it('answers a JSON attachment with every section of the export plus ranked_data', async () => {
    const user = await registerUser(api);
    const friend = await registerUser(api);
    const sentTo = await registerUser(api);
    const sentBy = await registerUser(api);
    const blocked = await registerUser(api);
    const friendship = await befriend(api, user, friend);
    const sent = await api.post('/api/users/me/friend_requests/', { username: sentTo.username }, { token: user.access });
    const incoming = await api.post('/api/users/me/friend_requests/', { username: user.username }, { token: sentBy.access });
    const block = await api.post('/api/users/me/blocked/', { user_id: blocked.id }, { token: user.access });
    await internal.post('/api/private/users/result-match/', {
      game_mode: 'ranked', winner: 'a', looser: 'b',
      teams: { a: { score: 3, players: [{ id: user.id, score: 3, trophies: 36 }] }, b: { score: 1, players: [{ id: friend.id, score: 1, trophies: -20 }] } },
    });

    const res = await api.get('/api/users/me/download-data/', { token: user.access });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="user_${user.id}_data.json"`);
    expect(String(res.headers['content-type'])).toContain('application/json');
    const data = res.body;
    expect(Object.keys(data).sort()).toEqual(['chat_data', 'friends_data', 'game_data', 'profile_pictures_data', 'ranked_data', 'stats_data', 'user_data']);

    const me = await api.get('/api/users/me/', { token: user.access });
    expect(data.user_data).toEqual(me.body);
    expect(data.profile_pictures_data.map((p: any) => p.id)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(data.profile_pictures_data[1]).toMatchObject({ name: 'Register', unlock: true, is_equiped: true });
    expect(data.profile_pictures_data[20]).toMatchObject({ name: 'One Friend', unlock: true, is_equiped: false });

    expect(data.friends_data).toEqual({
      friends: [{ id: friendship, friends_since: expect.any(String), matches_played_against: 1, matches_played_together: 0, matches_won_together: 0 }],
      friend_requests_sent: [sent.body],
      friend_requests_received: [{ ...incoming.body, new: true }],
      blocked_users: [block.body],
    });
    expect(data.stats_data).toEqual((await api.get('/api/users/me/stats/', { token: user.access })).body);
    expect(data.stats_data[3]).toMatchObject({ game_mode: 'ranked', wins: 1, scored: 3 });
    expect(data.ranked_data.map((r: any) => [r.trophies, r.total_trophies, r.user])).toEqual([[0, 0, user.id], [36, 36, user.id]]);
    expect(data.chat_data).toEqual([]);
    expect(data.game_data).toEqual({ matches: [], tournament: [], replays: [] });

    // Reading the export marks nothing as seen.
    expect((await api.get('/api/users/me/', { token: user.access })).body.notifications.friend_requests).toBe(1);
  });

  it('uses the sections other features register, and their fallbacks when they fail', async () => {
    const user = await registerUser(api);
    onEachNode(server, (p) => p.lifecycle.registerExportSection('game_data', async (id) => {
      if (id === user.id) throw new Error('game is down');
      return { matches: [{ id: 1 }], tournament: [] };
    }));
    const failing = await api.get('/api/users/me/download-data/', { token: user.access });
    expect(failing.body.game_data).toEqual({ matches: [], tournament: [] });
    const other = await registerUser(api);
    const working = await api.get('/api/users/me/download-data/', { token: other.access });
    expect(working.body.game_data).toEqual({ matches: [{ id: 1 }], tournament: [], replays: [] });
  });

  it('refuses guests', async () => {
    const guest = await createGuest(api);
    const res = await api.get('/api/users/me/download-data/', { token: guest.access });
    expect([res.status, res.body]).toEqual([403, { detail: 'Guest users cannot perform this action.' }]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createGuest, registerUser } from '../support/http.js';
import { onEachNode, startTestServer, type TestServer } from '../support/server.js';
import { befriend, expectNoEvent, idEvent, openStream } from '../support/social.js';

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
});
afterAll(async () => server.close());

const REGISTER = { id: 1, name: 'Register', small: '/assets/profile_pictures/register_small.png', medium: '/assets/profile_pictures/register_medium.png' };

describe('POST /api/users/me/blocked/', () => {
  it('stores the entry, ends the friendship (delete-friend to both) and tells the hooks', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    const friendship = await befriend(api, alice, bob);
    const aliceStream = await openStream(server, api, alice);
    const bobStream = await openStream(server, api, bob);
    const hooked: Array<[number, number]> = [];
    onEachNode(server, (p) => p.lifecycle.onBlocked((blocker, blocked) => { hooked.push([blocker, blocked]); }));

    const res = await api.post('/api/users/me/blocked/', { user_id: bob.id }, { token: alice.access });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(Number), blocked: { id: bob.id, username: bob.username, profile_picture: REGISTER }, blocked_at: expect.any(String) });
    expect((await aliceStream.next('delete-friend')).envelope).toEqual(idEvent('delete-friend', friendship));
    expect((await bobStream.next('delete-friend')).envelope).toEqual(idEvent('delete-friend', friendship));
    expect(hooked).toContainEqual([alice.id, bob.id]);
    expect((await api.get('/api/users/me/friends/', { token: alice.access })).body.count).toBe(0);
    expect((await api.get('/api/users/me/friends/', { token: bob.access })).body.count).toBe(0);

    const list = await api.get('/api/users/me/blocked/', { token: alice.access });
    expect(list.body).toEqual({ count: 1, next: null, previous: null, results: [res.body] });
    expect((await api.get('/api/users/me/blocked/', { token: bob.access })).body.count).toBe(0);
    aliceStream.close();
    bobStream.close();
  });

  it('removes a pending request: its sender gets reject-friend-request, its receiver cancel-friend-request, whoever blocks', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    const aliceStream = await openStream(server, api, alice);
    const bobStream = await openStream(server, api, bob);

    // The receiver blocks.
    const r1 = await api.post('/api/users/me/friend_requests/', { username: bob.username }, { token: alice.access });
    const block1 = await api.post('/api/users/me/blocked/', { user_id: alice.id }, { token: bob.access });
    expect(block1.status).toBe(201);
    expect((await aliceStream.next('reject-friend-request')).envelope).toEqual(idEvent('reject-friend-request', r1.body.id));
    expect((await bobStream.next('cancel-friend-request')).envelope).toEqual(idEvent('cancel-friend-request', r1.body.id));
    expect((await api.get(`/api/users/me/friend_requests/${r1.body.id}/`, { token: alice.access })).status).toBe(404);
    await expectNoEvent(aliceStream, 'delete-friend');
    expect((await api.delete(`/api/users/me/blocked/${block1.body.id}/`, undefined, { token: bob.access })).status).toBe(204);

    // The sender blocks.
    const r2 = await api.post('/api/users/me/friend_requests/', { username: bob.username }, { token: alice.access });
    expect(r2.status).toBe(201);
    expect((await api.post('/api/users/me/blocked/', { user_id: bob.id }, { token: alice.access })).status).toBe(201);
    expect((await aliceStream.next('reject-friend-request')).envelope).toEqual(idEvent('reject-friend-request', r2.body.id));
    expect((await bobStream.next('cancel-friend-request')).envelope).toEqual(idEvent('cancel-friend-request', r2.body.id));
    expect((await api.get('/api/users/me/friend_requests/received/', { token: bob.access })).body.count).toBe(0);
    aliceStream.close();
    bobStream.close();
  });

  it('applies the block checks with their exact texts', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    const guest = await createGuest(api);
    const block = (token: string, body: unknown) => api.post('/api/users/me/blocked/', body, { token });

    expect((await block(alice.access, {})).body).toEqual({ user_id: ['This field is required.'] });
    expect((await block(alice.access, { user_id: 'abc' })).body).toEqual({ user_id: ['A valid integer is required.'] });
    expect((await block(alice.access, { user_id: 1.5 })).body).toEqual({ user_id: ['A valid integer is required.'] });
    const unknown = await block(alice.access, { user_id: 999999 });
    expect([unknown.status, unknown.body]).toEqual([404, { detail: 'User not found.' }]);
    const huge = await block(alice.access, { user_id: 99999999999 });
    expect([huge.status, huge.body]).toEqual([404, { detail: 'User not found.' }]);
    const aGuest = await block(alice.access, { user_id: guest.id });
    expect([aGuest.status, aGuest.body]).toEqual([404, { detail: 'User not found.' }]);
    const byGuest = await block(guest.access, { user_id: alice.id });
    expect([byGuest.status, byGuest.body]).toEqual([403, { detail: 'Guest users cannot perform this action.' }]);
    const self = await block(alice.access, { user_id: alice.id });
    expect([self.status, self.body]).toEqual([403, { detail: 'You cannot block yourself.' }]);
    expect((await block(alice.access, { user_id: String(bob.id) })).status).toBe(201);
    const twice = await block(alice.access, { user_id: bob.id });
    expect([twice.status, twice.body]).toEqual([409, { detail: 'You are already blocked this user.' }]);
    const back = await block(bob.access, { user_id: alice.id });
    expect([back.status, back.body]).toEqual([404, { detail: 'User not found.' }]);
  });

  it('refuses the 51st block entry', async () => {
    const alice = await registerUser(api);
    const targets = await Promise.all(Array.from({ length: 51 }, () => registerUser(api)));
    for (const target of targets.slice(0, 50)) {
      expect((await api.post('/api/users/me/blocked/', { user_id: target.id }, { token: alice.access })).status).toBe(201);
    }
    const refused = await api.post('/api/users/me/blocked/', { user_id: targets[50].id }, { token: alice.access });
    expect([refused.status, refused.body]).toEqual([403, { detail: 'You cannot block more than 50 users.' }]);
    // The limit is checked first, even for an unknown user.
    const unknown = await api.post('/api/users/me/blocked/', { user_id: 999999 }, { token: alice.access });
    expect(unknown.status).toBe(403);
    const list = await api.get('/api/users/me/blocked/?limit=50', { token: alice.access });
    expect(list.body.count).toBe(50);
    expect(list.body.results.map((e: any) => e.blocked.id)).toEqual(targets.slice(0, 50).map((t) => t.id));
  });
});

describe('DELETE /api/users/me/blocked/<entry id>/', () => {
  it('removes the caller\'s entry (no event); 404 for a missing or foreign entry; friendship not restored', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    const eve = await registerUser(api);
    await befriend(api, alice, bob);
    const bobStream = await openStream(server, api, bob);
    const entry = await api.post('/api/users/me/blocked/', { user_id: bob.id }, { token: alice.access });
    await bobStream.next('delete-friend');

    const foreign = await api.delete(`/api/users/me/blocked/${entry.body.id}/`, undefined, { token: eve.access });
    expect([foreign.status, foreign.body]).toEqual([404, { detail: 'This blocked user entry does not belong to you.' }]);
    const missing = await api.delete('/api/users/me/blocked/999999/', undefined, { token: alice.access });
    expect([missing.status, missing.body]).toEqual([404, { detail: 'This blocked user entry does not belong to you.' }]);
    const byUserId = await api.delete(`/api/users/me/blocked/${bob.id}/`, undefined, { token: alice.access });
    expect(byUserId.status).toBe(404);

    const eventsBefore = bobStream.notifications.length;
    expect((await api.delete(`/api/users/me/blocked/${entry.body.id}/`, undefined, { token: alice.access })).status).toBe(204);
    await new Promise((r) => setTimeout(r, 150));
    expect(bobStream.notifications.length).toBe(eventsBefore);
    expect((await api.get('/api/users/me/blocked/', { token: alice.access })).body.count).toBe(0);
    expect((await api.get('/api/users/me/friends/', { token: alice.access })).body.count).toBe(0);
    expect((await api.get(`/api/users/${alice.id}/`, { token: bob.access })).status).toBe(200);
    expect((await api.get(`/api/users/${bob.id}/`, { token: alice.access })).status).toBe(200);
    bobStream.close();
  });

  it('refuses guests on every blocking endpoint', async () => {
    const guest = await createGuest(api);
    for (const [method, path] of [['GET', '/api/users/me/blocked/'], ['POST', '/api/users/me/blocked/'], ['DELETE', '/api/users/me/blocked/1/']]) {
      const res = await api.request(method, path, { token: guest.access, body: method === 'POST' ? { user_id: 1 } : undefined });
      expect([res.status, res.body]).toEqual([403, { detail: 'Guest users cannot perform this action.' }]);
    }
  });
});

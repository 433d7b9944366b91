import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createGuest, registerUser, type TestUser } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { befriend, expectNoEvent, idEvent, openStream, received, unlockEnvelope } from '../support/social.js';

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
});
afterAll(async () => server.close());

const small = (u: TestUser, pictureId = 1) => ({
  id: u.id,
  username: u.username,
  profile_picture: pictureId === 1
    ? { id: 1, name: 'Register', small: '/assets/profile_pictures/register_small.png', medium: '/assets/profile_pictures/register_medium.png' }
    : expect.objectContaining({ id: pictureId }),
});

const ONE_FRIEND = { id: 20, name: 'One Friend', unlock_reason: 'Have at least one friend.', stem: 'one_friend' };

describe('POST /api/users/me/friend_requests/', () => {
  it('creates the request (sender view, no `new`) and sends receive-friend-request to the receiver', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    const bobStream = await openStream(server, api, bob);
    const res = await api.post('/api/users/me/friend_requests/', { username: bob.username }, { token: alice.access });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(Number), sender: small(alice), receiver: small(bob), send_at: expect.any(String) });
    const event = await bobStream.next('receive-friend-request');
    expect(event.envelope).toEqual({
      service: 'friends',
      event_code: 'receive-friend-request',
      type: 'notification',
      message: `${alice.username} wants to be friends with you.`,
      target: [
        { url: `api/users/me/friend_requests/${res.body.id}/`, type: 'api', method: 'POST', display_name: null, display_icon: '/assets//icon/accept.png' },
        { url: `api/users/me/friend_requests/${res.body.id}/`, type: 'api', method: 'DELETE', display_name: null, display_icon: '/assets//icon/decline.png' },
      ],
      data: res.body,
      kwargs: { username: alice.username },
    });
    bobStream.close();
  });

  it('applies the friend request checks in order with their exact texts', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    const guest = await createGuest(api);
    const send = (from: TestUser, username: unknown) => api.post('/api/users/me/friend_requests/', { username }, { token: from.access });

    expect((await api.post('/api/users/me/friend_requests/', {}, { token: alice.access })).body).toEqual({ username: ['This field is required.'] });
    expect((await send(alice, 'x'.repeat(31))).body).toEqual({ username: ['Ensure this field has no more than 30 characters.'] });
    const unknown = await send(alice, 'nobody_here_at_all');
    expect([unknown.status, unknown.body]).toEqual([404, { detail: 'User not found.' }]);
    const caseMismatch = await send(alice, bob.username.toUpperCase());
    expect([caseMismatch.status, caseMismatch.body]).toEqual([404, { detail: 'User not found.' }]);
    const toGuest = await send(alice, guest.username);
    expect([toGuest.status, toGuest.body]).toEqual([404, { detail: 'User not found.' }]);
    const fromGuest = await send(guest, bob.username);
    expect([fromGuest.status, fromGuest.body]).toEqual([403, { detail: 'Guest users cannot perform this action.' }]);
    const self = await send(alice, alice.username);
    expect([self.status, self.body]).toEqual([403, { detail: 'You cannot send a friend request to yourself.' }]);

    expect((await send(alice, bob.username)).status).toBe(201);
    const again = await send(alice, bob.username);
    expect([again.status, again.body]).toEqual([409, { detail: 'You have already sent a friend request to this user.' }]);
    const reverse = await send(bob, alice.username);
    expect([reverse.status, reverse.body]).toEqual([409, { detail: 'You have already received a friend request from this user.' }]);

    const carol = await registerUser(api);
    await befriend(api, alice, carol);
    const friends = await send(carol, alice.username);
    expect([friends.status, friends.body]).toEqual([409, { detail: 'You are already friends with this user.' }]);

    const dave = await registerUser(api);
    expect((await api.patch('/api/users/me/', { accept_friend_request: false }, { token: dave.access })).status).toBe(200);
    const refusing = await send(alice, dave.username);
    expect([refusing.status, refusing.body]).toEqual([403, { detail: 'This user does not accept friend requests.' }]);
  });

  it('hides a user who blocked the caller (404) and refuses a user the caller blocked (403)', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    expect((await api.post('/api/users/me/blocked/', { user_id: alice.id }, { token: bob.access })).status).toBe(201);
    const blockedBy = await api.post('/api/users/me/friend_requests/', { username: bob.username }, { token: alice.access });
    expect([blockedBy.status, blockedBy.body]).toEqual([404, { detail: 'User not found.' }]);
    const blocker = await api.post('/api/users/me/friend_requests/', { username: alice.username }, { token: bob.access });
    expect([blocker.status, blocker.body]).toEqual([403, { detail: 'You blocked this user.' }]);
  });

  it('allows 21 pending sent requests and refuses the 22nd', async () => {
    const alice = await registerUser(api);
    const targets = await Promise.all(Array.from({ length: 22 }, () => registerUser(api)));
    for (const target of targets.slice(0, 21)) {
      const res = await api.post('/api/users/me/friend_requests/', { username: target.username }, { token: alice.access });
      expect(res.status).toBe(201);
    }
    const refused = await api.post('/api/users/me/friend_requests/', { username: targets[21].username }, { token: alice.access });
    expect([refused.status, refused.body]).toEqual([403, { detail: 'You cannot send more than 20 friend requests at the same time.' }]);
    const list = await api.get('/api/users/me/friend_requests/', { token: alice.access });
    expect(list.body.count).toBe(21);
    expect(list.body.results).toHaveLength(20);
    expect(list.body.next).toBe(`${server.publicUrl.replace('127.0.0.1', '127.0.0.1')}/api/users/me/friend_requests/?limit=20&offset=20`);
    expect(list.body.results.map((r: any) => r.receiver.id)).toEqual(targets.slice(0, 20).map((t) => t.id));
    // Cancelling one makes room again.
    expect((await api.delete(`/api/users/me/friend_requests/${list.body.results[0].id}/`, undefined, { token: alice.access })).status).toBe(204);
    expect((await api.post('/api/users/me/friend_requests/', { username: targets[21].username }, { token: alice.access })).status).toBe(201);
  });
});

describe('listing and reading requests', () => {
  it('lists sent requests without `new`; received with `new` as it was, then marks them seen', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    const carol = await registerUser(api);
    const r1 = await api.post('/api/users/me/friend_requests/', { username: bob.username }, { token: alice.access });
    const r2 = await api.post('/api/users/me/friend_requests/', { username: bob.username }, { token: carol.access });

    const sent = await api.get('/api/users/me/friend_requests/', { token: alice.access });
    expect(sent.body).toEqual({ count: 1, next: null, previous: null, results: [r1.body] });

    expect((await api.get('/api/users/me/', { token: bob.access })).body.notifications).toEqual({ friend_requests: 2, chats: 0 });
    const first = await api.get('/api/users/me/friend_requests/received/', { token: bob.access });
    expect(first.body).toEqual({ count: 2, next: null, previous: null, results: [{ ...r1.body, new: true }, { ...r2.body, new: true }] });
    expect((await api.get('/api/users/me/', { token: bob.access })).body.notifications.friend_requests).toBe(0);
    const second = await api.get('/api/users/me/friend_requests/received/?limit=1', { token: bob.access });
    expect(second.body.count).toBe(2);
    expect(second.body.results).toEqual([{ ...r1.body, new: false }]);
    expect(second.body.next).toBe(`${server.publicUrl}/api/users/me/friend_requests/received/?limit=1&offset=1`);
  });

  it('GET one: `new` only for the receiver and unchanged; 404 for others', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    const eve = await registerUser(api);
    const r = await api.post('/api/users/me/friend_requests/', { username: bob.username }, { token: alice.access });
    const asSender = await api.get(`/api/users/me/friend_requests/${r.body.id}/`, { token: alice.access });
    expect(asSender.body).toEqual(r.body);
    const asReceiver = await api.get(`/api/users/me/friend_requests/${r.body.id}/`, { token: bob.access });
    expect(asReceiver.body).toEqual({ ...r.body, new: true });
    expect((await api.get('/api/users/me/', { token: bob.access })).body.notifications.friend_requests).toBe(1);
    for (const [token, id] of [[eve.access, r.body.id], [bob.access, 999999]] as const) {
      const res = await api.get(`/api/users/me/friend_requests/${id}/`, { token });
      expect([res.status, res.body]).toEqual([404, { detail: 'Friend request not found.' }]);
    }
  });

  it('DELETE: the sender cancels (cancel-friend-request to the receiver), the receiver rejects (reject-friend-request to the sender)', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    const aliceStream = await openStream(server, api, alice);
    const bobStream = await openStream(server, api, bob);

    const r1 = await api.post('/api/users/me/friend_requests/', { username: bob.username }, { token: alice.access });
    expect((await api.delete(`/api/users/me/friend_requests/${r1.body.id}/`, undefined, { token: alice.access })).status).toBe(204);
    expect((await bobStream.next('cancel-friend-request')).envelope).toEqual(idEvent('cancel-friend-request', r1.body.id));

    const r2 = await api.post('/api/users/me/friend_requests/', { username: bob.username }, { token: alice.access });
    expect((await api.delete(`/api/users/me/friend_requests/${r2.body.id}/`, undefined, { token: bob.access })).status).toBe(204);
    expect((await aliceStream.next('reject-friend-request')).envelope).toEqual(idEvent('reject-friend-request', r2.body.id));

    const gone = await api.delete(`/api/users/me/friend_requests/${r2.body.id}/`, undefined, { token: bob.access });
    expect([gone.status, gone.body]).toEqual([404, { detail: 'Friend request not found.' }]);
    expect(received(aliceStream, 'cancel-friend-request')).toEqual([]);
    expect(received(bobStream, 'reject-friend-request')).toEqual([]);
    aliceStream.close();
    bobStream.close();
  });
});

describe('POST /api/users/me/friend_requests/<id>/ (accept)', () => {
  it('creates the friendship with the request id, tells the sender and unlocks One Friend for both', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    const aliceStream = await openStream(server, api, alice);
    const bobStream = await openStream(server, api, bob);
    const r = await api.post('/api/users/me/friend_requests/', { username: bob.username }, { token: alice.access });

    const own = await api.post(`/api/users/me/friend_requests/${r.body.id}/`, undefined, { token: alice.access });
    expect([own.status, own.body]).toEqual([403, { detail: 'You cannot accept your own friend request.' }]);
    const eve = await registerUser(api);
    const foreign = await api.post(`/api/users/me/friend_requests/${r.body.id}/`, undefined, { token: eve.access });
    expect([foreign.status, foreign.body]).toEqual([404, { detail: 'Friend request not found.' }]);

    const res = await api.post(`/api/users/me/friend_requests/${r.body.id}/`, { ignored: true }, { token: bob.access });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: r.body.id,
      friend: { ...small(alice), trophies: 0, status: { is_online: true, game_playing: null, last_online: expect.any(String) } },
      friend_wins: 0, me_wins: 0, friends_since: expect.any(String),
      matches_played_against: 0, matches_played_together: 0, matches_won_together: 0,
    });

    const accepted = await aliceStream.next('accept-friend-request');
    expect(accepted.envelope).toEqual({
      service: 'friends', event_code: 'accept-friend-request', type: 'notification',
      message: `${bob.username} has accepted your friend request.`, target: null,
      data: { ...res.body, friend: { ...small(bob), trophies: 0, status: { is_online: true, game_playing: null, last_online: expect.any(String) } } },
      kwargs: { username: bob.username },
    });
    expect((await aliceStream.next('profile-picture-unlocked')).envelope).toEqual(unlockEnvelope(ONE_FRIEND));
    expect((await bobStream.next('profile-picture-unlocked')).envelope).toEqual(unlockEnvelope(ONE_FRIEND));

    // The request is gone; a second friendship does not unlock One Friend again.
    expect((await api.get(`/api/users/me/friend_requests/${r.body.id}/`, { token: bob.access })).status).toBe(404);
    const carol = await registerUser(api);
    await befriend(api, carol, alice);
    await new Promise((r) => setTimeout(r, 200));
    expect(received(aliceStream, 'profile-picture-unlocked')).toHaveLength(1);
    const pictures = await api.get('/api/users/profile-pictures/', { token: alice.access });
    expect(pictures.body.find((p: any) => p.id === 20)).toMatchObject({ unlock: true, is_equiped: false });
    aliceStream.close();
    bobStream.close();
  });
});

describe('/api/users/me/friends/', () => {
  it('lists friendships seen by the caller, filters on ?online=, reads and deletes one', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    const carol = await registerUser(api);
    const fb = await befriend(api, alice, bob);
    const fc = await befriend(api, carol, alice);
    const bobStream = await openStream(server, api, bob);

    const all = await api.get('/api/users/me/friends/', { token: alice.access });
    expect(all.body.count).toBe(2);
    expect(all.body.results.map((f: any) => [f.id, f.friend.id])).toEqual([[fb, bob.id], [fc, carol.id]]);
    const online = await api.get('/api/users/me/friends/?online=true', { token: alice.access });
    expect(online.body.results.map((f: any) => f.friend.id)).toEqual([bob.id]);
    expect(online.body.results[0].friend.status.is_online).toBe(true);
    const offline = await api.get('/api/users/me/friends/?online=false', { token: alice.access });
    expect(offline.body.results.map((f: any) => f.friend.id)).toEqual([carol.id]);
    const other = await api.get('/api/users/me/friends/?online=maybe', { token: alice.access });
    expect(other.body.count).toBe(2);
    const paged = await api.get('/api/users/me/friends/?limit=1&offset=1&online=maybe', { token: alice.access });
    expect(paged.body.previous).toBe(`${server.publicUrl}/api/users/me/friends/?limit=1&online=maybe`);
    expect(paged.body.next).toBeNull();

    const one = await api.get(`/api/users/me/friends/${fb}/`, { token: bob.access });
    expect(one.body).toMatchObject({ id: fb, friend: { id: alice.id, username: alice.username } });
    const foreign = await api.get(`/api/users/me/friends/${fb}/`, { token: carol.access });
    expect([foreign.status, foreign.body]).toEqual([404, { detail: 'Friendship not found.' }]);

    const aliceStream = await openStream(server, api, alice);
    expect((await api.delete(`/api/users/me/friends/${fb}/`, undefined, { token: alice.access })).status).toBe(204);
    expect((await bobStream.next('delete-friend')).envelope).toEqual(idEvent('delete-friend', fb));
    await expectNoEvent(aliceStream, 'delete-friend');
    const again = await api.delete(`/api/users/me/friends/${fb}/`, undefined, { token: alice.access });
    expect([again.status, again.body]).toEqual([404, { detail: 'Friendship not found.' }]);
    // They may become friends again.
    expect((await api.post('/api/users/me/friend_requests/', { username: alice.username }, { token: bob.access })).status).toBe(201);
    bobStream.close();
    aliceStream.close();
  });

  it('refuses guests and other methods', async () => {
    const guest = await createGuest(api);
    for (const path of ['/api/users/me/friends/', '/api/users/me/friend_requests/', '/api/users/me/friend_requests/received/']) {
      const res = await api.get(path, { token: guest.access });
      expect([res.status, res.body]).toEqual([403, { detail: 'Guest users cannot perform this action.' }]);
    }
    const user = await registerUser(api);
    const wrong = await api.put('/api/users/me/friends/', {}, { token: user.access });
    expect([wrong.status, wrong.body]).toEqual([405, { detail: 'Method "PUT" not allowed.' }]);
    const anonymous = await api.get('/api/users/me/friends/');
    expect(anonymous.status).toBe(401);
  });
});

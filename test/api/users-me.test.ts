import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createGuest, registerUser, uniqueName } from '../support/http.js';
import { onEachNode, startTestServer, type TestServer } from '../support/server.js';
import { befriend, idEvent, openStream, setPlaying } from '../support/social.js';

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
});
afterAll(async () => server.close());

const PLAYING = { detail: 'You cannot perform this action when you playing.' };

describe('PATCH /api/users/me/', () => {
  it('updates the settings and answers Me', async () => {
    const user = await registerUser(api);
    const res = await api.patch('/api/users/me/', { accept_friend_request: 'no', accept_chat_from: 'everyone', id: 5, trophies: 900, is_guest: true }, { token: user.access });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, username: user.username, is_guest: false, accept_friend_request: false, accept_chat_from: 'everyone', trophies: 0 });
    const me = await api.get('/api/users/me/', { token: user.access });
    expect(me.body).toEqual(res.body);
    const back = await api.patch('/api/users/me/', { accept_friend_request: true, accept_chat_from: 'none' }, { token: user.access });
    expect(back.body).toMatchObject({ accept_friend_request: true, accept_chat_from: 'none' });
  });

  it('reports every field error together, the exact-name clash among them', async () => {
    const other = await registerUser(api);
    const user = await registerUser(api);
    const res = await api.patch('/api/users/me/', { username: other.username, accept_friend_request: 'maybe', accept_chat_from: 'friends' }, { token: user.access });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      username: ['users with this username already exists.'],
      accept_friend_request: ['Must be a valid boolean.'],
      accept_chat_from: ["Chat status must be 'everyone', 'friends_only' or 'none'."],
    });
    expect((await api.patch('/api/users/me/', { username: '' }, { token: user.access })).body).toEqual({ username: ['This field may not be blank.'] });
    expect((await api.patch('/api/users/me/', { username: 'x'.repeat(31) }, { token: user.access })).body).toEqual({ username: ['Ensure this field has no more than 30 characters.'] });
    expect((await api.patch('/api/users/me/', { password: 'p'.repeat(51), old_password: user.password }, { token: user.access })).body).toEqual({ password: ['Ensure this field has no more than 50 characters.'] });
    const array = await api.patch('/api/users/me/', [1], { token: user.access });
    expect([array.status, array.body]).toEqual([400, { detail: 'Data must be a dictionary.' }]);
  });

  it('renames through auth: case-insensitive clash and own name are "This username already exists."; the hook is told', async () => {
    const other = await registerUser(api, uniqueName('Clash'));
    const user = await registerUser(api);
    const caseClash = await api.patch('/api/users/me/', { username: other.username.toLowerCase() }, { token: user.access });
    expect([caseClash.status, caseClash.body]).toEqual([400, { username: ['This username already exists.'] }]);
    const own = await api.patch('/api/users/me/', { username: user.username }, { token: user.access });
    expect(own.body).toEqual({ username: ['This username already exists.'] });
    const rule = await api.patch('/api/users/me/', { username: 'theadmin1' }, { token: user.access });
    expect(rule.body).toEqual({ username: ['This username is not allowed.'] });

    const renamed: Array<[number, string]> = [];
    onEachNode(server, (p) => p.lifecycle.onRenamed((id, name) => { renamed.push([id, name]); }));
    const name = uniqueName('renamed');
    const res = await api.patch('/api/users/me/', { username: `  ${name} ` }, { token: user.access });
    expect(res.status).toBe(200);
    expect(res.body.username).toBe(name);
    expect(renamed).toContainEqual([user.id, name]);
    expect((await api.post('/api/auth/login/', { username: name, password: user.password })).status).toBe(200);
    expect((await api.post('/api/auth/login/', { username: user.username, password: user.password })).status).toBe(401);
  });

  it('changes the password only with the right old_password', async () => {
    const user = await registerUser(api);
    const missing = await api.patch('/api/users/me/', { password: 'N3w-secret-pass' }, { token: user.access });
    expect([missing.status, missing.body]).toEqual([400, { old_password: ['Password confirmation is required.'] }]);
    const wrong = await api.patch('/api/users/me/', { password: 'N3w-secret-pass', old_password: 'Wrong-passw0rd' }, { token: user.access });
    expect([wrong.status, wrong.body]).toEqual([400, { old_password: ['Incorrect password.'] }]);
    const same = await api.patch('/api/users/me/', { password: user.password, old_password: user.password }, { token: user.access });
    expect([same.status, same.body]).toEqual([400, { password: ['Password is the same as the old one.'] }]);
    const weak = await api.patch('/api/users/me/', { password: '12345678', old_password: user.password, accept_chat_from: 'everyone' }, { token: user.access });
    expect(weak.status).toBe(400);
    // Nothing changed when the credentials step failed.
    expect((await api.get('/api/users/me/', { token: user.access })).body.accept_chat_from).toBe('friends_only');
    const alone = await api.patch('/api/users/me/', { old_password: 'whatever' }, { token: user.access });
    expect(alone.status).toBe(200);

    const ok = await api.patch('/api/users/me/', { password: 'N3w-secret-pass', old_password: user.password }, { token: user.access });
    expect(ok.status).toBe(200);
    expect((await api.post('/api/auth/login/', { username: user.username, password: 'N3w-secret-pass' })).status).toBe(200);
    expect((await api.post('/api/auth/login/', { username: user.username, password: user.password })).status).toBe(401);
    // The access token still works.
    expect((await api.get('/api/users/me/', { token: user.access })).status).toBe(200);
  });

  it('lets a guest change only the username', async () => {
    const guest = await createGuest(api);
    const refused = await api.patch('/api/users/me/', { username: uniqueName('g'), accept_chat_from: 'everyone' }, { token: guest.access });
    expect([refused.status, refused.body]).toEqual([403, { detail: 'Guest users can only update their username.' }]);
    const password = await api.patch('/api/users/me/', { password: 'N3w-secret-pass', old_password: 'x' }, { token: guest.access });
    expect([password.status, password.body]).toEqual([403, { detail: 'Guest users can only update their username.' }]);
    const name = uniqueName('guestname');
    const ok = await api.patch('/api/users/me/', { username: name }, { token: guest.access });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ username: name, is_guest: true, profile_picture: { id: 0, name: 'Guest' } });
  });

  it('PUT is a full update: username, password, old_password and accept_friend_request are required', async () => {
    const user = await registerUser(api);
    const empty = await api.put('/api/users/me/', {}, { token: user.access });
    expect([empty.status, empty.body]).toEqual([400, {
      username: ['This field is required.'], password: ['This field is required.'],
      old_password: ['This field is required.'], accept_friend_request: ['This field is required.'],
    }]);
    const name = uniqueName('put');
    const full = await api.put('/api/users/me/', { username: name, password: 'N3w-secret-pass', old_password: user.password, accept_friend_request: false }, { token: user.access });
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ username: name, accept_friend_request: false });
  });

  it('refuses PATCH, PUT and DELETE while the caller plays', async () => {
    const user = await registerUser(api);
    await setPlaying(server, user.id, 'AB12');
    for (const res of [
      await api.patch('/api/users/me/', { accept_chat_from: 'none' }, { token: user.access }),
      await api.put('/api/users/me/', {}, { token: user.access }),
      await api.delete('/api/users/me/', { password: user.password }, { token: user.access }),
    ]) {
      expect([res.status, res.body]).toEqual([403, PLAYING]);
    }
    await setPlaying(server, user.id, null);
    expect((await api.patch('/api/users/me/', { accept_chat_from: 'none' }, { token: user.access })).status).toBe(200);
  });
});

describe('DELETE /api/users/me/', () => {
  it('refuses guests, then asks for the password with its 401 codes', async () => {
    const guest = await createGuest(api);
    const g = await api.delete('/api/users/me/', { password: 'x' }, { token: guest.access });
    expect([g.status, g.body]).toEqual([403, { detail: 'Guest users cannot perform this action.' }]);
    const user = await registerUser(api);
    const missing = await api.delete('/api/users/me/', undefined, { token: user.access });
    expect([missing.status, missing.body]).toEqual([401, { detail: 'Password confirmation is required.', code: 'password_confirmation_required' }]);
    const wrong = await api.delete('/api/users/me/', { password: 'Wrong-passw0rd' }, { token: user.access });
    expect([wrong.status, wrong.body]).toEqual([401, { detail: 'Incorrect password.', code: 'incorrect_password' }]);
    expect((await api.get('/api/users/me/', { token: user.access })).status).toBe(200);
  });

  it('deletes the account with the whole cascade and its events, in order', async () => {
    const user = await registerUser(api);
    const friend = await registerUser(api);
    const sender = await registerUser(api);
    const receiver = await registerUser(api);
    const blocker = await registerUser(api);
    const friendship = await befriend(api, user, friend);
    const incoming = await api.post('/api/users/me/friend_requests/', { username: user.username }, { token: sender.access });
    const outgoing = await api.post('/api/users/me/friend_requests/', { username: receiver.username }, { token: user.access });
    expect((await api.post('/api/users/me/blocked/', { user_id: user.id }, { token: blocker.access })).status).toBe(201);
    expect((await api.post('/api/users/me/blocked/', { user_id: blocker.id }, { token: user.access })).status).toBe(404);
    const other = await registerUser(api);
    expect((await api.post('/api/users/me/blocked/', { user_id: other.id }, { token: user.access })).status).toBe(201);
    const chat = await api.post('/api/chat/', { username: friend.username }, { token: user.access });
    expect(chat.status).toBe(201);
    expect((await api.post(`/api/chat/${chat.body.id}/messages/`, { content: 'bye' }, { token: user.access })).status).toBe(201);
    expect((await api.post(`/api/chat/${chat.body.id}/messages/`, { content: 'why?' }, { token: friend.access })).status).toBe(201);

    const streams = {
      user: await openStream(server, api, user),
      user2: await openStream(server, api, user),
      friend: await openStream(server, api, friend),
      sender: await openStream(server, api, sender),
      receiver: await openStream(server, api, receiver),
    };
    const order: string[] = [];
    onEachNode(server, ({ lifecycle }) => lifecycle.onDeleteRows(async (trx, id) => {
      if (id !== user.id) return;
      const row = await trx.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst();
      order.push(row ? 'rows:profile-still-there' : 'rows:profile-gone');
    }));
    onEachNode(server, ({ lifecycle }) => lifecycle.onAccountDeleted(async (id) => {
      if (id !== user.id) return;
      const row = await server.platform.db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst();
      order.push(row ? 'deleted:profile-still-there' : 'deleted:profile-gone');
      order.push(streams.user.events.some((e) => e.event === 'delete-user') ? 'deleted:after-delete-user' : 'deleted:before-delete-user');
    }));

    const res = await api.delete('/api/users/me/', { password: user.password }, { token: user.access });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');

    expect((await streams.friend.next('delete-friend')).envelope).toEqual(idEvent('delete-friend', friendship));
    expect((await streams.sender.next('reject-friend-request')).envelope).toEqual(idEvent('reject-friend-request', incoming.body.id));
    expect((await streams.receiver.next('cancel-friend-request')).envelope).toEqual(idEvent('cancel-friend-request', outgoing.body.id));
    for (const stream of [streams.user, streams.user2]) {
      const event = await stream.next('delete-user');
      expect(event.envelope).toEqual({ service: 'user', event_code: 'delete-user', type: 'event', message: '', target: null, data: {}, kwargs: null });
      await stream.waitClosed();
    }
    expect(order).toEqual(['rows:profile-still-there', 'deleted:profile-gone', 'deleted:before-delete-user']);

    const after = await api.get('/api/users/me/', { token: user.access });
    expect([after.status, after.body]).toEqual([401, { detail: 'User not found.', code: 'user_not_found' }]);
    expect((await api.post('/api/auth/login/', { username: user.username, password: user.password })).status).toBe(401);
    expect((await api.get('/api/users/me/friends/', { token: friend.access })).body.count).toBe(0);
    expect((await api.get('/api/users/me/friend_requests/', { token: sender.access })).body.count).toBe(0);
    expect((await api.get('/api/users/me/friend_requests/received/', { token: receiver.access })).body.count).toBe(0);
    expect((await api.get('/api/users/me/blocked/', { token: blocker.access })).body.count).toBe(0);
    expect((await api.get(`/api/users/${user.id}/`, { token: friend.access })).status).toBe(404);
    // No row anywhere still refers to the deleted account.
    const references: Array<[string, string]> = [
      ['users', 'id'], ['user_stats', 'user_id'], ['ranked_history', 'user_id'], ['user_pictures', 'user_id'], ['presence', 'user_id'],
      ['blocks', 'blocker_id'], ['blocks', 'blocked_id'], ['friendships', 'user1_id'], ['friendships', 'user2_id'],
      ['friend_requests', 'sender_id'], ['friend_requests', 'receiver_id'], ['chats', 'user_a_id'], ['chats', 'user_b_id'],
      ['chat_messages', 'author_id'],
    ];
    for (const [table, column] of references) {
      const rows = await server.platform.db.selectFrom(table as any).selectAll().where(column as any, '=', user.id).execute();
      expect(rows, `${table}.${column}`).toEqual([]);
    }
    const orphanMessages = await server.platform.db.selectFrom('chat_messages').selectAll().where('chat_id', '=', chat.body.id).execute();
    expect(orphanMessages).toEqual([]);
    expect((await api.get(`/api/chat/${chat.body.id}/`, { token: friend.access })).body).toEqual({ detail: 'You do not belong to this chat.' });
    // The name is free again.
    expect((await api.post('/api/auth/register/', { username: user.username, password: user.password })).status).toBe(201);
    for (const s of Object.values(streams)) s.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, registerUser } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { befriend, openStream } from '../support/social.js';
import { createMatch } from '../support/game.js';
import { closeAll, dropStream, expectSequence, lobbyEvent, nth, pastGrace, player, type Player } from '../support/play.js';

let server: TestServer;
let api: ApiClient;
let internal: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
  internal = new ApiClient(server.internalUrl!);
});
afterAll(async () => server.close());

const REGISTER = { id: 1, name: 'Register', small: '/assets/profile_pictures/register_small.png', medium: '/assets/profile_pictures/register_medium.png' };

async function createLobby(owner: Player, body: Record<string, unknown>) {
  const res = await api.post('/api/play/lobby/', body, { token: owner.access });
  expect(res.status).toBe(201);
  return res.body;
}

async function join(p: Player, code: string) {
  const res = await api.post(`/api/play/lobby/${code}/`, undefined, { token: p.access });
  expect(res.status).toBe(201);
  return res.body;
}

const update = (p: Player, code: string, body: unknown) => api.patch(`/api/play/lobby/${code}/`, body, { token: p.access });

describe('POST /api/play/lobby/ and GET /api/play/lobby/', () => {
  it('creates a custom game (creator in team a) or a clash lobby, and shows it to its members', async () => {
    const alice = await player(server, api);
    const none = await api.get('/api/play/lobby/', { token: alice.access });
    expect([none.status, none.body]).toEqual([404, { detail: 'You do not belong to any lobby.' }]);

    const lobby = await createLobby(alice, { game_mode: 'custom_game' });
    expect(lobby).toEqual({
      id: expect.any(Number), code: expect.stringMatching(/^\d{4}$/), is_full: false, max_participants: 8, created_at: expect.any(String),
      game_mode: 'custom_game', match_type: '1v1', is_ready: false, game_playing: null, bot: false,
      participants: [{ id: alice.id, username: alice.username, profile_picture: REGISTER, creator: true, join_at: expect.any(String), is_ready: false, team: 'a' }],
    });
    const got = await api.get('/api/play/lobby/', { token: alice.access });
    expect([got.status, got.body]).toEqual([200, lobby]);

    // Creating another lobby leaves the first one (alone: deleted silently).
    const clash = await createLobby(alice, { game_mode: 'clash', match_type: '1v1' });
    expect(clash).toMatchObject({ game_mode: 'clash', match_type: '3v3', max_participants: 3 });
    expect(clash.participants[0]).not.toHaveProperty('team');
    expect((await api.post(`/api/play/lobby/${lobby.code}/`, undefined, { token: (await player(server, api)).access })).status).toBe(404);
    await closeAll(alice);
  });

  it('validates the body with the exact texts and refuses guests', async () => {
    const alice = await player(server, api);
    const post = (body: unknown) => api.post('/api/play/lobby/', body, { token: alice.access });
    expect((await post({})).body).toEqual({ game_mode: ['This field is required.'] });
    expect((await post({ game_mode: 'x'.repeat(21) })).body).toEqual({ game_mode: ['Ensure this field has no more than 20 characters.'] });
    expect((await post({ game_mode: 'duel', match_type: 42 })).body).toEqual({
      game_mode: ["Game mode must be 'clash' or 'custom_game'."], match_type: ["Match type must be '1v1' or '3v3'."],
    });
    expect((await post({ game_mode: null, match_type: '1v1v1' })).body).toEqual({
      game_mode: ['This field may not be null.'], match_type: ['Ensure this field has no more than 3 characters.'],
    });
    expect((await post({ game_mode: ['clash'], match_type: null })).body).toEqual({ game_mode: ['Not a valid string.'], match_type: ['This field may not be null.'] });
    expect((await post({ game_mode: 'custom_game', bot: 'maybe' })).body).toEqual({ bot: ['Must be a valid boolean.'] });
    const guest = await player(server, api, { guest: true });
    const refused = await api.post('/api/play/lobby/', { game_mode: 'clash' }, { token: guest.access });
    expect([refused.status, refused.body]).toEqual([403, { detail: 'Guest users cannot perform this action.' }]);
    expect((await api.get('/api/play/lobby/', { token: guest.access })).status).toBe(404);
    await closeAll(alice, guest);
  });
});

describe('a custom 1v1 with a spectator', () => {
  it('sends each participant the exact event sequence and starts the game when both players are ready', async () => {
    const a = await player(server, api);
    const b = await player(server, api);
    const c = await player(server, api);
    const lobby = await createLobby(a, { game_mode: 'custom_game', match_type: '1v1' });
    const joinedB = await join(b, lobby.code);
    expect(joinedB).toEqual({ id: b.id, username: b.username, profile_picture: REGISTER, creator: false, join_at: expect.any(String), is_ready: false, team: 'b' });
    const joinedC = await join(c, lobby.code);
    expect(joinedC.team).toBe('spectator');

    const readyA = await update(a, lobby.code, { is_ready: true });
    expect([readyA.status, readyA.body]).toEqual([200, { id: a.id, username: a.username, profile_picture: REGISTER, creator: true, join_at: expect.any(String), is_ready: true, team: 'a' }]);
    const readyB = await update(b, lobby.code, { is_ready: 'true' });
    expect(readyB.body).toMatchObject({ id: b.id, is_ready: true, team: 'b' });

    await expectSequence(a, ['lobby-join', 'lobby-join', 'lobby-update-participant', 'game-start']);
    await expectSequence(b, ['lobby-join', 'lobby-update-participant', 'game-start']);
    await expectSequence(c, ['lobby-update-participant', 'lobby-update-participant', 'lobby-spectate-game']);

    expect(nth(a, 'lobby-join', 0)).toEqual(lobbyEvent('lobby-join', joinedB, { username: b.id }, `${b.username} have joined the lobby.`));
    expect(nth(b, 'lobby-join', 0)).toEqual(lobbyEvent('lobby-join', joinedC, { username: c.id }, `${c.username} have joined the lobby.`));
    expect(nth(c, 'lobby-update-participant', 0)).toEqual(lobbyEvent('lobby-update-participant', { is_ready: true, id: a.id }));
    expect(nth(c, 'lobby-update-participant', 1)).toEqual(lobbyEvent('lobby-update-participant', { is_ready: true, id: b.id }));
    const match = nth(a, 'game-start').data;
    expect(match).toMatchObject({ game_mode: 'custom_game', match_type: '1v1' });
    expect(match.teams.a.players.map((p: any) => p.id)).toEqual([a.id]);
    expect(match.teams.b.players.map((p: any) => p.id)).toEqual([b.id]);
    expect(nth(c, 'lobby-spectate-game')).toEqual(lobbyEvent('lobby-spectate-game', { code: match.code }));

    const playing = (await api.get('/api/play/lobby/', { token: c.access })).body;
    expect(playing).toMatchObject({ game_playing: match.code, is_ready: false });
    expect(playing.participants.every((p: any) => p.is_ready === false)).toBe(true);
    const refused = await update(a, lobby.code, { is_ready: true });
    expect([refused.status, refused.body]).toEqual([403, { detail: 'You cannot perform this action the lobby is playing.' }]);
    const settings = await api.patch('/api/play/lobby/', { match_type: '3v3' }, { token: a.access });
    expect([settings.status, settings.body]).toEqual([403, { detail: 'You cannot perform this action the lobby is playing.' }]);

    // The game ends: the lobby can start again; a spectator of the game is not "in a game".
    const forfeit = await internal.put(`/api/private/match/finish/${match.id}/`, { user_id: b.id, finish_reason: 'player-disconnect' });
    expect(forfeit.status).toBe(200);
    expect((await api.get('/api/play/lobby/', { token: a.access })).body.game_playing).toBeNull();
    expect((await update(a, lobby.code, { is_ready: true })).status).toBe(200);
    await closeAll(a, b, c);
  });

  it('applies the membership rules with their texts; accepts the Team A / Team B / Spectator spellings', async () => {
    const a = await player(server, api);
    const b = await player(server, api);
    const outsider = await player(server, api);
    const lobby = await createLobby(a, { game_mode: 'custom_game' });
    await join(b, lobby.code);
    const expectAnswer = async (p: Player, body: unknown, status: number, answer: unknown) => {
      const res = await update(p, lobby.code, body);
      expect([res.status, res.body]).toEqual([status, answer]);
    };
    await expectAnswer(outsider, { is_ready: true }, 403, { detail: 'You do not belong to this lobby.' });
    expect((await update(a, '99999', {})).status).toBe(403);
    await expectAnswer(a, { team: 'c', is_ready: 'x' }, 400, { team: ["Match type must be 'Team A', 'Team B' or 'Spectator'."], is_ready: ['Must be a valid boolean.'] });
    await expectAnswer(a, { team: '', is_ready: null }, 400, { team: ['This field may not be blank.'], is_ready: ['This field may not be null.'] });
    await expectAnswer(a, { team: null }, 400, { team: ["Match type must be 'Team A', 'Team B' or 'Spectator'."] });
    await expectAnswer(a, { team: 'a' }, 409, { detail: 'You are already in this team.' });
    await expectAnswer(a, { team: 'Team B' }, 403, { detail: 'Team is full.' });
    await expectAnswer(a, { team: 'Spectator', is_ready: true }, 403, { detail: 'You cannot set ready as a spectator.' });
    const moved = await update(b, lobby.code, { team: 'Spectator' });
    expect([moved.status, moved.body.team]).toEqual([200, 'spectator']);
    await expectAnswer(b, { is_ready: false }, 403, { detail: 'You cannot set ready as a spectator.' });
    expect((await update(b, lobby.code, { team: 'b' })).body.team).toBe('b');
    await expectSequence(a, ['lobby-join', 'lobby-update-participant', 'lobby-update-participant']);
    expect(nth(a, 'lobby-update-participant', 0).data).toEqual({ team: 'spectator', id: b.id });
    expect(nth(a, 'lobby-update-participant', 1).data).toEqual({ team: 'b', id: b.id });

    const clash = await createLobby(outsider, { game_mode: 'clash' });
    const clashTeam = await update(outsider, clash.code, { team: 'a' });
    expect([clashTeam.status, clashTeam.body]).toEqual([403, { detail: 'You cannot update team in clash mode.' }]);
    await closeAll(a, b, outsider);
  });

  it('changes the settings (creator only; 405 for clash) and demotes to spectator when going from 3v3 to 1v1', async () => {
    const members: Player[] = [];
    for (let i = 0; i < 6; i++) members.push(await player(server, api));
    const [a1, b1, a2, b2, a3, b3] = members;
    const lobby = await createLobby(a1, { game_mode: 'custom_game', match_type: '3v3' });
    for (const p of [b1, a2, b2, a3, b3]) await join(p, lobby.code);
    const teams = (await api.get('/api/play/lobby/', { token: a1.access })).body.participants.map((p: any) => [p.id, p.team]);
    expect(teams).toEqual([[a1.id, 'a'], [b1.id, 'a'], [a2.id, 'a'], [b2.id, 'b'], [a3.id, 'b'], [b3.id, 'b']]);
    expect((await update(a2, lobby.code, { is_ready: true })).status).toBe(200);

    const notCreator = await api.patch('/api/play/lobby/', { match_type: '1v1' }, { token: b1.access });
    expect([notCreator.status, notCreator.body]).toEqual([403, { detail: 'Only creator can update this lobby.' }]);
    const bad = await api.patch('/api/play/lobby/', { match_type: '2v2' }, { token: a1.access });
    expect([bad.status, bad.body]).toEqual([400, { match_type: ["Match type must be '1v1' or '3v3'."] }]);
    const putWithout = await api.put('/api/play/lobby/', { match_type: '1v1' }, { token: a1.access });
    expect([putWithout.status, putWithout.body]).toEqual([400, { game_mode: ['This field is required.'] }]);

    const changed = await api.patch('/api/play/lobby/', { match_type: '1v1', game_mode: 'clash' }, { token: a1.access });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ match_type: '1v1', game_mode: 'custom_game' });
    expect(changed.body.participants.map((p: any) => [p.id, p.team])).toEqual([[a1.id, 'a'], [b1.id, 'spectator'], [a2.id, 'spectator'], [b2.id, 'b'], [a3.id, 'spectator'], [b3.id, 'spectator']]);
    const demotions = ['lobby-update-participant', 'lobby-update-participant', 'lobby-update-participant', 'lobby-update-participant'];
    for (const [index, p] of members.entries()) {
      const joins = Array(5 - index).fill('lobby-join');
      const readyOfA2 = p === a2 ? [] : ['lobby-update-participant'];
      await expectSequence(p, [...joins, ...readyOfA2, ...demotions, ...(p === a1 ? [] : ['lobby-update'])]);
    }
    expect(a2.stream.notifications.filter((e) => e.event === 'lobby-update-participant').map((e) => e.envelope.data)).toEqual([
      { team: 'spectator', id: b1.id }, { team: 'spectator', is_ready: false, id: a2.id }, { team: 'spectator', id: a3.id }, { team: 'spectator', id: b3.id },
    ]);
    expect(nth(b2, 'lobby-update')).toEqual(lobbyEvent('lobby-update', { match_type: '1v1' }));

    const clashOwner = await player(server, api);
    await createLobby(clashOwner, { game_mode: 'clash' });
    const clash = await api.patch('/api/play/lobby/', { match_type: '1v1' }, { token: clashOwner.access });
    expect([clash.status, clash.body]).toEqual([405, { detail: 'Method "PATCH" not allowed.' }]);
    await closeAll(...members, clashOwner);
  });
});

describe('leaving, creator hand-over and destruction', () => {
  it('hands the creator flag to the earliest registered member', async () => {
    const a = await player(server, api);
    const b = await player(server, api);
    const g = await player(server, api, { guest: true });
    const lobby = await createLobby(a, { game_mode: 'custom_game' });
    await join(g, lobby.code);
    await join(b, lobby.code);
    const notMember = await api.delete(`/api/play/lobby/${lobby.code}/`, undefined, { token: (await player(server, api)).access });
    expect([notMember.status, notMember.body]).toEqual([403, { detail: 'You do not belong to this lobby.' }]);
    expect((await api.delete(`/api/play/lobby/${lobby.code}/`, undefined, { token: a.access })).status).toBe(204);
    await expectSequence(b, ['lobby-leave', 'lobby-update-participant']);
    await expectSequence(g, ['lobby-join', 'lobby-leave', 'lobby-update-participant']);
    for (const p of [b, g]) {
      expect(nth(p, 'lobby-leave')).toEqual(lobbyEvent('lobby-leave', { id: a.id }, { username: a.id }, `${a.username} have left the lobby.`));
      expect(nth(p, 'lobby-update-participant')).toEqual(lobbyEvent('lobby-update-participant', { creator: true, id: b.id }));
    }
    const after = (await api.get('/api/play/lobby/', { token: g.access })).body;
    expect(after.participants.map((p: any) => [p.id, p.creator])).toEqual([[g.id, false], [b.id, true]]);
    await closeAll(a, b, g);
  });

  it('destroys the lobby when only guests remain', async () => {
    const a = await player(server, api);
    const g1 = await player(server, api, { guest: true });
    const g2 = await player(server, api, { guest: true });
    const lobby = await createLobby(a, { game_mode: 'custom_game' });
    await join(g1, lobby.code);
    await join(g2, lobby.code);
    expect((await api.delete(`/api/play/lobby/${lobby.code}/`, undefined, { token: a.access })).status).toBe(204);
    await expectSequence(g1, ['lobby-join', 'lobby-leave', 'lobby-destroy']);
    await expectSequence(g2, ['lobby-leave', 'lobby-destroy']);
    expect(nth(g2, 'lobby-destroy')).toEqual(lobbyEvent('lobby-destroy', {}, null, 'The lobby has been destroyed.'));
    for (const p of [a, g1, g2]) expect((await api.get('/api/play/lobby/', { token: p.access })).status).toBe(404);
    await closeAll(a, g1, g2);
  });

  it('drops a member whose last stream closes from a lobby that is not playing', async () => {
    const a = await player(server, api);
    const b = await player(server, api);
    const lobby = await createLobby(a, { game_mode: 'clash' });
    await join(b, lobby.code);
    await dropStream(server, b);
    await pastGrace(server);
    await expectSequence(a, ['lobby-join', 'lobby-leave'], 300);
    expect((await api.get('/api/play/lobby/', { token: a.access })).body.participants).toHaveLength(1);
    await closeAll(a);
  });
});

describe('a member who goes offline during the lobby\'s game', () => {
  it('stays while it is played, and leaves the lobby when it ends (his seat is free again)', async () => {
    const a = await player(server, api);
    const b = await player(server, api);
    const lobby = await createLobby(a, { game_mode: 'custom_game', match_type: '1v1' });
    await join(b, lobby.code);
    expect((await update(a, lobby.code, { is_ready: true })).status).toBe(200);
    expect((await update(b, lobby.code, { is_ready: true })).status).toBe(200);
    await expectSequence(a, ['lobby-join', 'lobby-update-participant', 'game-start']);
    const match = nth(a, 'game-start').data;

    // B closes his tab mid-game: still a member while the game goes on.
    await dropStream(server, b);
    await pastGrace(server);
    expect((await api.get('/api/play/lobby/', { token: a.access })).body.participants.map((p: any) => p.id)).toEqual([a.id, b.id]);

    const forfeit = await internal.put(`/api/private/match/finish/${match.id}/`, { user_id: b.id, finish_reason: 'player-disconnect' });
    expect(forfeit.status).toBe(200);
    await expectSequence(a, ['lobby-join', 'lobby-update-participant', 'game-start', 'lobby-leave'], 300);
    expect(nth(a, 'lobby-leave').data).toEqual({ id: b.id });
    const after = (await api.get('/api/play/lobby/', { token: a.access })).body;
    expect(after.participants.map((p: any) => p.id)).toEqual([a.id]);
    expect(after.game_playing).toBeNull();
    // A newcomer takes the free seat.
    const c = await player(server, api);
    expect((await join(c, lobby.code)).team).toBe('b');
    await closeAll(a, c);
  });
});

describe('joining', () => {
  it('answers the join checks in order, with their texts', async () => {
    const a = await player(server, api);
    const b = await player(server, api);
    const c = await player(server, api);
    const d = await player(server, api);
    const unknown = await api.post('/api/play/lobby/abcd/', undefined, { token: b.access });
    expect([unknown.status, unknown.body]).toEqual([404, { detail: 'Lobby not found.' }]);
    const lobby = await createLobby(a, { game_mode: 'clash' });
    await join(b, lobby.code);
    const again = await api.post(`/api/play/lobby/${lobby.code}/`, undefined, { token: b.access });
    expect([again.status, again.body]).toEqual([409, { detail: 'You already joined this lobby.' }]);
    await join(c, lobby.code);
    const full = await api.post(`/api/play/lobby/${lobby.code}/`, undefined, { token: d.access });
    expect([full.status, full.body]).toEqual([403, { detail: 'Lobby is full.' }]);
    expect((await api.get('/api/play/lobby/', { token: a.access })).body.is_full).toBe(true);

    // The creator blocked d: d cannot find the lobby, even with a free seat.
    await api.delete(`/api/play/lobby/${lobby.code}/`, undefined, { token: c.access });
    expect((await api.post('/api/users/me/blocked/', { user_id: d.id }, { token: a.access })).status).toBe(201);
    const blocked = await api.post(`/api/play/lobby/${lobby.code}/`, undefined, { token: d.access });
    expect([blocked.status, blocked.body]).toEqual([404, { detail: 'Lobby not found.' }]);
    // ... nor when d is the one who blocked.
    const e = await player(server, api);
    expect((await api.post('/api/users/me/blocked/', { user_id: a.id }, { token: e.access })).status).toBe(201);
    expect((await api.post(`/api/play/lobby/${lobby.code}/`, undefined, { token: e.access })).status).toBe(404);
    await closeAll(a, b, c, d, e);
  });
});

describe('bans and blocks inside a lobby', () => {
  it('bans: lobby-banned to the banned user, lobby-leave to everyone else; the banned user cannot come back', async () => {
    const a = await player(server, api);
    const b = await player(server, api);
    const c = await player(server, api);
    const lobby = await createLobby(a, { game_mode: 'custom_game' });
    await join(b, lobby.code);
    await join(c, lobby.code);
    const ban = (p: Player, userId: number) => api.delete(`/api/play/lobby/${lobby.code}/ban/${userId}/`, undefined, { token: p.access });

    expect((await ban(a, a.id)).body).toEqual({ detail: 'You cannot ban yourself.' });
    const notCreator = await ban(b, c.id);
    expect([notCreator.status, notCreator.body]).toEqual([403, { detail: 'Only the lobby creator can ban a user.' }]);
    const outsider = await player(server, api);
    const notMember = await ban(a, outsider.id);
    expect([notMember.status, notMember.body]).toEqual([404, { detail: 'This user does not belong to this lobby.' }]);
    expect((await api.delete(`/api/play/lobby/0000x/ban/${b.id}/`, undefined, { token: a.access })).body).toEqual({ detail: 'You do not belong to this lobby.' });

    expect((await ban(a, b.id)).status).toBe(204);
    await expectSequence(b, ['lobby-join', 'lobby-banned']);
    expect(nth(b, 'lobby-banned')).toEqual(lobbyEvent('lobby-banned', {}, null, 'You have been banned from this lobby.'));
    await expectSequence(a, ['lobby-join', 'lobby-join', 'lobby-leave']);
    await expectSequence(c, ['lobby-leave']);
    expect(nth(c, 'lobby-leave').data).toEqual({ id: b.id });
    const back = await api.post(`/api/play/lobby/${lobby.code}/`, undefined, { token: b.access });
    expect([back.status, back.body]).toEqual([404, { detail: 'Lobby not found.' }]);
    const guest = await player(server, api, { guest: true });
    await join(guest, lobby.code);
    expect((await api.delete(`/api/play/lobby/${lobby.code}/ban/${c.id}/`, undefined, { token: guest.access })).status).toBe(403);
    await closeAll(a, b, c, outsider, guest);
  });

  it('a block between the creator and a member removes the creator\'s counterpart, without a ban', async () => {
    const a = await player(server, api);
    const b = await player(server, api);
    const c = await player(server, api);
    const lobby = await createLobby(a, { game_mode: 'custom_game' });
    await join(b, lobby.code);
    await join(c, lobby.code);
    // A member blocks the creator: the member goes.
    const block = await api.post('/api/users/me/blocked/', { user_id: a.id }, { token: b.access });
    expect(block.status).toBe(201);
    await expectSequence(b, ['lobby-join', 'lobby-banned']);
    await expectSequence(a, ['lobby-join', 'lobby-join', 'lobby-leave']);
    await expectSequence(c, ['lobby-leave']);
    // Two plain members: nothing happens.
    const d = await player(server, api);
    await join(d, lobby.code);
    expect((await api.post('/api/users/me/blocked/', { user_id: d.id }, { token: c.access })).status).toBe(201);
    await new Promise((r) => setTimeout(r, 100));
    expect((await api.get('/api/play/lobby/', { token: a.access })).body.participants.map((p: any) => p.id)).toEqual([a.id, c.id, d.id]);
    // Once unblocked, b may come back (no ban was recorded).
    const entry = (await api.get('/api/users/me/blocked/', { token: b.access })).body.results[0];
    expect((await api.delete(`/api/users/me/blocked/${entry.id}/`, undefined, { token: b.access })).status).toBe(204);
    await join(b, lobby.code);
    await closeAll(a, b, c, d);
  });
});

describe('invitations and messages', () => {
  it('invites a friend with the event of the lobby kind, after the invitation checks', async () => {
    const a = await player(server, api);
    // Friends before the friend's stream opens: only play events reach it.
    const friendUser = await registerUser(api);
    await befriend(api, a, friendUser);
    const friend: Player = { ...friendUser, stream: await openStream(server, api, friendUser) };
    const stranger = await registerUser(api);
    const lobby = await createLobby(a, { game_mode: 'custom_game' });
    const invite = (p: Player, code: string, userId: number) => api.post(`/api/play/lobby/${code}/invite/${userId}/`, undefined, { token: p.access });

    expect((await invite(a, lobby.code, a.id)).body).toEqual({ detail: 'You cannot invite yourself.' });
    expect((await invite(a, '9x9x', friend.id)).body).toEqual({ detail: 'You do not belong to this lobby.' });
    const notFriends = await invite(a, lobby.code, stranger.id);
    expect([notFriends.status, notFriends.body]).toEqual([403, { detail: 'You can only invite friends.' }]);
    const ok = await invite(a, lobby.code, friend.id);
    expect([ok.status, ok.text]).toEqual([204, '']);
    await expectSequence(friend, ['invite-1v1']);
    expect(nth(friend, 'invite-1v1')).toEqual({
      service: 'invite', event_code: 'invite-1v1', type: 'notification', message: `${a.username} has challenged you to a game.`,
      target: [{ url: `/lobby/${lobby.code}`, type: 'url', method: null, display_name: 'join', display_icon: null }],
      data: { id: a.id, code: lobby.code }, kwargs: { username: a.id },
    });
    await join(friend, lobby.code);
    const inside = await invite(a, lobby.code, friend.id);
    expect([inside.status, inside.body]).toEqual([409, { detail: 'This user is already in this lobby.' }]);
    const notCreator = await invite(friend, lobby.code, a.id);
    expect([notCreator.status, notCreator.body]).toEqual([403, { detail: 'Only the lobby creator can invite users.' }]);

    await api.patch('/api/play/lobby/', { match_type: '3v3' }, { token: a.access });
    await api.delete(`/api/play/lobby/${lobby.code}/`, undefined, { token: friend.access });
    expect((await invite(a, lobby.code, friend.id)).status).toBe(204);
    const clash = await createLobby(a, { game_mode: 'clash' });
    expect((await invite(a, clash.code, friend.id)).status).toBe(204);
    await expectSequence(friend, ['invite-1v1', 'lobby-update', 'invite-3v3', 'invite-clash']);
    expect(nth(friend, 'invite-3v3').message).toBe(`${a.username} inviting you to join an epic 3v3 friendly battle.`);
    expect(nth(friend, 'invite-clash')).toMatchObject({ message: `${a.username} inviting you to join a clash game.`, data: { id: a.id, code: clash.code } });
    await closeAll(a, friend);
  });

  it('relays a message to the other members', async () => {
    const a = await player(server, api);
    const g = await player(server, api, { guest: true });
    const lobby = await createLobby(a, { game_mode: 'clash' });
    await join(g, lobby.code);
    const post = (p: Player, body: unknown, code = lobby.code) => api.post(`/api/play/lobby/${code}/message/`, body, { token: p.access });
    expect((await post(g, {})).body).toEqual({ content: ['This field is required.'] });
    expect((await post(g, { content: '   ' })).body).toEqual({ content: ['This field may not be blank.'] });
    expect((await post(g, { content: true })).body).toEqual({ content: ['Not a valid string.'] });
    expect((await post(g, { content: 'hi' }, '0000')).body).toEqual({ detail: 'You do not belong to this lobby.' });
    const sent = await post(g, { content: '  hello there ' });
    expect([sent.status, sent.body]).toEqual([201, { id: g.id, content: 'hello there' }]);
    await expectSequence(a, ['lobby-join', 'lobby-message']);
    expect(nth(a, 'lobby-message')).toEqual(lobbyEvent('lobby-message', {}, { username: g.id, message: 'hello there' }, `${g.username}: hello there`));
    await expectSequence(g, []);
    await closeAll(a, g);
  });
});

describe('clash: a 3v3 match formed from two lobbies', () => {
  it('puts the lobby that became ready in team a and the waiting one in team b; both lobbies play the match', async () => {
    const l1 = [await player(server, api), await player(server, api), await player(server, api)];
    const l2 = [await player(server, api), await player(server, api), await player(server, api)];
    const first = await createLobby(l1[0], { game_mode: 'clash' });
    await join(l1[1], first.code);
    await join(l1[2], first.code);
    for (const p of l1) expect((await update(p, first.code, { is_ready: true })).status).toBe(200);
    expect((await api.get('/api/play/lobby/', { token: l1[0].access })).body).toMatchObject({ is_ready: true, game_playing: null });

    const second = await createLobby(l2[0], { game_mode: 'clash' });
    await join(l2[1], second.code);
    await join(l2[2], second.code);
    for (const p of l2) expect((await update(p, second.code, { is_ready: true })).status).toBe(200);

    await expectSequence(l1[0], ['lobby-join', 'lobby-join', 'lobby-update-participant', 'lobby-update-participant', 'game-start']);
    await expectSequence(l1[1], ['lobby-join', 'lobby-update-participant', 'lobby-update-participant', 'game-start']);
    await expectSequence(l1[2], ['lobby-update-participant', 'lobby-update-participant', 'game-start']);
    await expectSequence(l2[0], ['lobby-join', 'lobby-join', 'lobby-update-participant', 'lobby-update-participant', 'game-start']);
    await expectSequence(l2[2], ['lobby-update-participant', 'lobby-update-participant', 'game-start']);
    const match = nth(l1[0], 'game-start').data;
    expect(match).toMatchObject({ game_mode: 'clash', match_type: '3v3' });
    expect(match.teams.a.players.map((p: any) => p.id)).toEqual(l2.map((p) => p.id));
    expect(match.teams.b.players.map((p: any) => p.id)).toEqual(l1.map((p) => p.id));
    for (const p of [l1[1], l2[1]]) expect((await api.get('/api/play/lobby/', { token: p.access })).body).toMatchObject({ game_playing: match.code, is_ready: false });
    await closeAll(...l1, ...l2);
  });

  it('never puts two users with a block between them in one team; a newcomer takes a waiting lobby out of the pool', async () => {
    const [u1, u2, u3, u4] = [await player(server, api), await player(server, api), await player(server, api), await player(server, api)];
    const l1 = await createLobby(u1, { game_mode: 'clash' });
    await join(u2, l1.code);
    for (const p of [u1, u2]) await update(p, l1.code, { is_ready: true });
    const l2 = await createLobby(u3, { game_mode: 'clash' });
    expect((await api.post('/api/users/me/blocked/', { user_id: u1.id }, { token: u3.access })).status).toBe(201);
    await update(u3, l2.code, { is_ready: true });
    // A single lobby of one (u4): team a = {u4} + L1 (bigger) ; team b would need L2 (3 places)... only 1 player: nothing starts.
    const l4 = await createLobby(u4, { game_mode: 'clash' });
    await update(u4, l4.code, { is_ready: true });
    for (const p of [u1, u3, u4]) expect((await api.get('/api/play/lobby/', { token: p.access })).body.game_playing).toBeNull();
    // A newcomer in L1 takes it out of the pool.
    const u5 = await player(server, api);
    await join(u5, l1.code);
    expect((await api.get('/api/play/lobby/', { token: u1.access })).body.is_ready).toBe(false);
    await closeAll(u1, u2, u3, u4, u5);
  });
});

describe('the already-playing rule on lobbies', () => {
  it('refuses a player of a running match with 409 on create and join', async () => {
    const a = await player(server, api);
    const x = await player(server, api);
    const y = await player(server, api);
    const lobby = await createLobby(a, { game_mode: 'custom_game' });
    await createMatch(internal, 'duel', [x], [y]);
    const create = await api.post('/api/play/lobby/', { game_mode: 'clash' }, { token: x.access });
    expect([create.status, create.body]).toEqual([409, { detail: 'You are already in a game.' }]);
    const joined = await api.post(`/api/play/lobby/${lobby.code}/`, undefined, { token: y.access });
    expect([joined.status, joined.body]).toEqual([409, { detail: 'You are already in a game.' }]);
    await closeAll(a, x, y);
  });
});

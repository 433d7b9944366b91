import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conflict } from '../../src/platform/http/errors.js';
import { ApiClient, createGuest, registerUser } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createMatch } from '../support/game.js';
import { closeAll, dropStream, expectSequence, matchmakerSettled, nth, pastGrace, player, tick } from '../support/play.js';

let server: TestServer;
let api: ApiClient;
let internal: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
  internal = new ApiClient(server.internalUrl!);
});
afterAll(async () => server.close());

const SSE_REQUIRED = { detail: 'You need to be connected to SSE to access this resource.', code: 'sse_connection_required' };

describe('the SSE requirement and the guest rule', () => {
  it('answers 401 sse_connection_required on every play endpoint to a caller without an open stream', async () => {
    const user = await registerUser(api);
    const calls: Array<[string, string]> = [
      ['POST', '/api/play/duel/'], ['DELETE', '/api/play/duel/'], ['POST', '/api/play/ranked/'], ['DELETE', '/api/play/ranked/'],
      ['POST', '/api/play/lobby/'], ['GET', '/api/play/lobby/'], ['PATCH', '/api/play/lobby/'], ['PUT', '/api/play/lobby/'],
      ['POST', '/api/play/lobby/1234/'], ['PATCH', '/api/play/lobby/1234/'], ['DELETE', '/api/play/lobby/1234/'],
      ['DELETE', `/api/play/lobby/1234/ban/${user.id}/`], ['POST', `/api/play/lobby/1234/invite/${user.id}/`], ['POST', '/api/play/lobby/1234/message/'],
      // A method the path does not offer: still the 401 first.
      ['GET', '/api/play/duel/'],
    ];
    for (const [method, path] of calls) {
      const res = await api.request(method, path, { token: user.access, body: {} });
      expect([method, path, res.status, res.body]).toEqual([method, path, 401, SSE_REQUIRED]);
    }
    const anonymous = await api.post('/api/play/duel/');
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'not_authenticated']);
    // ?token= is not accepted on play endpoints.
    const viaQuery = await api.post(`/api/play/duel/?token=${user.access}`);
    expect([viaQuery.status, viaQuery.body.code]).toEqual([401, 'not_authenticated']);
  });

  it('refuses guests on every method of /api/play/ranked/, after the SSE check and before the 405', async () => {
    const guest = await player(server, api, { guest: true });
    for (const method of ['POST', 'DELETE', 'GET']) {
      const res = await api.request(method, '/api/play/ranked/', { token: guest.access });
      expect([method, res.status, res.body]).toEqual([method, 403, { detail: 'Guest users cannot perform this action.' }]);
    }
    const offlineGuest = await createGuest(api);
    expect((await api.post('/api/play/ranked/', undefined, { token: offlineGuest.access })).body).toEqual(SSE_REQUIRED);
    // Guests may play duels.
    const duel = await api.post('/api/play/duel/', undefined, { token: guest.access });
    expect(duel.status).toBe(201);
    expect((await api.delete('/api/play/duel/', undefined, { token: guest.access })).status).toBe(204);
    const put = await api.put('/api/play/duel/', {}, { token: guest.access });
    expect([put.status, put.body]).toEqual([405, { detail: 'Method "PUT" not allowed.' }]);
    await closeAll(guest);
  });
});

describe('the duel queue', () => {
  it('matches two players: game-start to both, the newcomer in team a, the match created in the game feature', async () => {
    const alice = await player(server, api);
    const bob = await player(server, api);
    const first = await api.post('/api/play/duel/', {}, { token: alice.access });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: alice.id, game_mode: 'duel', trophies: 0, join_at: new Date(server.clock.now()).toISOString() });
    await matchmakerSettled(server);
    expect(alice.stream.notifications).toEqual([]);

    const second = await api.post('/api/play/duel/', undefined, { token: bob.access });
    expect(second.status).toBe(201);
    await matchmakerSettled(server);
    await expectSequence(alice, ['game-start']);
    await expectSequence(bob, ['game-start']);
    const start = nth(alice, 'game-start');
    expect(start).toMatchObject({ service: 'game', event_code: 'game-start', message: 'You play in a game.' });
    expect(start.data).toMatchObject({ game_mode: 'duel', match_type: '1v1', finished: false });
    expect(start.data.teams.a.players.map((p: any) => p.id)).toEqual([bob.id]);
    expect(start.data.teams.b.players.map((p: any) => p.id)).toEqual([alice.id]);
    expect(nth(bob, 'game-start').data).toEqual(start.data);

    const live = await internal.get(`/api/private/match/${alice.id}/`);
    expect([live.status, live.body.code]).toEqual([200, start.data.code]);
    expect((await server.platform.play.queues.entryOf(alice.id))).toBeNull();
    expect((await server.platform.play.queues.entryOf(bob.id))).toBeNull();

    // Both are in a game now: 409 `You are already in a game.`
    for (const path of ['/api/play/duel/', '/api/play/ranked/', '/api/play/lobby/']) {
      const res = await api.post(path, { game_mode: 'clash' }, { token: alice.access });
      expect([path, res.status, res.body]).toEqual([path, 409, { detail: 'You are already in a game.' }]);
    }
    await closeAll(alice, bob);
  });

  it('pairs first come, first served and never matches anybody twice', async () => {
    const players = [];
    for (let i = 0; i < 5; i++) players.push(await player(server, api));
    for (const p of players) expect((await api.post('/api/play/duel/', undefined, { token: p.access })).status).toBe(201);
    await matchmakerSettled(server);
    await tick(server, 1000);
    for (const p of players.slice(0, 4)) await expectSequence(p, ['game-start']);
    await expectSequence(players[4], []);
    expect(nth(players[0], 'game-start').data.teams.a.players[0].id).toBe(players[1].id);
    expect(nth(players[2], 'game-start').data.teams.a.players[0].id).toBe(players[3].id);
    expect(await server.platform.play.queues.entryOf(players[4].id)).toMatchObject({ id: players[4].id, game_mode: 'duel' });
    // Out of the queue before his stream closes: within the reconnection grace he could still be matched in the next test.
    expect((await api.delete('/api/play/duel/', undefined, { token: players[4].access })).status).toBe(204);
    await closeAll(...players);
  });

  it('keeps one entry per user: posting again replaces it; DELETE on either path removes it; 404 when not queued', async () => {
    const alice = await player(server, api);
    const notQueued = await api.delete('/api/play/duel/', undefined, { token: alice.access });
    expect([notQueued.status, notQueued.body]).toEqual([404, { detail: 'You are not currently playing.' }]);
    expect((await api.post('/api/play/duel/', undefined, { token: alice.access })).status).toBe(201);
    server.clock.advance(1000);
    const ranked = await api.post('/api/play/ranked/', undefined, { token: alice.access });
    expect(ranked.body).toMatchObject({ id: alice.id, game_mode: 'ranked', join_at: new Date(server.clock.now()).toISOString() });
    expect(await server.platform.play.queues.entryOf(alice.id)).toMatchObject({ game_mode: 'ranked' });
    expect((await api.delete('/api/play/duel/', undefined, { token: alice.access })).status).toBe(204);
    expect(await server.platform.play.queues.entryOf(alice.id)).toBeNull();
    expect((await api.delete('/api/play/ranked/', undefined, { token: alice.access })).status).toBe(404);
    const badBody = await api.request('POST', '/api/play/duel/', { token: alice.access, rawBody: '[1]' });
    expect([badBody.status, badBody.body]).toEqual([400, { detail: 'Data must be a dictionary.' }]);
    await closeAll(alice);
  });

  it('removes the entry when the user\'s last stream closes', async () => {
    const alice = await player(server, api);
    expect((await api.post('/api/play/duel/', undefined, { token: alice.access })).status).toBe(201);
    expect(await server.platform.play.queues.entryOf(alice.id)).not.toBeNull();
    await dropStream(server, alice);
    await pastGrace(server);
    expect(await server.platform.play.queues.entryOf(alice.id)).toBeNull();
    const bob = await player(server, api);
    expect((await api.post('/api/play/duel/', undefined, { token: bob.access })).status).toBe(201);
    await tick(server, 500);
    await expectSequence(bob, []);
    await api.delete('/api/play/duel/', undefined, { token: bob.access });
    await closeAll(bob);
  });
});

describe('the ranked queue', () => {
  it('keeps the fixed ±50 window by default: the closest entry in range is taken, a pair 100 apart waits however long', async () => {
    const a = await player(server, api, { trophies: 3000 });
    const b = await player(server, api, { trophies: 3100 });
    expect((await api.post('/api/play/ranked/', undefined, { token: a.access })).status).toBe(201);
    expect((await api.post('/api/play/ranked/', undefined, { token: b.access })).status).toBe(201);
    await tick(server, 60_000);
    await expectSequence(a, [], 50);
    await expectSequence(b, [], 50);
    // 49 from A and 51 from B: only A is in range.
    const c = await player(server, api, { trophies: 3049 });
    expect((await api.post('/api/play/ranked/', undefined, { token: c.access })).status).toBe(201);
    await matchmakerSettled(server);
    await expectSequence(a, ['game-start']);
    await expectSequence(c, ['game-start']);
    await expectSequence(b, []);
    expect((await api.delete('/api/play/ranked/', undefined, { token: b.access })).status).toBe(204);
    await closeAll(a, b, c);
  });
});

describe('the ranked queue with RANKED_WINDOW_GROWTH_PER_SECOND=10', () => {
  let server: TestServer;
  let api: ApiClient;
  beforeAll(async () => {
    server = await startTestServer({ env: { RANKED_WINDOW_GROWTH_PER_SECOND: '10' } });
    api = new ApiClient(server.publicUrl);
  });
  afterAll(async () => server.close());

  it('matches within the trophy window only; a pair out of range is matched once the window has widened to it', async () => {
    const a = await player(server, api, { trophies: 1000 });
    const b = await player(server, api, { trophies: 1100 });
    expect((await api.post('/api/play/ranked/', undefined, { token: a.access })).body).toMatchObject({ id: a.id, game_mode: 'ranked', trophies: 1000 });
    expect((await api.post('/api/play/ranked/', undefined, { token: b.access })).body.trophies).toBe(1100);
    await tick(server, 1000);
    await expectSequence(a, [], 50);
    await expectSequence(b, [], 50);

    // C (1049) is 49 from A and 51 from B: matched with A (the closest in range).
    const c = await player(server, api, { trophies: 1049 });
    expect((await api.post('/api/play/ranked/', undefined, { token: c.access })).status).toBe(201);
    await matchmakerSettled(server);
    await expectSequence(a, ['game-start']);
    await expectSequence(c, ['game-start']);
    await expectSequence(b, []);
    const match = nth(c, 'game-start').data;
    expect(match.game_mode).toBe('ranked');
    expect(match.teams.a.players.map((p: any) => p.id)).toEqual([c.id]);
    expect(match.teams.b.players.map((p: any) => p.id)).toEqual([a.id]);

    // D (1200) is 100 from B: out of B's window (±60 after 1 s) until B has waited 5 s (±100).
    const d = await player(server, api, { trophies: 1200 });
    expect((await api.post('/api/play/ranked/', undefined, { token: d.access })).status).toBe(201);
    await tick(server, 3750);
    await expectSequence(b, [], 50);
    await expectSequence(d, [], 50);
    await tick(server, 250);
    await expectSequence(b, ['game-start']);
    await expectSequence(d, ['game-start']);
    const second = nth(b, 'game-start').data;
    expect(second.teams.a.players.map((p: any) => p.id)).toEqual([d.id]);
    expect(second.teams.b.players.map((p: any) => p.id)).toEqual([b.id]);
    await closeAll(a, b, c, d);
  });
});

describe('the already-playing rule across queue and lobby', () => {
  it('moves an idle user out of his lobby when he queues, and refuses a player of a running match', async () => {
    const owner = await player(server, api);
    const member = await player(server, api);
    const lobby = await api.post('/api/play/lobby/', { game_mode: 'custom_game' }, { token: owner.access });
    expect((await api.post(`/api/play/lobby/${lobby.body.code}/`, undefined, { token: member.access })).status).toBe(201);
    expect((await api.post('/api/play/duel/', undefined, { token: member.access })).status).toBe(201);
    await expectSequence(owner, ['lobby-join', 'lobby-leave']);
    expect(nth(owner, 'lobby-leave').data).toEqual({ id: member.id });

    // Queued, then creating a lobby: the entry goes.
    expect((await api.post('/api/play/lobby/', { game_mode: 'clash' }, { token: member.access })).status).toBe(201);
    expect(await server.platform.play.queues.entryOf(member.id)).toBeNull();

    const x = await player(server, api);
    const y = await player(server, api);
    await createMatch(internal, 'duel', [x], [y]);
    for (const [method, path, body] of [['POST', '/api/play/duel/', {}], ['POST', '/api/play/lobby/', { game_mode: 'custom_game' }], ['POST', `/api/play/lobby/${lobby.body.code}/`, {}]] as const) {
      const res = await api.request(method, path, { token: x.access, body });
      expect([path, res.status, res.body]).toEqual([path, 409, { detail: 'You are already in a game.' }]);
    }
    await closeAll(owner, member, x, y);
  });
});

describe('account deletion and the activity registry', () => {
  it('drops a deleted account from its queue and its lobby (creator hand-over included)', async () => {
    const owner = await player(server, api);
    const member = await player(server, api);
    const queued = await player(server, api);
    const lobby = (await api.post('/api/play/lobby/', { game_mode: 'custom_game' }, { token: owner.access })).body;
    expect((await api.post(`/api/play/lobby/${lobby.code}/`, undefined, { token: member.access })).status).toBe(201);
    expect((await api.post('/api/play/duel/', undefined, { token: queued.access })).status).toBe(201);

    expect((await api.delete('/api/users/me/', { password: owner.password }, { token: owner.access })).status).toBe(204);
    await expectSequence(member, ['lobby-leave', 'lobby-update-participant']);
    expect(nth(member, 'lobby-leave')).toMatchObject({ data: { id: owner.id }, message: 'DeleteUser have left the lobby.' });
    expect(nth(member, 'lobby-update-participant').data).toEqual({ creator: true, id: member.id });

    expect((await api.delete('/api/users/me/', { password: queued.password }, { token: queued.access })).status).toBe(204);
    expect(await server.platform.play.queues.entryOf(queued.id)).toBeNull();
    await closeAll(owner, member, queued);
  });

  it('lets another feature (tournaments) add its own refusal and release, in the order of the exclusivity check', async () => {
    const competing = new Set<number>();
    const released: number[] = [];
    server.platform.play.activities.register({
      name: 'test-tournament',
      rank: 10,
      async refuse(userId) {
        if (competing.has(userId)) throw conflict('You are already in a tournament.');
      },
      async release(userId) { released.push(userId); },
      async drop() {},
    });
    const alice = await player(server, api);
    const bob = await player(server, api);
    competing.add(alice.id);
    for (const [path, body] of [['/api/play/duel/', {}], ['/api/play/ranked/', {}], ['/api/play/lobby/', { game_mode: 'clash' }]] as const) {
      const res = await api.post(path, body, { token: alice.access });
      expect([path, res.status, res.body]).toEqual([path, 409, { detail: 'You are already in a tournament.' }]);
    }
    expect(released).toEqual([]);
    expect((await api.post('/api/play/duel/', undefined, { token: bob.access })).status).toBe(201);
    expect(released).toEqual([bob.id]);
    competing.clear();
    await api.delete('/api/play/duel/', undefined, { token: bob.access });
    await closeAll(alice, bob);
  });
});

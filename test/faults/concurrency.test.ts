import { describe, expect, it } from 'vitest';
import { registerUser, uniqueName, type ApiResponse } from '../support/http.js';
import { useTestServer } from '../support/fixture.js';
import { closeAll, player } from '../support/play.js';

const t = useTestServer();

/** Sends the requests at once (the server sees them interleaved) and answers their responses in order. */
const race = (...requests: Array<() => Promise<ApiResponse>>) => Promise.all(requests.map((r) => r()));
const statuses = (responses: ApiResponse[]) => responses.map((r) => r.status).sort();
const ROUNDS = 8;

/**
 * Racing duplicate requests: exactly one wins,
 * the others answer the usual 409/403/404 (what they would answer once the
 * first one is committed) or 429 (the uniqueness constraint caught the
 * race); never a 500, and the state is what one request alone leaves.
 */
describe('racing duplicate requests', () => {
  it('two identical friend requests: one 201, the other 409 already sent or 429; one request stored', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = await Promise.all([registerUser(t.api), registerUser(t.api)]);
      const send = () => t.api.post('/api/users/me/friend_requests/', { username: b.username }, { token: a.access });
      const answers = await race(send, send, send);
      expect(statuses(answers)[0]).toBe(201);
      for (const loser of answers.filter((r) => r.status !== 201)) {
        expect([[409, { detail: 'You have already sent a friend request to this user.' }], [429, { detail: 'Request was throttled.' }]])
          .toContainEqual([loser.status, loser.body]);
      }
      expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
      const sent = await t.api.get('/api/users/me/friend_requests/', { token: a.access });
      expect(sent.body.count ?? sent.body.length).toBe(1);
    }
  });

  it('crossing friend requests (a to b and b to a at once): one request, never two', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = await Promise.all([registerUser(t.api), registerUser(t.api)]);
      const answers = await race(
        () => t.api.post('/api/users/me/friend_requests/', { username: b.username }, { token: a.access }),
        () => t.api.post('/api/users/me/friend_requests/', { username: a.username }, { token: b.access }),
      );
      expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
      const loser = answers.find((r) => r.status !== 201)!;
      expect([409, 429]).toContain(loser.status);
      const received = [
        ...(await t.api.get('/api/users/me/friend_requests/received/', { token: a.access })).body.results ?? [],
        ...(await t.api.get('/api/users/me/friend_requests/received/', { token: b.access })).body.results ?? [],
      ];
      expect(received).toHaveLength(1);
    }
  });

  it('a double accept: one friendship, the request gone, the other answer 404 or 429', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = await Promise.all([registerUser(t.api), registerUser(t.api)]);
      const sent = await t.api.post('/api/users/me/friend_requests/', { username: b.username }, { token: a.access });
      const accept = () => t.api.post(`/api/users/me/friend_requests/${sent.body.id}/`, undefined, { token: b.access });
      const answers = await race(accept, accept, accept);
      expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
      for (const loser of answers.filter((r) => r.status !== 201)) {
        expect([[404, { detail: 'Friend request not found.' }], [429, { detail: 'Request was throttled.' }]]).toContainEqual([loser.status, loser.body]);
      }
      const friendsOfA = await t.api.get('/api/users/me/friends/', { token: a.access });
      const friendsOfB = await t.api.get('/api/users/me/friends/', { token: b.access });
      expect([friendsOfA.body.count, friendsOfB.body.count]).toEqual([1, 1]);
      expect((await t.api.get(`/api/users/me/friend_requests/${sent.body.id}/`, { token: a.access })).status).toBe(404);
    }
  });

  it('the same name registered twice at once: one account, the other 400 "already exists" or 429', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const username = uniqueName('race');
      const register = (password: string) => () => t.api.post('/api/auth/register/', { username, password });
      const answers = await race(register('Str0ng-Passw0rd!1'), register('Str0ng-Passw0rd!2'), register('Str0ng-Passw0rd!3'));
      const winners = answers.filter((r) => r.status === 201);
      expect(winners).toHaveLength(1);
      for (const loser of answers.filter((r) => r.status !== 201)) {
        expect([[400, { username: ['This username already exists.'] }], [429, { detail: 'Request was throttled.' }]]).toContainEqual([loser.status, loser.body]);
      }
      // Exactly the winner's password opens the account.
      const winner = answers.indexOf(winners[0]) + 1;
      const logins = await Promise.all([1, 2, 3].map((n) => t.api.post('/api/auth/login/', { username, password: `Str0ng-Passw0rd!${n}` })));
      expect(logins.map((r) => r.status)).toEqual([1, 2, 3].map((n) => (n === winner ? 200 : 401)));
    }
  });

  it('the last seat of a lobby, joined by several at once: exactly one gets it, the others 403 "Lobby is full." (or 429)', async () => {
    for (let round = 0; round < 3; round++) {
      // A clash lobby seats 3: the creator, one member, one free seat for four contenders.
      const [owner, member, ...contenders] = await Promise.all(Array.from({ length: 6 }, () => player(t.server, t.api)));
      const created = await t.api.post('/api/play/lobby/', { game_mode: 'clash' }, { token: owner.access });
      expect(created.status).toBe(201);
      const code = created.body.code;
      expect((await t.api.post(`/api/play/lobby/${code}/`, undefined, { token: member.access })).status).toBe(201);
      const answers = await race(...contenders.map((c) => () => t.api.post(`/api/play/lobby/${code}/`, undefined, { token: c.access })));
      expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
      for (const loser of answers.filter((r) => r.status !== 201)) {
        expect([[403, { detail: 'Lobby is full.' }], [429, { detail: 'Request was throttled.' }]]).toContainEqual([loser.status, loser.body]);
      }
      const lobby = await t.api.get('/api/play/lobby/', { token: owner.access });
      expect(lobby.status).toBe(200);
      const seated = (lobby.body.participants ?? lobby.body.members ?? []).length;
      expect(seated).toBe(3);
      expect(lobby.body.is_full).toBe(true);
      // The losers belong to no lobby.
      const winner = contenders[answers.findIndex((r) => r.status === 201)];
      for (const c of contenders.filter((c) => c !== winner)) {
        expect((await t.api.get('/api/play/lobby/', { token: c.access })).status).toBe(404);
      }
      await closeAll(owner, member, ...contenders);
    }
  });

  it('the last seat of a tournament, joined by several at once: exactly one gets it, the tournament starts once', async () => {
    for (let round = 0; round < 3; round++) {
      // A tournament of 4: the creator and two members, one free seat for four contenders.
      const [owner, m1, m2, ...contenders] = await Promise.all(Array.from({ length: 7 }, () => player(t.server, t.api)));
      const created = await t.api.post('/api/play/tournament/', { name: uniqueName('race'), size: 4 }, { token: owner.access });
      expect(created.status).toBe(201);
      const code = created.body.code;
      for (const m of [m1, m2]) expect((await t.api.post(`/api/play/tournament/${code}/`, undefined, { token: m.access })).status).toBe(201);
      const answers = await race(...contenders.map((c) => () => t.api.post(`/api/play/tournament/${code}/`, undefined, { token: c.access })));
      expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
      for (const loser of answers.filter((r) => r.status !== 201)) {
        expect([
          [403, { detail: 'Tournament is full.' }],
          [403, { detail: 'Tournament already started.' }],
          [429, { detail: 'Request was throttled.' }],
        ]).toContainEqual([loser.status, loser.body]);
      }
      const tournament = await t.api.get('/api/play/tournament/', { token: owner.access });
      expect(tournament.status).toBe(200);
      expect(tournament.body.participants).toHaveLength(4);
      expect(tournament.body.is_started).toBe(true);
      // The full tournament started exactly once: one tournament-start per participant.
      for (const p of [owner, m1, m2]) {
        await p.stream.waitFor((events) => events.some((e) => e.event === 'tournament-start'));
        expect(p.stream.events.filter((e) => e.event === 'tournament-start')).toHaveLength(1);
      }
      const winner = contenders[answers.findIndex((r) => r.status === 201)];
      for (const c of contenders.filter((c) => c !== winner)) {
        expect((await t.api.get('/api/play/tournament/', { token: c.access })).status).toBe(404);
      }
      await closeAll(owner, m1, m2, ...contenders);
    }
  });
});

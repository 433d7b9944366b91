import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankedTrophyChange, roundHalfEven } from '../../src/features/stats/trophies.js';
import { ApiClient, createGuest, registerUser, type TestUser } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { befriend, openStream, received, setPlaying, unlockEnvelope } from '../support/social.js';

let server: TestServer;
let api: ApiClient;
let internal: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
  internal = new ApiClient(server.internalUrl!);
});
afterAll(async () => server.close());

type Player = { id: number; score: number; trophies?: number; own_goals?: number; own_goal?: number };

function match(game_mode: string, a: Player[], b: Player[], winner = 'a') {
  const sum = (players: Player[]) => players.reduce((s, p) => s + p.score, 0);
  return {
    id: 77, code: 'ABCD', game_mode, winner, looser: winner === 'a' ? 'b' : 'a', created_at: '2025-01-01T00:00:00Z',
    teams: { a: { score: sum(a), players: a }, b: { score: sum(b), players: b } },
  };
}

async function record(body: unknown) {
  const res = await internal.post('/api/private/users/result-match/', body);
  if (res.status !== 201) throw new Error(`result-match: ${res.status} ${res.text}`);
  return res;
}

async function statsOf(user: TestUser): Promise<Record<string, any>> {
  const res = await api.get('/api/users/me/stats/', { token: user.access });
  return Object.fromEntries(res.body.map((row: any) => [row.game_mode, row]));
}

const picture = (id: number, name: string, unlock_reason: string) => ({ id, name, unlock_reason, stem: name.toLowerCase().replace(/ /g, '_') });

describe('GET /api/users/me/stats/ and /stats/ranked/', () => {
  it('starts with five zero rows in order, with the keys of each mode, and one ranked entry 0/0', async () => {
    const user = await registerUser(api);
    const res = await api.get('/api/users/me/stats/', { token: user.access });
    expect(res.status).toBe(200);
    const zero = { scored: 0, game_played: 0, wins: 0, longest_win_streak: 0, current_win_streak: 0 };
    expect(res.body).toEqual([
      { id: expect.any(Number), game_mode: 'global', ...zero },
      { id: expect.any(Number), game_mode: 'clash', ...zero, own_goals: 0 },
      { id: expect.any(Number), game_mode: 'duel', ...zero },
      { id: expect.any(Number), game_mode: 'ranked', ...zero },
      { id: expect.any(Number), game_mode: 'tournament', ...zero, tournament_wins: 0 },
    ]);
    expect(new Set(res.body.map((r: any) => r.id)).size).toBe(5);
    const ranked = await api.get('/api/users/me/stats/ranked/', { token: user.access });
    expect(ranked.body).toEqual({ count: 1, next: null, previous: null, results: [{ id: expect.any(Number), trophies: 0, total_trophies: 0, at: expect.any(String), user: user.id }] });
    const guest = await createGuest(api);
    expect((await api.get('/api/users/me/stats/', { token: guest.access })).body).toHaveLength(5);
    expect((await api.get('/api/users/me/stats/ranked/', { token: guest.access })).body.count).toBe(1);
  });
});

describe('POST /api/private/users/result-match/', () => {
  it('validates the body with field messages', async () => {
    const missing = await internal.post('/api/private/users/result-match/', {});
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      game_mode: ['This field is required.'], winner: ['This field is required.'],
      looser: ['This field is required.'], teams: ['This field is required.'],
    });
    const mode = await internal.post('/api/private/users/result-match/', { ...match('duel', [], []), game_mode: 'polo' });
    expect(mode.body).toEqual({ game_mode: ["Game mode must be 'clash', 'custom_game', 'duel', 'ranked' or 'tournament'."] });
    const winner = await internal.post('/api/private/users/result-match/', { ...match('duel', [], []), winner: 'ab' });
    expect(winner.body).toEqual({ winner: ['Ensure this field has no more than 1 characters.'] });
    const team = await internal.post('/api/private/users/result-match/', { ...match('duel', [], []), teams: { a: { score: 1, players: [{ id: 'x', score: 1 }] } } });
    expect(team.status).toBe(400);
    expect(team.body.teams).toMatchObject({ b: ['This field is required.'] });
    // Not on the public port.
    expect((await api.post('/api/private/users/result-match/', match('duel', [], []))).status).toBe(404);
  });

  it('updates the mode row and global, streaks, clears game_playing, skips unknown players and echoes the result', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    await setPlaying(server, alice.id, 'GAME');
    await setPlaying(server, bob.id, 'GAME');
    const body = match('duel', [{ id: alice.id, score: 3 }, { id: 999999, score: 0 }], [{ id: bob.id, score: 1 }]);
    const res = await record(body);
    expect(res.body).toEqual({ game_mode: 'duel', winner: 'a', looser: 'b', teams: body.teams });
    expect((await api.get('/api/users/me/', { token: alice.access })).body).toMatchObject({ trophies: 0 });
    expect((await api.patch('/api/users/me/', { accept_chat_from: 'none' }, { token: alice.access })).status).toBe(200);
    expect((await api.get(`/api/users/${bob.id}/`, { token: alice.access })).body.status.game_playing).toBeNull();

    // alice: W W W L W; bob: L L L W L
    await record(match('duel', [{ id: alice.id, score: 3 }], [{ id: bob.id, score: 2 }]));
    await record(match('duel', [{ id: alice.id, score: 3 }], [{ id: bob.id, score: 0 }]));
    await record(match('duel', [{ id: alice.id, score: 1 }], [{ id: bob.id, score: 3 }], 'b'));
    await record(match('duel', [{ id: alice.id, score: 3 }], [{ id: bob.id, score: 0 }]));
    const a = await statsOf(alice);
    expect(a.duel).toEqual({ id: a.duel.id, game_mode: 'duel', scored: 13, game_played: 5, wins: 4, longest_win_streak: 3, current_win_streak: 1 });
    expect(a.global).toEqual({ ...a.duel, id: a.global.id, game_mode: 'global' });
    expect(a.ranked.game_played).toBe(0);
    const b = await statsOf(bob);
    expect(b.duel).toMatchObject({ scored: 6, game_played: 5, wins: 1, longest_win_streak: 1, current_win_streak: 0 });
  });

  it('ranked: adds history entries, floors the total at 0, and a win never costs trophies', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    await record(match('ranked', [{ id: alice.id, score: 3, trophies: 36 }], [{ id: bob.id, score: 0, trophies: -20 }]));
    await record(match('ranked', [{ id: alice.id, score: 3, trophies: 32 }], [{ id: bob.id, score: 1, trophies: -20 }]));
    // A favourite's formula gain can be negative; the decision makes it +1.
    await record(match('ranked', [{ id: alice.id, score: 3, trophies: -24 }], [{ id: bob.id, score: 1, trophies: -22 }]));
    await record(match('ranked', [{ id: alice.id, score: 0, trophies: -21 }], [{ id: bob.id, score: 3, trophies: 39 }], 'b'));

    const history = await api.get('/api/users/me/stats/ranked/', { token: alice.access });
    expect(history.body.results.map((r: any) => [r.trophies, r.total_trophies, r.user])).toEqual([
      [0, 0, alice.id], [36, 36, alice.id], [32, 68, alice.id], [1, 69, alice.id], [-21, 48, alice.id],
    ]);
    const bobHistory = await api.get('/api/users/me/stats/ranked/?limit=2&offset=2', { token: bob.access });
    expect(bobHistory.body.count).toBe(5);
    expect(bobHistory.body.results.map((r: any) => [r.trophies, r.total_trophies])).toEqual([[-20, 0], [-22, 0]]);
    expect(bobHistory.body.previous).toBe(`${server.publicUrl}/api/users/me/stats/ranked/?limit=2`);
    expect(bobHistory.body.next).toBe(`${server.publicUrl}/api/users/me/stats/ranked/?limit=2&offset=4`);
    expect((await api.get('/api/users/me/', { token: alice.access })).body.trophies).toBe(48);
    expect((await api.get(`/api/users/${bob.id}/`, { token: alice.access })).body.trophies).toBe(39);
    expect((await statsOf(alice)).ranked).toMatchObject({ game_played: 4, wins: 3, scored: 9, current_win_streak: 0, longest_win_streak: 3 });
  });

  it('ranked trophies unlock every reached picture, one event each, in table order', async () => {
    const user = await registerUser(api);
    const other = await registerUser(api);
    const stream = await openStream(server, api, user);
    await record(match('ranked', [{ id: user.id, score: 3, trophies: 520 }], [{ id: other.id, score: 0, trophies: -20 }]));
    await stream.waitFor(() => received(stream, 'profile-picture-unlocked').length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(received(stream, 'profile-picture-unlocked').map((e) => e.envelope)).toEqual([
      unlockEnvelope(picture(11, 'Ranked Bronze', 'Achieve over 100 trophies in ranked.')),
      unlockEnvelope(picture(12, 'Ranked Silver', 'Achieve over 500 trophies in ranked.')),
    ]);
    stream.close();
  });

  it('clash counts own goals under either spelling, on clash and global', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    await record(match('clash', [{ id: alice.id, score: 2, own_goals: 1 }], [{ id: bob.id, score: 1, own_goal: 2 }]));
    await record(match('clash', [{ id: alice.id, score: 0, own_goal: 3 }], [{ id: bob.id, score: 4 }], 'b'));
    const a = await statsOf(alice);
    expect(a.clash).toMatchObject({ own_goals: 4, scored: 2, game_played: 2, wins: 1 });
    expect((await statsOf(bob)).clash.own_goals).toBe(2);
    // own_goals is not shown on global, but it is kept there.
    expect(a.global.own_goals).toBeUndefined();
    const row = await server.platform.db.selectFrom('user_stats').select('own_goals').where('user_id', '=', alice.id).where('game_mode', '=', 'global').executeTakeFirstOrThrow();
    expect(row.own_goals).toBe(4);
  });

  it('ten duel wins in a row unlock Duel Winner, then Win Streak Player', async () => {
    const user = await registerUser(api);
    const other = await registerUser(api);
    const stream = await openStream(server, api, user);
    for (let i = 0; i < 9; i++) await record(match('duel', [{ id: user.id, score: 1 }], [{ id: other.id, score: 0 }]));
    await new Promise((r) => setTimeout(r, 100));
    expect(received(stream, 'profile-picture-unlocked')).toEqual([]);
    await record(match('duel', [{ id: user.id, score: 1 }], [{ id: other.id, score: 0 }]));
    await stream.waitFor(() => received(stream, 'profile-picture-unlocked').length >= 2);
    expect(received(stream, 'profile-picture-unlocked').map((e) => e.envelope.data.id)).toEqual([8, 22]);
    expect(received(stream, 'profile-picture-unlocked')[1].envelope).toEqual(unlockEnvelope(picture(22, 'Win Streak Player', 'Win more than 10 games in a row.')));
    stream.close();
  });

  it('Scorer at 100 goals; Fun Player once every mode has a win', async () => {
    const user = await registerUser(api);
    const other = await registerUser(api);
    const stream = await openStream(server, api, user);
    await record(match('duel', [{ id: user.id, score: 100 }], [{ id: other.id, score: 0 }]));
    await record(match('clash', [{ id: user.id, score: 1 }], [{ id: other.id, score: 0 }]));
    await record(match('ranked', [{ id: user.id, score: 1, trophies: 36 }], [{ id: other.id, score: 0, trophies: -20 }]));
    await new Promise((r) => setTimeout(r, 100));
    expect(received(stream, 'profile-picture-unlocked').map((e) => e.envelope.data.id)).toEqual([18]);
    await record(match('tournament', [{ id: user.id, score: 1 }], [{ id: other.id, score: 0 }]));
    await stream.waitFor(() => received(stream, 'profile-picture-unlocked').length >= 2);
    expect(received(stream, 'profile-picture-unlocked').map((e) => e.envelope.data.id)).toEqual([18, 17]);
    const pictures = await api.get('/api/users/profile-pictures/', { token: user.access });
    expect(pictures.body.filter((p: any) => p.unlock).map((p: any) => p.id)).toEqual([1, 17, 18]);
    stream.close();
  });

  it('custom games change no stats but clear game_playing and count for friendships', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    const friendship = await befriend(api, alice, bob);
    await setPlaying(server, alice.id, 'CUST');
    await record(match('custom_game', [{ id: alice.id, score: 1 }], [{ id: bob.id, score: 3 }], 'b'));
    expect((await statsOf(alice)).global.game_played).toBe(0);
    expect((await api.patch('/api/users/me/', { accept_chat_from: 'none' }, { token: alice.access })).status).toBe(200);
    const seenByBob = await api.get(`/api/users/me/friends/${friendship}/`, { token: bob.access });
    expect(seenByBob.body).toMatchObject({ matches_played_against: 1, me_wins: 1, friend_wins: 0 });
    const seenByAlice = await api.get(`/api/users/me/friends/${friendship}/`, { token: alice.access });
    expect(seenByAlice.body).toMatchObject({ matches_played_against: 1, me_wins: 0, friend_wins: 1 });
  });

  it('3v3: every distinct pair of friendly team-mates plays together; every friendly a/b pair plays against', async () => {
    const [p1, p2, p3, q1, q2, q3] = await Promise.all(Array.from({ length: 6 }, () => registerUser(api)));
    const f12 = await befriend(api, p1, p2);
    const f23 = await befriend(api, p2, p3);
    const f13 = await befriend(api, p3, p1);
    const fq = await befriend(api, q3, p1);
    await record(match('clash', [{ id: p1.id, score: 1 }, { id: p2.id, score: 1 }, { id: p3.id, score: 1 }], [{ id: q1.id, score: 0 }, { id: q2.id, score: 0 }, { id: q3.id, score: 1 }]));
    await record(match('clash', [{ id: p1.id, score: 0 }, { id: p2.id, score: 0 }, { id: p3.id, score: 0 }], [{ id: q1.id, score: 1 }, { id: q2.id, score: 1 }, { id: q3.id, score: 1 }], 'b'));
    for (const id of [f12, f23, f13]) {
      const f = await api.get(`/api/users/me/friends/${id}/`, { token: id === f13 ? p1.access : p2.access });
      expect(f.body, String(id)).toMatchObject({ matches_played_together: 2, matches_won_together: 1, matches_played_against: 0 });
    }
    const against = await api.get(`/api/users/me/friends/${fq}/`, { token: p1.access });
    expect(against.body).toMatchObject({ matches_played_against: 2, me_wins: 1, friend_wins: 1, matches_played_together: 0 });
  });
});

describe('POST /api/private/users/result-tournament/', () => {
  it('counts the win on tournament and global rows and unlocks Tournament Winner', async () => {
    const user = await registerUser(api);
    const stream = await openStream(server, api, user);
    const res = await internal.post('/api/private/users/result-tournament/', { winner: user.id });
    expect([res.status, res.body]).toEqual([201, { winner: user.id }]);
    const stats = await statsOf(user);
    expect(stats.tournament).toMatchObject({ tournament_wins: 1, game_played: 0 });
    expect((await stream.next('profile-picture-unlocked')).envelope).toEqual(unlockEnvelope(picture(2, 'Tournament Winner', 'Win 1 tournament.')));
    expect((await internal.post('/api/private/users/result-tournament/', { winner: user.id })).status).toBe(201);
    await new Promise((r) => setTimeout(r, 100));
    expect(received(stream, 'profile-picture-unlocked')).toHaveLength(1);
    expect((await statsOf(user)).tournament.tournament_wins).toBe(2);

    const unknown = await internal.post('/api/private/users/result-tournament/', { winner: 999999 });
    expect([unknown.status, unknown.body]).toEqual([404, { detail: 'User not found.' }]);
    const missing = await internal.post('/api/private/users/result-tournament/', {});
    expect([missing.status, missing.body]).toEqual([400, { winner: ['This field is required.'] }]);
    stream.close();
  });

  it('is also a service method the game feature calls in-process', async () => {
    const user = await registerUser(api);
    const other = await registerUser(api);
    await server.platform.stats.recordTournamentWin(user.id);
    await server.platform.stats.recordMatchResult({
      game_mode: 'tournament', winner: 'a', looser: 'b',
      teams: { a: { score: 3, players: [{ id: user.id, score: 3 }] }, b: { score: 0, players: [{ id: other.id, score: 0 }] } },
    });
    expect((await statsOf(user)).tournament).toMatchObject({ tournament_wins: 1, game_played: 1, wins: 1, scored: 3 });
  });
});

describe('ranked trophy formula (a win >= +1)', () => {
  it('matches the worked examples and rounds half to even', () => {
    const examples: Array<[number, number, number, number]> = [
      [0, 0, 36, 20], [36, 0, 32, 20], [36, 68, 39, 21], [100, 100, 36, 21], [300, 300, 34, 22],
      [1000, 1000, 31, 28], [1500, 1500, 28, 31], [1500, 2000, 62, 35], [1200, 1800, 80, 34], [0, 500, 86, 24],
    ];
    for (const [w, l, gain, loss] of examples) expect(rankedTrophyChange(w, l), `${w},${l}`).toEqual({ gain, loss });
    expect([35.5, 34.5, 27.5, 42.5].map(roundHalfEven)).toEqual([36, 34, 28, 42]);
    expect(rankedTrophyChange(2000, 1500).gain).toBe(1);
    expect(rankedTrophyChange(500, 0).gain).toBe(1);
  });
});

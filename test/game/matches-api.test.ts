import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, registerUser, type TestUser } from '../support/http.js';
import { createMatch, pump, settle } from '../support/game.js';
import { onEachNode, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let api: ApiClient;
let internal: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
  internal = new ApiClient(server.internalUrl!);
});
afterAll(async () => server.close());

const users = async (n: number) => Promise.all(Array.from({ length: n }, () => registerUser(api)));
const create = (body: unknown) => internal.post('/api/private/match/create/', body);
const ids = (list: TestUser[]) => list.map((u) => ({ id: u.id }));

describe('POST /api/private/match/create/', () => {
  it('reports field errors together, nested like the reference', async () => {
    expect((await create({})).body).toEqual({ game_mode: ['This field is required.'], teams: ['This field is required.'] });
    expect((await create({ game_mode: 'pong', teams: 'x' })).body).toEqual({
      game_mode: ["Game mode must be 'clash', 'custom_game', 'duel', 'ranked' or 'tournament'."],
      teams: { non_field_errors: ['Invalid data. Expected a dictionary, but got str.'] },
    });
    expect((await create({ game_mode: 'duel', teams: { a: 'x', b: [3, { id: 'z' }, {}] } })).body).toEqual({
      teams: {
        a: { non_field_errors: ['Expected a list of items but got type "str".'] },
        b: [{ non_field_errors: ['Invalid data. Expected a dictionary, but got int.'] }, { id: ['A valid integer is required.'] }, { id: ['This field is required.'] }],
      },
    });
    expect((await create({ game_mode: 'duel', teams: { a: [] } })).body).toEqual({ teams: { b: ['This field is required.'] } });
    const body = await internal.post('/api/private/match/create/', [1]);
    expect(body.status).toBe(400);
    expect(body.body).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] });
  });

  it('checks the teams, then conflicts, then the mode rules, in that order', async () => {
    const [u1, u2, u3, u4, u5, u6] = await users(6);
    const teamsError = (message: string) => ({ teams: { non_field_errors: [message] } });
    expect((await create({ game_mode: 'duel', teams: { a: ids([u1]), b: ids([u2, u3]) } })).body).toEqual(teamsError('Both teams must have the same number of players.'));
    expect((await create({ game_mode: 'duel', teams: { a: [], b: [] } })).body).toEqual(teamsError('Only 1v1 and 3v3 teams are allowed.'));
    expect((await create({ game_mode: 'duel', teams: { a: ids([u1, u2]), b: ids([u3, u4]) } })).body).toEqual(teamsError('Only 1v1 and 3v3 teams are allowed.'));
    expect((await create({ game_mode: 'duel', teams: { a: ids([u1]), b: ids([u1]) } })).body).toEqual(teamsError('User cannot be in both teams.'));
    expect((await create({ game_mode: 'clash', teams: { a: ids([u1]), b: ids([u2]) } })).body).toEqual(['Clash mode must have 3 players in each teams.']);
    expect((await create({ game_mode: 'ranked', teams: { a: ids([u1, u2, u3]), b: ids([u4, u5, u6]) } })).body).toEqual(['Ranked mode must have 1 players in each teams.']);
    expect((await create({ game_mode: 'tournament', teams: { a: ids([u1]), b: ids([u2]) }, tournament_id: 4 })).body).toEqual({ tournament_stage_id: ['This field is required.'] });
    expect((await create({ game_mode: 'ranked', teams: { a: [{ id: u1.id, trophies: 3 }], b: ids([u2]) } })).body).toEqual({ teams: { a: [{}], b: [{ trophies: ['This field is required.'] }] } });
    const unknown = await create({ game_mode: 'duel', teams: { a: ids([u1]), b: [{ id: 999_999 }] } });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: 'Users not found.' });

    await createMatch(internal, 'duel', [u1], [u2]);
    const busy = await create({ game_mode: 'clash', teams: { a: ids([u1]), b: ids([u3]) } });
    expect(busy.status).toBe(409);
    expect(busy.body).toEqual({ detail: 'Users are already in a game.' });
  });

  it('answers 201 with the enriched match; ranked keeps the trophies, clash shows own goals', async () => {
    const [u1, u2, u3, u4, u5, u6, u7, u8] = await users(8);
    const ranked = await create({ game_mode: 'ranked', teams: { a: [{ id: u1.id, trophies: 120 }], b: [{ id: u2.id, trophies: 110 }] }, code: '1234', match_type: '3v3' });
    expect(ranked.status).toBe(201);
    expect(ranked.body).toEqual({
      id: expect.any(Number), code: expect.stringMatching(/^\d{4}$/), game_mode: 'ranked', created_at: expect.any(String),
      game_duration: '00:03:00', tournament_stage_id: null, tournament_n: null, match_type: '1v1', finished: false, winner: null, looser: null,
      teams: {
        a: { score: 0, players: [{ id: u1.id, username: u1.username, profile_picture: { id: 1, name: 'Register', small: expect.any(String), medium: expect.any(String) }, trophies: 120, score: 0 }] },
        b: { score: 0, players: [{ id: u2.id, username: u2.username, profile_picture: expect.any(Object), trophies: 110, score: 0 }] },
      },
      finish_reason: null, forfeited_by: null, field_score: { a: 0, b: 0 },
    });
    const clash = await create({ game_mode: 'clash', teams: { a: ids([u3, u4, u5]), b: ids([u6, u7, u8]) } });
    expect(clash.body.match_type).toBe('3v3');
    expect(clash.body.teams.b.players.map((p: any) => [p.id, p.own_goal, p.score])).toEqual([[u6.id, 0, 0], [u7.id, 0, 0], [u8.id, 0, 0]]);
    const tournament = await create({ game_mode: 'tournament', teams: { a: [] , b: [] } });
    expect(tournament.status).toBe(400);
  });
});

describe('is-in-game, claim, score and finish', () => {
  it('finds the unfinished match, lets its players claim it, and counts goals and own goals up to 3', async () => {
    const [a, b, outsider] = await users(3);
    const match = await createMatch(internal, 'duel', [a], [b]);
    expect((await internal.get(`/api/private/match/${a.id}/`)).body).toEqual(match);
    expect((await internal.get(`/api/private/match/${outsider.id}/`)).body).toEqual({ detail: 'You do not belong to any game.' });
    expect((await internal.get(`/api/private/match/${match.id}/${outsider.id}/`)).body).toEqual({ detail: 'You do not belong to this game.' });
    const claimed = await internal.get(`/api/private/match/${match.id}/${b.id}/`);
    expect(claimed.status).toBe(200);
    // Claimed: the 5 s players timeout no longer deletes the match.
    await pump(server.clock, 5100);
    await settle();
    expect((await internal.get(`/api/private/match/${a.id}/`)).status).toBe(200);

    expect((await internal.put(`/api/private/match/score/${outsider.id}/`, {})).body).toEqual({ detail: 'This user does not belong to any match.' });
    expect((await internal.put(`/api/private/match/score/${a.id}/`, { own_goal: 'maybe' })).body).toEqual({ own_goal: ['Must be a valid boolean.'] });
    const first = await internal.put(`/api/private/match/score/${a.id}/`);
    expect(first.body.teams).toEqual({ a: { score: 1, players: [{ id: a.id, score: 1 }] }, b: { score: 0, players: [{ id: b.id, score: 0 }] } });
    const own = await internal.patch(`/api/private/match/score/${a.id}/`, { own_goal: true });
    expect(own.body.teams).toEqual({ a: { score: 1, players: [{ id: a.id, score: 1 }] }, b: { score: 1, players: [{ id: b.id, score: 0 }] } });
    await internal.put(`/api/private/match/score/${a.id}/`, { own_goal: false });
    const last = await internal.put(`/api/private/match/score/${b.id}/`, { own_goal: true });
    // The deciding goal is an own goal of b: the post-goal state, finished (no stale data).
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({ id: match.id, finished: true, winner: 'a', looser: 'b' });
    expect(last.body).not.toHaveProperty('code');
    expect(last.body.teams).toEqual({ a: { score: 3, players: [{ id: a.id, score: 2 }] }, b: { score: 1, players: [{ id: b.id, score: 0 }] } });
    expect((await internal.put(`/api/private/match/score/${a.id}/`)).status).toBe(404);
    expect((await server.platform.users.findById(a.id))!.game_playing).toBeNull();
  });

  it('checks a forfeit in this order: 404 match, 400 body, 409 finished, 404 player', async () => {
    const [a, b, outsider] = await users(3);
    const match = await createMatch(internal, 'duel', [a], [b]);
    const finish = (id: number, body: unknown) => internal.put(`/api/private/match/finish/${id}/`, body);
    expect((await finish(999_999, {})).body).toEqual({ detail: 'Match not found.' });
    expect((await finish(match.id, {})).body).toEqual({ user_id: ['This field is required.'], finish_reason: ['This field is required.'] });
    expect((await finish(match.id, { user_id: a.id, finish_reason: 'bored' })).body).toEqual({
      finish_reason: ["Finish reason must be 'player-disconnect' or 'player-not-connected'."],
    });
    expect((await finish(match.id, { user_id: outsider.id, finish_reason: 'player-disconnect' })).body).toEqual({ detail: 'This user does not belong to any match.' });
    const done = await internal.patch(`/api/private/match/finish/${match.id}/`, { user_id: a.id, finish_reason: 'player-not-connected' });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ id: match.id, finish_reason: 'player-not-connected', finished: true });
    const again = await finish(match.id, { user_id: a.id, finish_reason: 'player-disconnect' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ detail: 'This match is already finished.' });
    const list = await api.get(`/api/game/matches/${a.id}/`, { token: a.access });
    expect(list.body.results[0]).toMatchObject({ winner: 'b', looser: 'a', teams: { a: { score: 0 }, b: { score: 3 } } });
  });

  it('ranked results store the trophy changes (a win never costs trophies)', async () => {
    const [a, b] = await users(2);
    const match = await createMatch(internal, 'ranked', [a], [b]);
    for (let i = 0; i < 3; i++) await internal.put(`/api/private/match/score/${b.id}/`);
    const item = (await api.get(`/api/game/matches/${a.id}/`, { token: a.access })).body.results[0];
    expect(item.id).toBe(match.id);
    // (0, 0) -> +36, -20.
    expect(item.teams.b.players[0]).toMatchObject({ id: b.id, trophies: 36, score: 3 });
    expect(item.teams.a.players[0]).toMatchObject({ id: a.id, trophies: -20, score: 0 });
    expect((await server.platform.users.findById(b.id))!.trophies).toBe(36);
  });
});

describe('finish listeners', () => {
  it('a tournament match nobody played finishes with players-timeout, team a winning 0-0, and reaches the tournament listener', async () => {
    const heard: Array<{ id: number; finishReason: string | null; winner: string | null }> = [];
    onEachNode(server, (p) => p.matches.setTournamentListener({ matchFinished: async (m) => { heard.push(m); } }));
    const [a, b] = await users(2);
    const match = await createMatch(internal, 'tournament', [a], [b], { tournament_id: 31, tournament_stage_id: 32, tournament_n: 1 });
    await pump(server.clock, 5100);
    await settle(100);
    expect(heard).toMatchObject([{ id: match.id, finishReason: 'players-timeout', winner: 'a' }]);
    const item = (await api.get(`/api/game/matches/${b.id}/`, { token: b.access })).body.results[0];
    expect(item).toMatchObject({ id: match.id, tournament_id: 31, winner: 'a', looser: 'b', teams: { a: { score: 0 }, b: { score: 0 } } });
    expect((await server.platform.users.findById(a.id))!.game_playing).toBeNull();
  });

  it('a finished clash reaches the lobby listener with every player', async () => {
    const heard: number[][] = [];
    onEachNode(server, (node) => node.matches.setLobbyListener({ matchFinished: async (m) => { heard.push(m.players.map((p) => p.userId)); } }));
    const team = await users(6);
    const match = await createMatch(internal, 'clash', team.slice(0, 3), team.slice(3));
    await internal.put(`/api/private/match/finish/${match.id}/`, { user_id: team[4].id, finish_reason: 'player-disconnect' });
    expect(heard).toEqual([team.map((u) => u.id)]);
  });
});

describe('tournaments and the lists', () => {
  it('records not-played slots, archives a tournament and shows it publicly with its stages', async () => {
    const [alice, bob, carol] = await users(3);
    const stages = [{ id: 71, label: 'final', stage: 0 }, { id: 72, label: 'semi-final', stage: 1 }];
    expect((await internal.post('/api/private/match/create/not-played/', { user_id: carol.id })).body).toEqual({
      tournament_id: ['This field is required.'], tournament_stage_id: ['This field is required.'], tournament_n: ['This field is required.'],
    });
    const bye = await internal.post('/api/private/match/create/not-played/', { user_id: carol.id, tournament_id: 9, tournament_stage_id: 72, tournament_n: 2 });
    expect(bye.status).toBe(201);
    expect(bye.body).toEqual({ id: expect.any(Number), game_mode: 'tournament', created_at: expect.any(String), tournament_id: 9, tournament_stage_id: 72, tournament_n: 2, winner: 'a' });
    const semi = await createMatch(internal, 'tournament', [alice], [bob], { tournament_id: 9, tournament_stage_id: 72, tournament_n: 1 });
    expect(semi.tournament_id).toBe(9);
    for (let i = 0; i < 3; i++) await internal.put(`/api/private/match/score/${alice.id}/`);
    const final = await createMatch(internal, 'tournament', [alice], [carol], { tournament_id: 9, tournament_stage_id: 71, tournament_n: 3 });
    await internal.put(`/api/private/match/score/${carol.id}/`);
    await internal.put(`/api/private/match/finish/${final.id}/`, { user_id: carol.id, finish_reason: 'player-disconnect' });
    // One result per match: recorded 3–0 for alice, with who left and what stood on the field then (carol led 1–0).
    const recorded = (await api.get(`/api/game/matches/${carol.id}/`, { token: carol.access })).body.results.find((m: any) => m.id === final.id);
    expect([recorded.teams.a.score, recorded.teams.b.score, recorded.winner]).toEqual([3, 0, 'a']);
    expect(recorded).toMatchObject({ finish_reason: 'player-disconnect', forfeited_by: carol.id, field_score: { a: 0, b: 1 } });

    expect((await api.get('/api/game/tournaments/9/', { token: alice.access })).body).toEqual({ detail: 'Tournament not found.' });
    const archive = { id: 9, name: 'Spring Cup', size: 4, start_at: '2025-01-09T14:00:02.118Z', finish_at: '2025-01-09T14:06:40.900Z', created_by: alice.id, stages, code: 'x', participants: [] };
    const archived = await internal.post('/api/private/tournaments/', archive);
    expect(archived.status).toBe(201);
    // `score` of winner and looser: the lead players' own goals (carol scored once, then left); the match's result is
    // the team score, recorded 3–0 for the forfeit, beside the one who forfeited.
    expect(archived.body.matches.final).toEqual([{
      id: final.id, n: 3, game_duration: expect.any(String), winner: { id: alice.id, score: 0 }, looser: { id: carol.id, score: 1 },
      score_winner: 3, score_looser: 0, forfeited_by: carol.id, finish_reason: 'player-disconnect',
    }]);
    expect((await internal.post('/api/private/tournaments/', archive)).status).toBe(400);

    const shown = await api.get('/api/game/tournaments/9/', { token: bob.access });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id: 9, name: 'Spring Cup', size: 4, start_at: archive.start_at, finish_at: archive.finish_at, created_at: archive.start_at, created_by: alice.id });
    // Earliest round first.
    expect(Object.keys(shown.body.matches)).toEqual(['semi-final', 'final']);
    expect(shown.body.matches['semi-final']).toEqual([
      { id: semi.id, n: 1, game_duration: expect.any(String), winner: { id: alice.id, username: alice.username, profile_picture: expect.any(Object), score: 3 },
        looser: { id: bob.id, username: bob.username, profile_picture: expect.any(Object), score: 0 }, score_winner: 3, score_looser: 0, forfeited_by: null, finish_reason: 'normal-end' },
      { id: bye.body.id, n: 2, game_duration: '00:00:00', winner: { id: carol.id, username: carol.username, profile_picture: expect.any(Object), score: 0 }, looser: null,
        score_winner: expect.any(Number), score_looser: null, forfeited_by: null, finish_reason: 'game-not-played' },
    ]);

    const exported = await internal.get(`/api/private/export-data/${carol.id}/`);
    expect(exported.body.matches.map((m: any) => m.id)).toEqual([final.id, bye.body.id]);
    expect(exported.body.matches[1]).toMatchObject({ tournament_id: 9, winner: 'a', looser: null, teams: { a: { players: [{ id: carol.id, score: 0 }] }, b: { score: 0, players: [] } } });
    expect(exported.body.tournaments).toEqual([archived.body]);
    const download = await api.get('/api/users/me/download-data/', { token: carol.access });
    expect(download.body.game_data).toEqual({ matches: exported.body.matches, tournament: exported.body.tournaments, replays: [] });
  });

  it('lists finished matches only, most recent first, paginated with absolute links', async () => {
    const [a, b] = await users(2);
    const played: number[] = [];
    for (let i = 0; i < 3; i++) {
      const match = await createMatch(internal, 'duel', [a], [b]);
      played.push(match.id);
      server.clock.advance(1000);
      for (let g = 0; g < 3; g++) await internal.put(`/api/private/match/score/${i % 2 ? a.id : b.id}/`);
    }
    await createMatch(internal, 'duel', [a], [b]);
    const first = await api.get(`/api/game/matches/${b.id}/?limit=2`, { token: a.access });
    expect(first.body.count).toBe(3);
    expect(first.body.results.map((m: any) => m.id)).toEqual([played[2], played[1]]);
    expect(first.body.next).toBe(`${server.publicUrl}/api/game/matches/${b.id}/?limit=2&offset=2`);
    expect(first.body.previous).toBeNull();
    expect(first.body.results[1]).toMatchObject({ winner: 'a', game_duration: '00:00:01' });
    const second = await api.get(`/api/game/matches/${b.id}/?limit=2&offset=2`, { token: a.access });
    expect(second.body.results.map((m: any) => m.id)).toEqual([played[0]]);
    expect(second.body.previous).toBe(`${server.publicUrl}/api/game/matches/${b.id}/?limit=2`);
    expect((await api.get('/api/game/matches/999999/', { token: a.access })).body).toEqual({ count: 0, next: null, previous: null, results: [] });
    expect((await api.get(`/api/game/matches/${a.id}/`)).status).toBe(401);
  });
});

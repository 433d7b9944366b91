import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeAll, type Player } from '../support/play.js';
import { allReceived, Arena, betterOf, codesOf, createTournament, envelopesOf, idsOf, join, players, runFull, sleep, uniqueTournamentName } from './helpers.js';

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
});
afterAll(async () => server.close());

const REGISTER = { id: 1, name: 'Register', small: '/assets/profile_pictures/register_small.png', medium: '/assets/profile_pictures/register_medium.png' };

describe('a tournament of 4 played by bots over the real game WebSocket', () => {
  it('runs from sign-up to champion: the events of the worked example with their data, the archive, the winner statistics', { timeout: 120_000 }, async () => {
    const all = await players(server, api, 4);
    const [p1, p2, p3, p4] = all;
    const name = uniqueTournamentName();
    const created = await createTournament(api, p1, { name, size: 4 });
    expect(created).toEqual({
      id: expect.any(Number), code: expect.stringMatching(/^\d{4}$/), name, size: 4, private: false, is_started: false, start_at: null,
      created_at: expect.any(String), created_by: p1.id,
      participants: [{ id: p1.id, username: p1.username, profile_picture: REGISTER, creator: true, join_at: expect.any(String) }],
    });
    for (const p of [p2, p3, p4]) await join(api, p, created.code);

    const arena = new Arena(server, betterOf(all));
    await arena.run(all, allReceived(all, 'tournament-finish'));
    await sleep(300);
    arena.closeAll();

    // The sequences of the worked example, P1 winning.
    expect(codesOf(p1)).toEqual([
      'tournament-join', 'tournament-join', 'tournament-join', 'tournament-start', 'game-start', 'tournament-match-finish', 'tournament-match-finish',
      'game-start', 'tournament-match-finish', 'tournament-finish', 'profile-picture-unlocked',
    ]);
    expect(codesOf(p2)).toEqual([
      'tournament-join', 'tournament-join', 'tournament-start', 'game-start', 'tournament-match-finish', 'tournament-match-finish',
      'game-start', 'tournament-match-finish', 'tournament-finish',
    ]);
    expect(codesOf(p3)).toEqual([
      'tournament-join', 'tournament-start', 'game-start', 'tournament-match-finish', 'tournament-match-finish',
      'tournament-available-spectate-matches', 'tournament-match-finish', 'tournament-finish',
    ]);
    expect(codesOf(p4)).toEqual([
      'tournament-start', 'game-start', 'tournament-match-finish', 'tournament-match-finish',
      'tournament-available-spectate-matches', 'tournament-match-finish', 'tournament-finish',
    ]);

    // tournament-join: the newcomer as a tournament participant.
    const joined = envelopesOf(p1, 'tournament-join')[2];
    expect(joined).toEqual({
      service: 'tournament', event_code: 'tournament-join', type: 'event', message: `${p4.username} have joined the tournament.`, target: null,
      data: { id: p4.id, username: p4.username, profile_picture: REGISTER, tournament: created.id, stage: null, seed: null, still_in: true, creator: false, join_at: expect.any(String) },
      kwargs: { username: p4.id },
    });

    // tournament-start: the bracket, seeds by trophies, semi-finals 1v4 (n1) and 2v3 (n2).
    const start = envelopesOf(p4, 'tournament-start')[0];
    expect(start).toMatchObject({ service: 'tournament', type: 'event', message: `Tournament ${name} start in 3 seconds.`, target: null, kwargs: { name } });
    const bracket = start.data;
    expect(bracket).toMatchObject({ id: created.id, code: created.code, is_started: true, start_at: expect.any(String) });
    expect(bracket.participants).toHaveLength(4);
    expect(Object.keys(bracket.matches)).toEqual(['final', 'semi-final']);
    expect(bracket.matches.final).toEqual([]);
    const semis = bracket.matches['semi-final'];
    expect(semis.map((m: any) => m.n)).toEqual([1, 2]);
    expect(semis.map(idsOf)).toEqual([[p1.id, p4.id], [p2.id, p3.id]]);
    const semiStage = semis[0].user_1.stage;
    expect(semis[0]).toEqual({
      id: expect.any(Number), n: 1, match_code: null, score_winner: null, score_looser: null, finish_reason: null, finished: false,
      user_1: { id: p1.id, username: p1.username, profile_picture: REGISTER, creator: true, join_at: expect.any(String), tournament: created.id, stage: semiStage, seed: 1, still_in: true },
      user_2: { id: p4.id, username: p4.username, profile_picture: REGISTER, creator: false, join_at: expect.any(String), tournament: created.id, stage: semiStage, seed: 4, still_in: true },
    });
    expect(semis[1].user_1.seed).toBe(2);

    // game-start: a tournament match with its stage and number.
    const game = envelopesOf(p4, 'game-start')[0].data;
    expect(game).toMatchObject({ game_mode: 'tournament', tournament_id: created.id, tournament_stage_id: semiStage, tournament_n: 1 });
    expect(game.teams.a.players[0].id).toBe(p1.id);

    // The first result: the loser still in and the winner's stage unchanged in the data.
    const first = envelopesOf(p3, 'tournament-match-finish')[0];
    const firstWinner = first.kwargs.winner;
    const firstLoser = first.kwargs.looser;
    expect([[p1.id, p4.id], [p2.id, p3.id]]).toContainEqual([firstWinner, firstLoser]);
    expect(first.kwargs).toMatchObject({ score_winner: 3, score_looser: expect.any(Number), finish_reason: '' });
    const winnerName = all.find((p) => p.id === firstWinner)!.username;
    const loserName = all.find((p) => p.id === firstLoser)!.username;
    expect(first.message).toBe(`${winnerName} win against ${loserName} 3-${first.kwargs.score_looser}.`);
    const decided = first.data.matches['semi-final'].find((m: any) => m.winner === firstWinner);
    expect(decided).toMatchObject({ finished: true, match_code: null, score_winner: 3, finish_reason: 'normal-end' });
    const loserEntry = [decided.user_1, decided.user_2].find((u: any) => u.id === firstLoser);
    const winnerEntry = [decided.user_1, decided.user_2].find((u: any) => u.id === firstWinner);
    expect(loserEntry.still_in).toBe(true);
    expect(winnerEntry.stage).toBe(semiStage);
    const undecided = first.data.matches['semi-final'].find((m: any) => m.id !== decided.id);
    expect(undecided).not.toHaveProperty('winner');
    expect(undecided.match_code).toMatch(/^\d{4}$/);

    // The spectate event: the final's bracket id and its game code, to the two eliminated players only.
    const spectate = envelopesOf(p4, 'tournament-available-spectate-matches')[0];
    const finalMatch = envelopesOf(p1, 'tournament-match-finish')[2].data.matches.final[0];
    expect(spectate).toEqual({
      service: 'tournament', event_code: 'tournament-available-spectate-matches', type: 'event', message: '', target: null,
      data: { [String(finalMatch.id)]: envelopesOf(p1, 'game-start')[1].data.code }, kwargs: null,
    });
    expect(finalMatch).toMatchObject({ n: 3, winner: p1.id, finished: true, finish_reason: 'normal-end' });
    expect(idsOf(finalMatch)).toEqual([p1.id, p2.id]);
    // In the final's data, the semi-final losers are out and the finalists were advanced.
    const last = envelopesOf(p1, 'tournament-match-finish')[2];
    expect(last.kwargs).toMatchObject({ winner: p1.id, looser: p2.id, score_winner: 3, finish_reason: '' });
    expect(last.data.matches['semi-final'].flatMap((m: any) => [m.user_1, m.user_2]).filter((u: any) => !u.still_in).map((u: any) => u.id).sort())
      .toEqual([p3.id, p4.id].sort());

    // tournament-finish, then the unlock of the first tournament win's picture.
    const finish = envelopesOf(p3, 'tournament-finish')[0];
    expect(finish).toEqual({
      service: 'tournament', event_code: 'tournament-finish', type: 'notification',
      message: `The tournament ${name} is now over. Well done to ${p1.username} for his victory!`,
      target: [{ url: `/history/tournament/${created.id}`, type: 'url', method: null, display_name: 'view', display_icon: null }],
      data: { id: created.id }, kwargs: { name, username: p1.id },
    });
    expect(envelopesOf(p1, 'profile-picture-unlocked')[0].data).toMatchObject({ id: 2 });

    // Deleted from the play side, archived on the game side; the statistics count the win.
    for (const p of all) expect((await api.get('/api/play/tournament/', { token: p.access })).status).toBe(404);
    expect((await api.post(`/api/play/tournament/${created.code}/`, undefined, { token: p1.access })).status).toBe(404);
    const archived = await api.get(`/api/game/tournaments/${created.id}/`, { token: p3.access });
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ id: created.id, name, size: 4, created_by: p1.id, start_at: bracket.start_at, finish_at: expect.any(String) });
    expect(archived.body.matches['semi-final'].map((m: any) => m.n)).toEqual([1, 2]);
    expect(archived.body.matches.final).toHaveLength(1);
    expect(archived.body.matches.final[0]).toMatchObject({ n: 3, finish_reason: 'normal-end', winner: { id: p1.id, username: p1.username }, looser: { id: p2.id } });
    // The team reached 3; the winner's own `score` is lower when the statue touched the ball into its own goal.
    expect(archived.body.matches.final[0].winner.score).toBeLessThanOrEqual(3);
    const stats = (await api.get('/api/users/me/stats/', { token: p1.access })).body;
    expect(stats.find((r: any) => r.game_mode === 'tournament')).toMatchObject({ tournament_wins: 1, game_played: 2, wins: 2 });
    const history = (await api.get(`/api/game/matches/${p1.id}/`, { token: p1.access })).body;
    expect(history.results.map((m: any) => [m.game_mode, m.tournament_id, m.tournament_n])).toEqual([['tournament', created.id, 3], ['tournament', created.id, 1]]);
    // Everybody is free again.
    const again = await api.post('/api/play/tournament/', { name, size: 4 }, { token: p1.access });
    expect(again.status).toBe(201);
    expect((await api.delete(`/api/play/tournament/${again.body.code}/`, undefined, { token: p1.access })).status).toBe(204);
    await closeAll(...all);
  });
});

describe('a tournament of 8 played by bots', () => {
  it('8 players: the countdown at 7, the immediate start at 8, quarter-finals 1v8 4v5 2v7 3v6, then 1v4 and 2v3, then the final', { timeout: 120_000 }, async () => {
    const { all } = await runFull(server, api, 8);
    const last = envelopesOf(all[7], 'tournament-match-finish').at(-1).data.matches;
    const seed = (id: number | null) => all.findIndex((p) => p.id === id) + 1;
    expect(last['quarter-final'].map((m: any) => [m.n, ...idsOf(m).map(seed)])).toEqual([[1, 1, 8], [2, 4, 5], [3, 2, 7], [4, 3, 6]]);
    expect(last['semi-final'].map((m: any) => [m.n, ...idsOf(m).map(seed)])).toEqual([[3, 1, 4], [4, 2, 3]]);
    expect(last.final.map((m: any) => [m.n, ...idsOf(m).map(seed), seed(m.winner)])).toEqual([[5, 1, 2, 1]]);
    // The countdown was announced to the seven, then abandoned by the full start.
    const startAt = envelopesOf(all[0], 'tournament-start-at')[0];
    expect(startAt).toMatchObject({ message: expect.stringMatching(/ start in 20 seconds\.$/), data: { start_at: expect.any(String) } });
    await closeAll(...all);
  });
});

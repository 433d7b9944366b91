import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../src/game/bot/index.js';
import { eventuallyOnClock } from '../support/activity.js';
import { ApiClient } from '../support/http.js';
import { createMatch, GameSocket, pump } from '../support/game.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeAll, nth, player, type Player } from '../support/play.js';
import { allReceived, Arena, createTournament, envelopesOf, sleep, STATUE, uniqueTournamentName } from '../tournament/helpers.js';

/**
 * What links a finished match to its replay, and how computer players are
 * shown: `game_over` carries the match id (docs/game-protocol.md), a running
 * tournament's bracket carries `match_id` (docs/api.md), and every player a
 * computer player held carries `computer` with its level (docs/api.md,
 * Computer players) in the match object, the live list and the replay.
 */
let server: TestServer;
let api: ApiClient;
let internal: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
  internal = new ApiClient(server.internalUrl!);
});
afterAll(async () => server.close());

const get = async (p: Player, path: string) => {
  const res = await api.get(path, { token: p.access });
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  return res.body;
};
const idsOf = (team: Array<{ id: number }>) => team.map((x) => x.id);

describe('game_over names the finished match', () => {
  it('players and a spectator get its id; the replay can be fetched with it at once', { timeout: 120_000 }, async () => {
    const [a, b, watcher] = [await player(server, api), await player(server, api), await player(server, api)];
    const match = await createMatch(internal, 'duel', [a], [b]);
    const spectator = await GameSocket.open(server.publicUrl, watcher.access, { matchCode: match.code });
    // Two bot clients play the duel over the real socket: a returns everything, b never moves.
    const bots = [
      startBot(server.publicUrl, a.access, { skill: 'hard', clock: server.clock, insecure: true }),
      startBot(server.publicUrl, b.access, { skill: STATUE, clock: server.clock, insecure: true }),
    ];
    let done = 0;
    const overs = bots.map((bot) => bot.gameOver.then((value) => { done += 1; return value; }));
    await pump(server.clock, 600_000, { until: () => done === 2 });
    expect(done, 'the duel did not end').toBe(2);
    const [overA, overB] = await Promise.all(overs);
    expect(overA).toMatchObject({ reason: 'normal-end', winner: 'a', team_a: 3, forfeited_by: null, match_id: match.id });
    expect(overB).toEqual(overA);
    const seen = await spectator.next('game_over');
    expect(seen.data).toEqual(overA);

    // Stored before game_over went out: the id opens the replay right away, for anyone signed in.
    const replay = await get(watcher, `/api/game/matches/${match.id}/replay/`);
    expect(replay).toMatchObject({ match_id: match.id, finish_reason: 'normal-end', final_score: { a: 3, b: overA!.team_b } });
    expect([idsOf(replay.teams.a), idsOf(replay.teams.b)]).toEqual([[a.id], [b.id]]);
    // People are not marked.
    expect(replay.teams.a[0]).not.toHaveProperty('computer');
    await spectator.waitClosed(5000, server.clock);
    for (const bot of bots) bot.close();
    await closeAll(a, b, watcher);
  });
});

describe('computer players are marked with their level', () => {
  it('a game against the computer: the answer, game-start, the live list, the history and the replay', { timeout: 180_000 }, async () => {
    const p = await player(server, api);
    const res = await api.post('/api/play/computer/', { level: 'hard' }, { token: p.access });
    expect(res.status, res.text).toBe(201);
    const match = res.body;
    const [person] = match.teams.a.players;
    const [computer] = match.teams.b.players;
    expect(person.id).toBe(p.id);
    expect(person).not.toHaveProperty('computer');
    // The bot account is still shown as it is; `computer` says what it is.
    expect(computer).toMatchObject({ id: expect.any(Number), username: expect.stringMatching(/^Bot\d{6}$/), computer: 'hard' });
    expect((await p.stream.next('game-start')).envelope.data).toEqual(match);

    // The person never moves: the computer wins, and the end names the match.
    const client = startBot(server.publicUrl, p.access, { skill: STATUE, clock: server.clock, insecure: true });
    let over: any = null;
    void client.gameOver.then((value) => { over = value; });

    // The live list, while it runs (a custom game: listed to its players; a node reads it again at most once a second).
    const findLive = async () => (await get(p, '/api/game/live/?limit=100')).results.find((m: any) => m.code === match.code);
    const live = await eventuallyOnClock(server, findLive, (found) => found !== undefined, 'the game in the live list', 10);
    expect(live.teams.a).toEqual([{ id: p.id, username: p.username, profile_picture: expect.any(Object) }]);
    expect(live.teams.b).toEqual([{ id: computer.id, username: computer.username, profile_picture: expect.any(Object), computer: 'hard' }]);
    await pump(server.clock, 600_000, { until: () => over !== null });
    expect(over).toMatchObject({ reason: 'normal-end', winner: 'b', team_b: 3, match_id: match.id });
    await pump(server.clock, 1000);

    const recorded = (await get(p, `/api/game/matches/${p.id}/`)).results.find((m: any) => m.id === match.id);
    expect(recorded).toMatchObject({ finished: true, game_mode: 'custom_game', winner: 'b' });
    expect(recorded.teams.a.players[0]).not.toHaveProperty('computer');
    expect(recorded.teams.b.players[0]).toMatchObject({ id: computer.id, username: computer.username, computer: 'hard' });
    // The same match in the bot account's own history.
    const botHistory = (await get(p, `/api/game/matches/${computer.id}/`)).results.find((m: any) => m.id === match.id);
    expect(botHistory.teams.b.players[0].computer).toBe('hard');

    const replay = await get(p, `/api/game/matches/${match.id}/replay/`);
    expect(replay.teams.a).toEqual([{ id: p.id, username: p.username, profile_picture: expect.any(Object) }]);
    expect(replay.teams.b).toEqual([{ id: computer.id, username: computer.username, profile_picture: expect.any(Object), computer: 'hard' }]);

    // The export keeps its players bare.
    const exported = await get(p, '/api/users/me/download-data/');
    const bare = exported.game_data.replays.find((r: any) => r.match_id === match.id);
    expect(bare.teams.b).toEqual([{ id: computer.id }]);
    client.close();
    await closeAll(p);
  });

  it('a lobby bot plays at medium, and is marked so', { timeout: 60_000 }, async () => {
    const p = await player(server, api);
    const lobby = (await api.post('/api/play/lobby/', { game_mode: 'custom_game', match_type: '1v1', bot: true }, { token: p.access })).body;
    expect((await api.patch(`/api/play/lobby/${lobby.code}/`, { is_ready: true }, { token: p.access })).status).toBe(200);
    const match = (await p.stream.next('game-start')).envelope.data;
    expect(match.teams.a.players[0]).not.toHaveProperty('computer');
    expect(match.teams.b.players[0]).toMatchObject({ computer: 'medium' });
    // Over at once: the person gives up (the internal API), which frees the bot account.
    const finish = await internal.put(`/api/private/match/finish/${match.id}/`, { user_id: p.id, finish_reason: 'player-disconnect' });
    expect(finish.status, finish.text).toBe(200);
    const recorded = (await get(p, `/api/game/matches/${p.id}/`)).results.find((m: any) => m.id === match.id);
    expect(recorded.teams.b.players[0].computer).toBe('medium');
    await pump(server.clock, 1000);
    await closeAll(p);
  });
});

describe('the bracket of a running tournament', () => {
  it('carries the match id of each game: finished ones open their replay, computer players marked in it', { timeout: 300_000 }, async () => {
    const ann = await player(server, api, { trophies: 2000 });
    const tournament = await createTournament(api, ann, { name: uniqueTournamentName('Replays'), size: 4 });
    const added = await api.post(`/api/play/tournament/${tournament.code}/bots/`, { count: 3, level: 'easy' }, { token: ann.access });
    expect(added.status, added.text).toBe(201);
    expect(added.body.is_started).toBe(true);
    // Not launched yet at the start: no match id.
    await ann.stream.waitFor((events) => events.some((e) => e.event === 'tournament-start'));
    for (const slot of nth(ann, 'tournament-start').data.matches['semi-final']) expect(slot).not.toHaveProperty('match_id');

    // Ann's side wins (`hard` against `easy`); both semi-finals end, the tournament runs on.
    const arena = new Arena(server, () => ann.id);
    await arena.run([ann], allReceived([ann], 'tournament-match-finish', 2));

    // Her own game-start marks her opponent as a computer player.
    const semiGame = envelopesOf(ann, 'game-start')[0].data;
    const opponent = [...semiGame.teams.a.players, ...semiGame.teams.b.players].find((x: any) => x.id !== ann.id);
    expect(opponent.computer).toBe('easy');
    expect([...semiGame.teams.a.players, ...semiGame.teams.b.players].find((x: any) => x.id === ann.id)).not.toHaveProperty('computer');

    const running = await get(ann, '/api/play/tournament/');
    expect(running.is_started).toBe(true);
    const semis = running.matches['semi-final'];
    expect(semis).toHaveLength(2);
    for (const slot of semis) {
      // The bracket slot's own `id` stays what it was (the spectate event's keys); the game's id is beside it.
      expect(slot).toMatchObject({ id: expect.any(Number), finished: true, match_id: expect.any(Number) });
      // The result is announced as soon as it is recorded; the room stores the replay a moment later (before its game_over).
      const replay = await eventuallyOnClock(server, async () => (await api.get(`/api/game/matches/${slot.match_id}/replay/`, { token: ann.access })).body,
        (body) => body.match_id === slot.match_id, `the replay of ${JSON.stringify(slot)}`, 10);
      expect(replay).toMatchObject({ match_id: slot.match_id, game_mode: 'tournament', finish_reason: slot.finish_reason });
      const players = [...replay.teams.a, ...replay.teams.b];
      expect(players.map((x: any) => x.id).sort()).toEqual([slot.user_1.id, slot.user_2.id].sort());
      for (const x of players) {
        if (x.id === ann.id) expect(x).not.toHaveProperty('computer');
        else expect(x.computer).toBe('easy');
      }
    }
    // Ann's semi-final is the game she played (its id in her history).
    const mine = semis.find((slot: any) => [slot.user_1.id, slot.user_2.id].includes(ann.id));
    expect(mine.match_id).toBe(semiGame.id);
    const history = (await get(ann, `/api/game/matches/${ann.id}/`)).results.find((m: any) => m.id === mine.match_id);
    expect(history).toMatchObject({ game_mode: 'tournament', finished: true });
    expect(history.teams[history.teams.a.players[0].id === ann.id ? 'b' : 'a'].players[0].computer).toBe('easy');
    // The tournament-match-finish events carry it too.
    const decided = envelopesOf(ann, 'tournament-match-finish').map((e) => e.data.matches['semi-final'].find((m: any) => m.finished && m.winner === e.kwargs.winner));
    expect(decided.map((m: any) => m.match_id).sort()).toEqual(semis.map((m: any) => m.match_id).sort());

    // The final is played to the end; the tournament is archived with the same ids.
    await arena.run([ann], allReceived([ann], 'tournament-finish'));
    await sleep(300);
    arena.closeAll();
    const archived = await get(ann, `/api/game/tournaments/${tournament.id}/`);
    expect(archived.matches['semi-final'].map((m: any) => m.id).sort()).toEqual(semis.map((m: any) => m.match_id).sort());
    await pump(server.clock, 1000);
    await closeAll(ann);
  });
});

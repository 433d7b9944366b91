import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type BotHandle } from '../../src/game/bot/index.js';
import { ApiClient, registerUser, type TestUser } from '../support/http.js';
import { createMatch, GameSocket, pump } from '../support/game.js';
import { SseClient } from '../support/sse.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let api: ApiClient;
let internal: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
  internal = new ApiClient(server.internalUrl!);
});
afterAll(async () => server.close());

function bot(user: TestUser, skill: 'easy' | 'medium' | 'hard'): BotHandle {
  return startBot(server.publicUrl, user.access, { skill, clock: server.clock, insecure: true });
}

/** Runs the clock until every bot got `game_over` (10 minutes of game time at most). */
async function playOut(bots: BotHandle[]) {
  let done = 0;
  const results = bots.map((b) => b.gameOver.then((over) => { done += 1; return over; }));
  await pump(server.clock, 600_000, { until: () => done === bots.length });
  expect(done).toBe(bots.length);
  return Promise.all(results);
}

const statRow = async (user: TestUser, mode: string) =>
  (await api.get('/api/users/me/stats/', { token: user.access })).body.find((r: any) => r.game_mode === mode);

describe('a duel between two bots over real WebSockets', () => {
  it('plays to 3, records the result, the stats and clears game_playing', { timeout: 180_000 }, async () => {
    const a = await registerUser(api);
    const b = await registerUser(api);
    const streamA = await SseClient.open(server.publicUrl, a.access);
    const streamB = await SseClient.open(server.publicUrl, b.access);
    await streamA.next('ping');
    await streamB.next('ping');
    const match = await createMatch(internal, 'duel', [a], [b]);

    const start = await streamB.next('game-start');
    expect(start.envelope).toMatchObject({
      service: 'game', event_code: 'game-start', type: 'event', message: 'You play in a game.',
      target: [{ url: '/ws/game/', type: 'websocket', method: null, display_name: null, display_icon: null }],
    });
    expect(start.envelope.data).toEqual(match);
    expect(start.envelope.data.teams.a.players[0]).toEqual({ id: a.id, username: a.username, profile_picture: expect.objectContaining({ id: 1 }), score: 0 });
    expect((await streamA.next('game-start')).envelope.data.code).toBe(match.code);
    expect((await server.platform.users.findById(a.id))!.game_playing).toBe(match.code);
    expect((await server.platform.users.findById(b.id))!.game_playing).toBe(match.code);

    const bots = [bot(a, 'hard'), bot(b, 'easy')];
    const [overA, overB] = await playOut(bots);
    expect(overA).toEqual(overB);
    expect(overA!.reason).toBe('normal-end');
    const winner = overA!.winner!;
    const loser = winner === 'a' ? 'b' : 'a';
    expect(overA![`team_${winner}`]).toBe(3);
    expect(overA![`team_${loser}`]).toBeLessThan(3);
    await pump(server.clock, 600);
    expect((await bots[0].closed).code).toBe(1000);
    expect(bots[0].received.get('game_state')).toBeGreaterThan(10);
    // One point per goal, each started by start_game.
    expect(bots[1].received.get('start_game')).toBe(overA!.team_a + overA!.team_b);

    const list = await api.get(`/api/game/matches/${a.id}/`, { token: a.access });
    expect(list.status).toBe(200);
    expect(list.body.count).toBe(1);
    const item = list.body.results[0];
    expect(item).toMatchObject({
      id: match.id, code: null, game_mode: 'duel', match_type: '1v1', tournament_id: null, tournament_stage_id: null,
      tournament_n: null, finished: true, winner, looser: loser,
    });
    expect(item.teams.a.score).toBe(overA!.team_a);
    expect(item.teams.b.score).toBe(overA!.team_b);
    expect(item.game_duration).toMatch(/^00:0\d:\d\d(\.\d{6})?$/);
    expect(item.game_duration).not.toBe('00:03:00');
    expect(item.teams.a.players[0].username).toBe(a.username);

    const winnerUser = winner === 'a' ? a : b;
    const loserUser = winner === 'a' ? b : a;
    expect(await statRow(winnerUser, 'duel')).toMatchObject({ game_played: 1, wins: 1, current_win_streak: 1 });
    expect(await statRow(loserUser, 'duel')).toMatchObject({ game_played: 1, wins: 0, current_win_streak: 0 });
    expect((await statRow(winnerUser, 'global')).scored).toBe(item.teams[winner].players[0].score);
    expect((await server.platform.users.findById(a.id))!.game_playing).toBeNull();
    expect((await server.platform.users.findById(b.id))!.game_playing).toBeNull();
    streamA.close();
    streamB.close();
  });
});

describe('a 3v3 clash between six bots, with a spectator', () => {
  it('plays to 3 on the clash field; the result counts own goals', { timeout: 240_000 }, async () => {
    const a = [await registerUser(api), await registerUser(api), await registerUser(api)];
    const b = [await registerUser(api), await registerUser(api), await registerUser(api)];
    const match = await createMatch(internal, 'clash', a, b);
    expect(match.teams.a.players[0]).toMatchObject({ id: a[0].id, own_goal: 0, score: 0 });

    const bots = [...a.map((u) => bot(u, 'hard')), ...b.map((u) => bot(u, 'easy'))];
    await pump(server.clock, 2500, { until: () => bots.every((x) => x.received.get('start_game')) });
    expect(bots.every((x) => x.received.get('rackets') === 1)).toBe(true);

    const watcher = await registerUser(api);
    const spectator = await GameSocket.open(server.publicUrl, watcher.access, { matchCode: match.code });
    const rackets = await spectator.next('rackets');
    expect(rackets.data).toEqual({
      [a[0].id]: 1670, [a[1].id]: 1470, [a[2].id]: 1270, [b[0].id]: 100, [b[1].id]: 300, [b[2].id]: 500,
    });
    expect((await spectator.next('canvas')).data).toEqual({ canvas_width: 1800, canvas_height: 750 });

    const [over] = await playOut(bots);
    expect(over!.reason).toBe('normal-end');
    expect(Math.max(over!.team_a, over!.team_b)).toBe(3);
    expect((await spectator.next('game_over')).data).toEqual(over);

    const item = (await api.get(`/api/game/matches/${b[2].id}/`, { token: b[2].access })).body.results[0];
    expect(item).toMatchObject({ id: match.id, game_mode: 'clash', match_type: '3v3', winner: over!.winner });
    const sum = (players: any[], key: string) => players.reduce((n, p) => n + p[key], 0);
    expect(item.teams.a.score).toBe(sum(item.teams.a.players, 'score') + sum(item.teams.b.players, 'own_goal'));
    expect(item.teams.b.score).toBe(sum(item.teams.b.players, 'score') + sum(item.teams.a.players, 'own_goal'));
    for (const [user, entry] of [...a, ...b].map((u, i) => [u, [...item.teams.a.players, ...item.teams.b.players][i]] as const)) {
      expect(entry.id).toBe(user.id);
      expect(await statRow(user, 'clash')).toMatchObject({ game_played: 1, own_goals: entry.own_goal, scored: entry.score });
    }
  });
});

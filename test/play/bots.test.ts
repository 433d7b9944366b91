import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../src/game/bot/index.js';
import { ApiClient } from '../support/http.js';
import { pump } from '../support/game.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeAll, expectSequence, lobbyEvent, nth, player } from '../support/play.js';

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
});
afterAll(async () => server.close());

describe('the lobby bot flag', () => {
  it('is off by default; the creator turns it on and off', async () => {
    const a = await player(server, api);
    const b = await player(server, api);
    const lobby = (await api.post('/api/play/lobby/', { game_mode: 'custom_game' }, { token: a.access })).body;
    expect(lobby.bot).toBe(false);
    await api.post(`/api/play/lobby/${lobby.code}/`, undefined, { token: b.access });
    const on = await api.patch('/api/play/lobby/', { bot: true }, { token: a.access });
    expect([on.status, on.body.bot]).toEqual([200, true]);
    await expectSequence(b, ['lobby-update']);
    expect(nth(b, 'lobby-update')).toEqual(lobbyEvent('lobby-update', { bot: true }));
    const clash = (await api.post('/api/play/lobby/', { game_mode: 'clash', bot: true }, { token: b.access })).body;
    expect(clash.bot).toBe(false);
    await closeAll(a, b);
  });

  it('fills the empty seat of a custom 1v1 with a bot account that really plays the match over the WebSocket', { timeout: 180_000 }, async () => {
    const a = await player(server, api);
    const spectator = await player(server, api);
    const lobby = (await api.post('/api/play/lobby/', { game_mode: 'custom_game', match_type: '1v1', bot: true }, { token: a.access })).body;
    expect(lobby).toMatchObject({ bot: true, is_ready: false });
    await api.post(`/api/play/lobby/${lobby.code}/`, undefined, { token: spectator.access });
    // Alone with the bot flag, team b (empty) does not hold the lobby back.
    expect((await api.patch(`/api/play/lobby/${lobby.code}/`, { team: 'spectator' }, { token: spectator.access })).status).toBe(200);
    expect((await api.patch(`/api/play/lobby/${lobby.code}/`, { is_ready: true }, { token: a.access })).status).toBe(200);

    await expectSequence(a, ['lobby-join', 'lobby-update-participant', 'game-start']);
    await expectSequence(spectator, ['lobby-update-participant', 'lobby-spectate-game']);
    const match = nth(a, 'game-start').data;
    expect(match).toMatchObject({ game_mode: 'custom_game', match_type: '1v1' });
    expect(match.teams.a.players.map((p: any) => p.id)).toEqual([a.id]);
    const botPlayer = match.teams.b.players[0];
    expect(botPlayer.username).toMatch(/^Bot\d{6}$/);
    const botAccount = await server.platform.users.findById(botPlayer.id);
    expect(botAccount).toMatchObject({ is_guest: 1, game_playing: match.code });
    expect(nth(spectator, 'lobby-spectate-game').data).toEqual({ code: match.code });
    expect(server.platform.play.bots.playing).toBe(1);

    // The human side is played by a bot too, so that the match runs to its end.
    const human = startBot(server.publicUrl, a.access, { skill: 'easy', clock: server.clock, insecure: true });
    let over = false;
    const result = human.gameOver.then((value) => { over = true; return value; });
    const began = server.clock.now();
    await pump(server.clock, 600_000, { until: () => over });
    expect(server.clock.now() - began).toBeGreaterThan(0);
    const gameOver = await result;
    expect(gameOver).toMatchObject({ reason: 'normal-end' });
    expect(Math.max(gameOver!.team_a, gameOver!.team_b)).toBe(3);
    await pump(server.clock, 1000);
    // The lobby bot scored or conceded like any player; the match is recorded with it.
    const history = (await api.get(`/api/game/matches/${botPlayer.id}/`, { token: a.access })).body;
    expect(history.count).toBe(1);
    expect(history.results[0]).toMatchObject({ id: match.id, finished: true, game_mode: 'custom_game' });
    expect(history.results[0].teams.b.score).toBe(gameOver!.team_b);
    expect(server.platform.play.bots.playing).toBe(0);

    // After the game the lobby can start again (and reuses the now free bot account).
    const after = (await api.get('/api/play/lobby/', { token: a.access })).body;
    expect(after).toMatchObject({ game_playing: null, is_ready: false });
    expect((await server.platform.users.findById(botPlayer.id))!.game_playing).toBeNull();
    expect((await api.patch(`/api/play/lobby/${lobby.code}/`, { is_ready: true }, { token: a.access })).status).toBe(200);
    await a.stream.waitFor((events) => events.filter((e) => e.event === 'game-start').length === 2);
    const second = a.stream.notifications.filter((e) => e.event === 'game-start')[1].envelope.data;
    expect(second.teams.b.players[0].id).toBe(botPlayer.id);
    await closeAll(a, spectator);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type BotHandle, type BotSkill } from '../../src/game/bot/index.js';
import { ApiClient, registerUser } from '../support/http.js';
import { pump } from '../support/game.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeAll, matchmakerSettled, nth, player, type Player } from '../support/play.js';
import { STATUE } from '../tournament/helpers.js';

let server: TestServer;
let api: ApiClient;

/** Computer players running on the node(s) of the test server (two under TEST_TWO_NODES). */
const playingBots = () => [server, server.second].reduce((n, node) => n + (node?.platform.play.bots.playing ?? 0), 0);

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
});
afterAll(async () => server.close());

const play = (p: Player, body: unknown = {}) => api.post('/api/play/computer/', body, { token: p.access });
const history = async (p: Player) => (await api.get(`/api/game/matches/${p.id}/`, { token: p.access })).body;
const statRow = async (p: Player, mode: string) => (await api.get('/api/users/me/stats/', { token: p.access })).body.find((r: any) => r.game_mode === mode);

/** The person's side, played by a bot client over the real socket; the clock runs until `game_over`. */
async function playOut(p: Player, skill: 'easy' | 'medium' | 'hard' | BotSkill): Promise<{ over: any; client: BotHandle }> {
  const client = startBot(server.publicUrl, p.access, { skill, clock: server.clock, insecure: true });
  let done = false;
  const over = client.gameOver.then((value) => { done = true; return value; });
  await pump(server.clock, 900_000, { until: () => done });
  expect(done, 'the game against the computer did not end').toBe(true);
  // The room closes its sockets half a second after game_over.
  await pump(server.clock, 1000);
  return { over: await over, client };
}

describe('playing the computer', () => {
  // A person who plays well beats `easy`; `medium` and `hard` beat a person who never moves.
  const cases = [
    { level: 'easy', person: 'hard', winner: 'a' },
    { level: 'medium', person: STATUE, winner: 'b' },
    { level: 'hard', person: STATUE, winner: 'b' },
  ] as const;

  for (const { level, person, winner } of cases) {
    it(`at ${level}: 201 with the match, game-start, a computer player over the real socket, recorded as a custom game`, { timeout: 180_000 }, async () => {
      const p = await player(server, api);
      const res = await play(p, { level });
      expect(res.status, res.text).toBe(201);
      const match = res.body;
      expect(match).toMatchObject({ game_mode: 'custom_game', match_type: '1v1', finished: false, code: expect.stringMatching(/^\d{4}$/) });
      expect(match.teams.a.players.map((x: any) => x.id)).toEqual([p.id]);
      const computer = match.teams.b.players[0];
      expect(computer.username).toMatch(/^Bot\d{6}$/);
      expect(await server.platform.play.bots.isBot(computer.id)).toBe(true);
      expect((await p.stream.next('game-start')).envelope.data).toEqual(match);
      const playing = playingBots();
      expect(playing).toBeGreaterThanOrEqual(1);

      const { over } = await playOut(p, person);
      expect(over).toMatchObject({ reason: 'normal-end', winner });
      expect(over[`team_${winner}`]).toBe(3);
      expect(playingBots()).toBe(playing - 1);

      const recorded = (await history(p)).results[0];
      expect(recorded).toMatchObject({ id: match.id, game_mode: 'custom_game', finished: true, winner, finish_reason: 'normal-end' });
      // Like any custom game, it stays out of the statistics.
      expect(await statRow(p, 'global')).toMatchObject({ game_played: 0 });
      expect((await server.platform.users.findById(computer.id))!.game_playing).toBeNull();
      await closeAll(p);
    });
  }

  it('takes no level (medium), refuses a bad level, a caller without a stream and a caller already in a game', async () => {
    const p = await player(server, api);
    const bad = await play(p, { level: 'impossible' });
    expect([bad.status, bad.body]).toEqual([400, { level: ["Level must be 'easy', 'medium' or 'hard'."] }]);
    expect((await play(p, { level: null })).body).toEqual({ level: ['This field may not be null.'] });

    const first = await play(p);
    expect(first.status).toBe(201);
    const again = await play(p, { level: 'easy' });
    expect([again.status, again.body]).toEqual([409, { detail: 'You are already in a game.' }]);
    // Nothing else either while it runs.
    expect((await api.post('/api/play/duel/', undefined, { token: p.access })).body).toEqual({ detail: 'You are already in a game.' });

    p.stream.close();
    const noStream = await api.post('/api/play/computer/', {}, { token: (await registerUser(api)).access });
    expect([noStream.status, noStream.body.code]).toEqual([401, 'sse_connection_required']);
  });

  it('releases an idle lobby and a ranked entry, like entering any other activity', async () => {
    const p = await player(server, api);
    const lobby = (await api.post('/api/play/lobby/', { game_mode: 'custom_game' }, { token: p.access })).body;
    expect((await play(p)).status).toBe(201);
    expect((await api.get('/api/play/lobby/', { token: p.access })).status).toBe(404);
    expect(await server.platform.play.lobbies.lobbyOf(p.id)).toBeUndefined();
    expect(lobby.code).toMatch(/^\d{4}$/);

    const q = await player(server, api);
    expect((await api.post('/api/play/ranked/', undefined, { token: q.access })).status).toBe(201);
    expect((await play(q)).status).toBe(201);
    expect(await server.platform.play.queues.entryOf(q.id)).toBeNull();
    await closeAll(p, q);
  });
});

describe('a duel search while playing the computer', () => {
  it('keeps the duel entry; when somebody comes, the computer gives its game up (not a loss) and the duel starts', { timeout: 60_000 }, async () => {
    const alice = await player(server, api);
    expect((await api.post('/api/play/duel/', undefined, { token: alice.access })).status).toBe(201);
    const entry = await server.platform.play.queues.entryOf(alice.id);
    const practice = (await play(alice, { level: 'easy' })).body;
    expect(await server.platform.play.queues.entryOf(alice.id)).toEqual(entry);
    const computerId = practice.teams.b.players[0].id;

    // Alice plays a little: the point is on when bob arrives.
    const client = startBot(server.publicUrl, alice.access, { skill: 'hard', clock: server.clock, insecure: true });
    await pump(server.clock, 6000);
    expect(client.received.get('start_game')).toBeGreaterThan(0);

    const bob = await player(server, api);
    expect((await api.post('/api/play/duel/', undefined, { token: bob.access })).status).toBe(201);
    await matchmakerSettled(server);
    const over = await client.gameOver;
    expect(over).toMatchObject({ reason: 'player-disconnect', forfeited_by: computerId, winner: 'a', team_a: 3, team_b: 0 });

    await alice.stream.waitFor((events) => events.filter((e) => e.event === 'game-start').length === 2);
    const duel = nth(alice, 'game-start', 1).data;
    expect(duel.game_mode).toBe('duel');
    expect([duel.teams.a.players[0].id, duel.teams.b.players[0].id].sort()).toEqual([alice.id, bob.id].sort());
    expect((await bob.stream.next('game-start')).envelope.data.id).toBe(duel.id);
    expect(await server.platform.play.queues.entryOf(alice.id)).toBeNull();

    // Recorded as the computer leaving: a win for alice, never a loss.
    await pump(server.clock, 1000);
    const recorded = (await history(alice)).results.find((m: any) => m.id === practice.id);
    expect(recorded).toMatchObject({ finished: true, game_mode: 'custom_game', winner: 'a', finish_reason: 'player-disconnect', forfeited_by: computerId });
    expect(await statRow(alice, 'global')).toMatchObject({ game_played: 0, wins: 0 });
    client.close();
    await closeAll(alice, bob);
  });

  it('a computer game that ends on its own leaves the duel entry in place; the next person is matched at once', { timeout: 180_000 }, async () => {
    const carol = await player(server, api);
    expect((await api.post('/api/play/duel/', undefined, { token: carol.access })).status).toBe(201);
    expect((await play(carol, { level: 'hard' })).status).toBe(201);
    const { over } = await playOut(carol, STATUE);
    expect(over).toMatchObject({ reason: 'normal-end', winner: 'b' });
    expect(await server.platform.play.queues.entryOf(carol.id)).toMatchObject({ game_mode: 'duel' });

    const dan = await player(server, api);
    expect((await api.post('/api/play/duel/', undefined, { token: dan.access })).status).toBe(201);
    await matchmakerSettled(server);
    await carol.stream.waitFor((events) => events.filter((e) => e.event === 'game-start').length === 2);
    expect(nth(carol, 'game-start', 1).data).toMatchObject({ game_mode: 'duel' });
    expect((await dan.stream.next('game-start')).envelope.data.game_mode).toBe('duel');
    await closeAll(carol, dan);
  });
});

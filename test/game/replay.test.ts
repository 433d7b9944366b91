import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type BotHandle } from '../../src/game/bot/index.js';
import type { Ball } from '../../src/game/engine/index.js';
import { CloseCodes, type ServerFrame, type ServerMessages } from '../../src/game/protocol.js';
import { ReplayPlayer, type ReplayDocument } from '../../src/game/replay/index.js';
import { ApiClient, createGuest, registerUser, type TestUser } from '../support/http.js';
import { createMatch, GameSocket, pump, settle } from '../support/game.js';
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
const bot = (user: TestUser, skill: 'easy' | 'medium' | 'hard'): BotHandle =>
  startBot(server.publicUrl, user.access, { skill, clock: server.clock, insecure: true });
const replayOf = (matchId: number, caller: TestUser) => api.get(`/api/game/matches/${matchId}/replay/`, { token: caller.access });

/** Runs the clock until the spectator saw `game_over` (10 minutes of game time at most). */
async function playUntilOver(spectator: GameSocket, limitMs = 600_000): Promise<ServerMessages['game_over']> {
  await pump(server.clock, limitMs, { until: () => spectator.events('game_over').length > 0 });
  return (await spectator.next('game_over')).data;
}

/** The sockets close 0.5 s (clock time) after `game_over`. */
async function closed(bots: BotHandle[]): Promise<void> {
  await pump(server.clock, 600);
  await Promise.all(bots.map((x) => x.closed));
}

interface LiveGoal {
  score: ServerMessages['score'];
  /** The last `game_state` before the `score`: the ball as every viewer last saw it. */
  ball: ServerMessages['game_state'];
}

/** The goals a spectator (server frame, unmirrored) saw, from the first countdown on (the catch-up's `score` is not a goal). */
function liveGoals(frames: ServerFrame[]): LiveGoal[] {
  const goals: LiveGoal[] = [];
  let started = false;
  let ball: ServerMessages['game_state'] | null = null;
  for (const frame of frames) {
    if (frame.event === 'start_countdown') started = true;
    if (frame.event === 'game_state') ball = frame.data;
    if (frame.event === 'score' && started) goals.push({ score: frame.data, ball: ball! });
  }
  return goals;
}

const wire = (ball: Ball) => ({ position_x: ball.x, position_y: ball.y, speed_x: ball.speedX, speed_y: ball.speedY, speed: ball.speed });

/** The replay over HTTP, run through the player: the same goals, at the same ticks, with the ball where the live viewers saw it. */
async function checkReplay(matchId: number, caller: TestUser, live: LiveGoal[]): Promise<{ doc: ReplayDocument; player: ReplayPlayer }> {
  const response = await replayOf(matchId, caller);
  expect(response.status).toBe(200);
  const doc = response.body as ReplayDocument;
  const player = new ReplayPlayer(doc);
  const simulated = player.goals();
  expect(simulated.map((g) => g.tick)).toEqual(doc.goals.map((g) => g.tick));
  expect(simulated.map((g) => g.team)).toEqual(doc.goals.map((g) => g.team));
  expect(simulated.map((g) => g.score)).toEqual(live.map((g) => ({ a: g.score.team_a, b: g.score.team_b })));
  expect(simulated.map((g) => wire(g.seenBall))).toEqual(live.map((g) => g.ball));
  for (const goal of simulated) {
    // At its tick the ball is past a goal line, and seeking there gives the same state as the straight run.
    const at = player.seek(goal.tick);
    expect(at.ball).toEqual(goal.ball);
    expect(at.ball.x + doc.layout.ballSize < 0 || at.ball.x > doc.layout.width).toBe(true);
  }
  player.seek(0);
  const end = player.toEnd();
  expect(end.score).toEqual(doc.field_score);
  expect(player.phase).toBe('over');
  expect(player.tick).toBe(doc.duration_ticks);
  return { doc, player };
}

async function storedBytes(matchId: number): Promise<{ stored: number; raw: number }> {
  const row = await server.platform.db.selectFrom('match_replays').select('recording').where('match_id', '=', matchId).executeTakeFirstOrThrow();
  return { stored: row.recording.length, raw: inflateRawSync(row.recording).length };
}

/** Every finished match of the API tests below: a duel whose replay exists. */
let duel: { a: TestUser; b: TestUser; matchId: number; doc: ReplayDocument };

describe('replays of bot matches played live', () => {
  it('1v1 to 3: the replay gives the same goals, ticks, balls and final score', { timeout: 180_000 }, async () => {
    const [a, b, watcher] = await users(3);
    const match = await createMatch(internal, 'duel', [a], [b]);
    const spectator = await GameSocket.open(server.publicUrl, watcher.access, { matchCode: match.code });
    await spectator.next('game_state');
    const bots = [bot(a, 'hard'), bot(b, 'easy')];
    const over = await playUntilOver(spectator);
    expect(over.reason).toBe('normal-end');
    const live = liveGoals(spectator.frames);
    expect(live.length).toBe(over.team_a + over.team_b);

    const { doc } = await checkReplay(match.id, a, live);
    expect(doc).toMatchObject({
      version: 1, match_id: match.id, game_mode: 'duel', match_type: '1v1', takeover: false, start_score: { a: 0, b: 0 },
      final_score: { a: over.team_a, b: over.team_b }, field_score: { a: over.team_a, b: over.team_b },
      winner: over.winner, finish_reason: 'normal-end', forfeited_by: null,
    });
    expect(doc.layout).toMatchObject({ name: 'normal', width: 1000, height: 600, paddlesPerTeam: 1 });
    expect(doc.teams).toEqual({
      a: [{ id: a.id, username: a.username, profile_picture: expect.any(Object) }],
      b: [{ id: b.id, username: b.username, profile_picture: expect.any(Object) }],
    });
    expect(doc.events.at(-1)).toMatchObject({ type: 'game_over', reason: 'normal-end', score: doc.final_score, forfeited_by: null });
    expect(doc.events.filter((e) => e.type === 'start_game').length).toBe(live.length);
    expect(doc.goals.map((g) => g.scorer).every((id) => id === a.id || id === b.id)).toBe(true);
    const bytes = await storedBytes(match.id);
    expect(bytes.stored).toBeLessThan(4096);
    console.log(`replay 1v1 ${over.team_a}-${over.team_b}, ${doc.duration_ticks} ticks, ${doc.events.length} events: ${bytes.stored} bytes stored (${bytes.raw} raw)`);
    await closed(bots);
    duel = { a, b, matchId: match.id, doc };
  });

  it('3v3 clash: the same on the clash field, own goals included', { timeout: 240_000 }, async () => {
    const a = await users(3);
    const b = await users(3);
    const [watcher] = await users(1);
    const match = await createMatch(internal, 'clash', a, b);
    const spectator = await GameSocket.open(server.publicUrl, watcher.access, { matchCode: match.code });
    await spectator.next('game_state');
    const bots = [...a.map((u) => bot(u, 'hard')), ...b.map((u) => bot(u, 'easy'))];
    const over = await playUntilOver(spectator);
    expect(over.reason).toBe('normal-end');
    const live = liveGoals(spectator.frames);
    const { doc } = await checkReplay(match.id, b[2], live);
    expect(doc).toMatchObject({ game_mode: 'clash', match_type: '3v3', final_score: { a: over.team_a, b: over.team_b } });
    expect(doc.layout).toMatchObject({ name: 'clash', paddlesPerTeam: 3 });
    expect(doc.teams.a.map((p) => p.id)).toEqual(a.map((u) => u.id));
    expect(doc.teams.b.map((p) => p.id)).toEqual(b.map((u) => u.id));
    const item = (await api.get(`/api/game/matches/${a[0].id}/`, { token: a[0].access })).body.results[0];
    const ownGoals = [...item.teams.a.players, ...item.teams.b.players].reduce((n: number, p: any) => n + p.own_goal, 0);
    expect(doc.goals.filter((g) => g.own_goal).length).toBe(ownGoals);
    const bytes = await storedBytes(match.id);
    console.log(`replay 3v3 ${over.team_a}-${over.team_b}, ${doc.duration_ticks} ticks, ${doc.events.length} events: ${bytes.stored} bytes stored (${bytes.raw} raw)`);
    await closed(bots);
  });

  it('a player who leaves and never comes back: the forfeit ends the replay', { timeout: 180_000 }, async () => {
    const [a, b, watcher] = await users(3);
    const match = await createMatch(internal, 'duel', [a], [b]);
    const spectator = await GameSocket.open(server.publicUrl, watcher.access, { matchCode: match.code });
    await spectator.next('game_state');
    const bots = [bot(a, 'hard'), bot(b, 'easy')];
    await pump(server.clock, 600_000, { until: () => liveGoals(spectator.frames).length >= 1 });
    await pump(server.clock, 3000);
    bots[1].close();
    await spectator.next('player_disconnected');
    const over = await playUntilOver(spectator, 15_000);
    expect(over).toMatchObject({ reason: 'player-disconnect', forfeited_by: b.id });
    const live = liveGoals(spectator.frames);

    const { doc, player } = await checkReplay(match.id, a, live);
    expect(doc).toMatchObject({ finish_reason: 'player-disconnect', forfeited_by: b.id, final_score: { a: 3, b: 0 }, winner: 'a' });
    const tail = doc.events.slice(-2);
    expect(tail[0]).toMatchObject({ type: 'player_disconnected', team: 'b', index: 0, player: b.id });
    expect(tail[1]).toMatchObject({ type: 'game_over', reason: 'player-disconnect', score: { a: 3, b: 0 }, forfeited_by: b.id });
    // About 10 s of pause between the two, in clock ms.
    expect((tail[1] as { ms: number }).ms - (tail[0] as { ms: number }).ms).toBeGreaterThanOrEqual(10_000);
    expect(player.state.score).toEqual(doc.field_score);
    await closed(bots);
  });

  it('a player who leaves and comes back: the pause and the resumed point replay exactly', { timeout: 180_000 }, async () => {
    const [a, b, watcher] = await users(3);
    const match = await createMatch(internal, 'duel', [a], [b]);
    const spectator = await GameSocket.open(server.publicUrl, watcher.access, { matchCode: match.code });
    await spectator.next('game_state');
    const bots = [bot(a, 'hard'), bot(b, 'easy')];
    await pump(server.clock, 600_000, { until: () => liveGoals(spectator.frames).length >= 1 });
    await pump(server.clock, 2600);
    bots[1].close();
    await spectator.next('player_disconnected');
    await pump(server.clock, 3000);
    bots.push(bot(b, 'easy'));
    await spectator.next('player_reconnected');
    const over = await playUntilOver(spectator);
    expect(over.reason).toBe('normal-end');

    const { doc } = await checkReplay(match.id, a, liveGoals(spectator.frames));
    const types = doc.events.filter((e) => !e.type.startsWith('move') && e.type !== 'stop_moving').map((e) => e.type);
    const away = types.indexOf('player_disconnected');
    expect(types.slice(away, away + 5)).toEqual(['player_disconnected', 'player_reconnected', 'resume', 'start_countdown', 'start_game']);
    await closed([bots[0], bots[2]]);
  });

  it('a room rebuilt mid-match (takeover): the replay starts there, from the recorded score', { timeout: 180_000 }, async () => {
    const [a, b, watcher] = await users(3);
    const match = await createMatch(internal, 'duel', [a], [b]);
    const first = await GameSocket.open(server.publicUrl, watcher.access, { matchCode: match.code });
    await first.next('game_state');
    const before = [bot(a, 'hard'), bot(b, 'easy')];
    await pump(server.clock, 600_000, { until: () => liveGoals(first.frames).length >= 1 });
    await pump(server.clock, 1000);
    const scoreThen = liveGoals(first.frames).at(-1)!.score;
    // What a node's death or drain does to the room; the players reconnect, the next node rebuilds it.
    onEachNode(server, (p) => p.rooms.findByMatch(match.id)?.dispose(CloseCodes.restarting, 'Server restarting.'));
    await Promise.all(before.map((x) => x.closed));
    await settle(100);

    const spectator = await GameSocket.open(server.publicUrl, watcher.access, { matchCode: match.code });
    await spectator.next('game_state');
    const after = [bot(a, 'hard'), bot(b, 'easy')];
    const over = await playUntilOver(spectator);
    expect(over.reason).toBe('normal-end');

    const { doc } = await checkReplay(match.id, a, liveGoals(spectator.frames));
    expect(doc.takeover).toBe(true);
    expect(doc.start_score).toEqual({ a: scoreThen.team_a, b: scoreThen.team_b });
    expect(doc.goals.length).toBe(over.team_a + over.team_b - scoreThen.team_a - scoreThen.team_b);
    await closed(after);
  });
});

describe('GET /api/game/matches/<match id>/replay/', () => {
  it('answers 404 for an unknown or unfinished match, or one finished without a recording; 401 without a token', async () => {
    const [a, b] = await users(2);
    expect(await replayOf(999_999, a)).toMatchObject({ status: 404, body: { detail: 'Match not found.' } });
    expect((await api.get('/api/game/matches/abc/replay/', { token: a.access })).status).toBe(404);
    const match = await createMatch(internal, 'duel', [a], [b]);
    expect(await replayOf(match.id, a)).toMatchObject({ status: 404, body: { detail: 'Match not found.' } });
    // Goals through the internal API: the match finishes without any room.
    for (let g = 0; g < 3; g++) expect((await internal.put(`/api/private/match/score/${a.id}/`, { own_goal: false })).status).toBe(200);
    expect(await replayOf(match.id, a)).toMatchObject({ status: 404, body: { detail: 'This match has no replay.' } });
    expect((await api.get(`/api/game/matches/${duel.matchId}/replay/`)).status).toBe(401);
  });

  it('is visible to whoever sees the match in a history: any signed-in user, a guest, one a player blocked', async () => {
    const [other] = await users(1);
    const guest = await createGuest(api);
    expect((await api.post('/api/users/me/blocked/', { user_id: other.id }, { token: duel.a.access })).status).toBe(201);
    for (const caller of [other, guest, duel.b]) {
      const history = await api.get(`/api/game/matches/${duel.a.id}/`, { token: caller.access });
      expect(history.body.results.map((m: any) => m.id)).toContain(duel.matchId);
      const replay = await replayOf(duel.matchId, caller);
      expect(replay.status).toBe(200);
      expect(replay.body.events).toEqual(duel.doc.events);
    }
  });

  it('is part of the data export, players bare as in the exported matches', async () => {
    const download = await api.get('/api/users/me/download-data/', { token: duel.a.access });
    expect(download.status).toBe(200);
    const replays = download.body.game_data.replays as ReplayDocument[];
    const exported = replays.find((r) => r.match_id === duel.matchId)!;
    expect(exported).toEqual({ ...duel.doc, teams: { a: [{ id: duel.a.id }], b: [{ id: duel.b.id }] } });
    expect(download.body.game_data.matches.map((m: any) => m.id)).toContain(duel.matchId);
    const [idle] = await users(1);
    expect((await api.get('/api/users/me/download-data/', { token: idle.access })).body.game_data.replays).toEqual([]);
  });

  it('follows its match: an account deletion keeps both (the player shown bare), deleting the match deletes the replay', async () => {
    expect((await api.delete('/api/users/me/', { password: duel.b.password }, { token: duel.b.access })).status).toBe(204);
    const kept = await replayOf(duel.matchId, duel.a);
    expect(kept.status).toBe(200);
    expect(kept.body.teams.b).toEqual([{ id: duel.b.id }]);
    const listed = (await api.get(`/api/game/matches/${duel.a.id}/`, { token: duel.a.access })).body.results.find((m: any) => m.id === duel.matchId);
    expect(listed.teams.b.players[0]).toEqual({ id: duel.b.id, score: expect.any(Number) });

    await server.platform.db.deleteFrom('matches').where('id', '=', duel.matchId).execute();
    const rows = await server.platform.db.selectFrom('match_replays').select('match_id').where('match_id', '=', duel.matchId).execute();
    expect(rows).toEqual([]);
    expect(await replayOf(duel.matchId, duel.a)).toMatchObject({ status: 404, body: { detail: 'Match not found.' } });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/game/engine/index.js';
import { CloseCodes } from '../../src/game/protocol.js';
import { ApiClient, registerUser, type TestUser } from '../support/http.js';
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

/** A duel between two fresh users, both connected, through the start sequence up to `start_game`. */
async function startedDuel() {
  onEachNode(server, (p) => p.rooms.useRandom(seededRandom(1)));
  const a = await registerUser(api);
  const b = await registerUser(api);
  const match = await createMatch(internal, 'duel', [a], [b]);
  const sa = await GameSocket.open(server.publicUrl, a.access);
  const sb = await GameSocket.open(server.publicUrl, b.access, { viaHeader: true });
  await sa.next('start_countdown');
  await sb.next('start_countdown');
  await pump(server.clock, 2000);
  await sa.next('start_game');
  await sb.next('start_game');
  return { a, b, match, sa, sb };
}

const matchOf = async (user: TestUser) => (await internal.get(`/api/private/match/${user.id}/`));

describe('handshake', () => {
  it('refuses a connection without a token, with a bad token, or of a user in no game', async () => {
    const none = await GameSocket.open(server.publicUrl, null);
    expect(await none.waitClosed()).toEqual({ code: CloseCodes.unauthenticated, reason: 'Authentication credentials were not provided.' });
    const bad = await GameSocket.open(server.publicUrl, 'garbage');
    expect(await bad.waitClosed()).toEqual({ code: CloseCodes.unauthenticated, reason: 'Given token not valid for any token type.' });
    const idle = await registerUser(api);
    const lonely = await GameSocket.open(server.publicUrl, idle.access);
    expect(await lonely.waitClosed()).toEqual({ code: CloseCodes.forbidden, reason: 'You do not belong to any game.' });
    const spectator = await GameSocket.open(server.publicUrl, idle.access, { matchCode: '99x9' });
    expect(await spectator.waitClosed()).toEqual({ code: CloseCodes.notFound, reason: 'No match with code 99x9 is running on this server' });
  });

  it('runs the start sequence: canvas, game_state (mirrored for team b), start_countdown, then start_game 2 s later', async () => {
    const a = await registerUser(api);
    const b = await registerUser(api);
    await createMatch(internal, 'duel', [a], [b]);
    const sa = await GameSocket.open(server.publicUrl, a.access);
    await settle();
    expect(sa.frames).toEqual([]);
    const sb = await GameSocket.open(server.publicUrl, b.access);
    await sb.next('start_countdown');
    await sa.next('start_countdown');
    expect(sa.frames.map((f) => f.event)).toEqual(['canvas', 'game_state', 'start_countdown']);
    expect(sb.frames.map((f) => f.event)).toEqual(['canvas', 'game_state', 'start_countdown']);
    expect(sa.frames[0].data).toEqual({ canvas_width: 1000, canvas_height: 600 });
    const stateA = sa.frames[1].data as any;
    const stateB = sb.frames[1].data as any;
    expect(stateA.position_x).toBe(490);
    expect(stateA.position_y).toBe(290);
    expect(stateA.speed).toBe(350);
    expect(Math.abs(stateA.speed_x)).toBeGreaterThanOrEqual(175 - 1e-9);
    // Team b sees the field flipped left to right.
    expect(stateB).toEqual({ ...stateA, position_x: 1000 - 490 - 20, speed_x: 0 - stateA.speed_x });

    await pump(server.clock, 1900);
    expect(sa.events('start_game')).toEqual([]);
    await pump(server.clock, 150);
    await sa.next('start_game');
    await pump(server.clock, 200);
    const live = sa.events('game_state').length;
    expect(live).toBeGreaterThan(2);
    const [lastA, lastB] = [sa.events('game_state').at(-1)!.data as any, sb.events('game_state').at(-1)!.data as any];
    expect(lastB.position_x).toBeCloseTo(1000 - lastA.position_x - 20, 9);
    expect(lastB.speed_x).toBeCloseTo(-lastA.speed_x, 9);
    sa.close();
    sb.close();
    await pump(server.clock, 11_000);
  });
});

describe('playing', () => {
  it('relays paddle commands: move_* to the others, stop_moving with the authoritative y to everybody', async () => {
    const { a, b, sa, sb } = await startedDuel();
    sa.send('move_up', null);
    await sb.next('move_up').then((f) => expect(f.data).toEqual({ player: a.id }));
    await pump(server.clock, 100);
    sa.send('stop_moving', { position: 170 });
    const seenByA = await sa.next('stop_moving');
    const seenByB = await sb.next('stop_moving');
    expect(seenByA.data).toEqual(seenByB.data);
    expect(seenByA.data.player).toBe(a.id);
    // 0.1 s at 500 units/s from 200, within the 30-unit tolerance: the client's 170 is adopted.
    expect(seenByA.data.position).toBe(170);
    expect(sa.events('move_up')).toEqual([]);

    sb.send('stop_moving', { position: 20 });
    const far = await sb.next('stop_moving');
    expect(far.data).toEqual({ player: b.id, position: 200 });
    sa.close();
    sb.close();
    await pump(server.clock, 11_000);
  });

  it('answers malformed and oversized frames with an error to the sender only; the game goes on', async () => {
    const { sa, sb } = await startedDuel();
    sa.sendRaw('not json');
    sa.sendRaw(JSON.stringify({ event: 'teleport', data: null }));
    sa.sendRaw(JSON.stringify({ event: 'stop_moving', data: {} }));
    sa.sendRaw(JSON.stringify({ event: 'stop_moving', data: { position: 'x'.repeat(2000) } }));
    sa.sendRaw(Buffer.from([1, 2, 3]));
    sa.sendRaw('[1,2]');
    await sa.waitFor(() => sa.events('error').length === 6);
    expect(sa.events('error').map((f) => f.data.message)).toEqual([
      'Malformed message.',
      'Unknown event teleport.',
      'Need position data for event stop_moving',
      'Message too large.',
      'Malformed message.',
      'Malformed message.',
    ]);
    const before = sb.events('game_state').length;
    await pump(server.clock, 300);
    expect(sb.events('game_state').length).toBeGreaterThan(before);
    expect(sb.events('error')).toEqual([]);
    expect(sa.closeCode).toBeNull();
    sa.close();
    sb.close();
    await pump(server.clock, 11_000);
  });

  it('lets anyone with the code spectate, with the catch-up sequence in the server frame', async () => {
    const { a, b, match, sa, sb } = await startedDuel();
    await pump(server.clock, 300);
    const watcher = await registerUser(api);
    const spectator = await GameSocket.open(server.publicUrl, watcher.access, { matchCode: match.code });
    await spectator.next('game_state');
    expect(spectator.frames.map((f) => f.event)).toEqual(['score', 'canvas', 'rackets', 'stop_moving', 'stop_moving', 'start_game', 'game_state']);
    expect(spectator.frames[0].data).toEqual({ team_a: 0, team_b: 0 });
    expect(spectator.frames[2].data).toEqual({ [a.id]: 870, [b.id]: 100 });
    expect(spectator.frames[3].data).toEqual({ player: a.id, position: 200 });
    expect(spectator.frames[4].data).toEqual({ player: b.id, position: 200 });
    // Then the regular traffic, in the server frame (same as team a's).
    await pump(server.clock, 200);
    const seen = spectator.events('game_state').at(-1)!.data;
    expect(sa.events('game_state').map((f) => f.data)).toContainEqual(seen);
    // Spectators cannot act.
    spectator.send('move_up', null);
    await settle();
    expect(sb.events('move_up')).toEqual([]);
    sa.close();
    sb.close();
    await pump(server.clock, 11_000);
    // The game ended during the pump (by score or by the absence); spectators are let go 0.5 s after game_over.
    await spectator.waitClosed(5000, server.clock);
  });
});

describe('disconnection (decision: 10 s to come back, the game paused meanwhile)', () => {
  it('stops the paddle, and a player back within 10 s gets the whole state in his perspective', async () => {
    const { a, b, sa, sb } = await startedDuel();
    sb.send('move_down', null);
    await pump(server.clock, 100);
    sb.close();
    const stop = await sa.next('stop_moving');
    expect(stop.data.player).toBe(b.id);
    expect(stop.data.position).toBeGreaterThan(200);
    await pump(server.clock, 5000);
    const back = await GameSocket.open(server.publicUrl, b.access);
    await back.next('start_countdown');
    const events = back.frames.map((f) => f.event);
    // The catch-up, then the resumption (the ball again, and the countdown).
    expect(events).toEqual(['score', 'canvas', 'rackets', 'stop_moving', 'stop_moving', 'game_state', 'game_state', 'start_countdown']);
    expect(back.frames[2].data).toEqual({ [a.id]: 100, [b.id]: 870 });
    // The game stopped when b left (no goal while his seat was empty); his paddle is where it stopped.
    expect(back.frames[0].data).toEqual({ team_a: 0, team_b: 0 });
    expect(back.frames[3].data).toEqual({ player: a.id, position: 200 });
    expect(back.frames[4].data).toEqual(stop.data);
    await pump(server.clock, 6000);
    expect(sa.events('game_over')).toEqual([]);
    expect((await matchOf(a)).status).toBe(200);
    back.close();
    sa.close();
    await pump(server.clock, 11_000);
  });

  it('ends the match with player-disconnect after 10 s away: the other side wins 3-0', async () => {
    const { a, b, match, sa, sb } = await startedDuel();
    sb.close();
    await pump(server.clock, 9900);
    expect(sa.events('game_over')).toEqual([]);
    await pump(server.clock, 200);
    const over = await sa.next('game_over');
    expect(over.data).toEqual({ reason: 'player-disconnect', winner: 'a', team_a: 3, team_b: 0, forfeited_by: b.id, match_id: match.id });
    await pump(server.clock, 600);
    expect(await sa.waitClosed()).toEqual({ code: 1000, reason: 'Game over.' });
    expect((await matchOf(a)).status).toBe(404);
    const list = await api.get(`/api/game/matches/${b.id}/`, { token: b.access });
    expect(list.body.count).toBe(1);
    expect(list.body.results[0]).toMatchObject({ id: match.id, code: null, finished: true, winner: 'a', looser: 'b' });
    expect(list.body.results[0].teams.a.score).toBe(3);
    expect(list.body.results[0].teams.b.score).toBe(0);
    // The ball stopped when b left: team a scored no goal on the field, his own counter stays at 0.
    expect(list.body.results[0].teams.a.players[0]).toMatchObject({ id: a.id, score: 0 });
  });

  it('a second connection of the same player replaces the first one', async () => {
    const { a, sa, sb } = await startedDuel();
    const again = await GameSocket.open(server.publicUrl, a.access);
    expect(await sa.waitClosed()).toEqual({ code: CloseCodes.replaced, reason: 'Replaced by a new connection.' });
    await again.next('game_state');
    again.send('move_up', null);
    await sb.next('move_up');
    await pump(server.clock, 11_000);
    expect(sb.events('game_over')).toEqual([]);
    again.close();
    sb.close();
    await pump(server.clock, 11_000);
  });
});

describe('players who never come', () => {
  it('ends with player-not-connected when a seat is still empty 5 s after the first connection', async () => {
    const a = await registerUser(api);
    const b = await registerUser(api);
    const match = await createMatch(internal, 'duel', [a], [b]);
    const sa = await GameSocket.open(server.publicUrl, a.access);
    await settle();
    await pump(server.clock, 4900);
    expect(sa.events('game_over')).toEqual([]);
    await pump(server.clock, 200);
    const over = await sa.next('game_over');
    expect(over.data).toEqual({ reason: 'player-not-connected', winner: null, team_a: 0, team_b: 0, forfeited_by: b.id, match_id: match.id });
    const list = await api.get(`/api/game/matches/${a.id}/`, { token: a.access });
    expect(list.body.results[0]).toMatchObject({ id: match.id, winner: 'a', looser: 'b', finished: true });
    expect(list.body.results[0].teams.b.score).toBe(0);
    expect(list.body.results[0].teams.a.score).toBe(3);
  });

  it('deletes a match nobody connected to within 5 s and frees its players', async () => {
    const a = await registerUser(api);
    const b = await registerUser(api);
    await createMatch(internal, 'duel', [a], [b]);
    expect((await server.platform.users.findById(a.id))!.game_playing).toMatch(/^\d{4}$/);
    await pump(server.clock, 5100);
    await settle();
    expect((await matchOf(a)).body).toEqual({ detail: 'You do not belong to any game.' });
    expect((await server.platform.users.findById(a.id))!.game_playing).toBeNull();
    expect((await server.platform.users.findById(b.id))!.game_playing).toBeNull();
    expect((await api.get(`/api/game/matches/${a.id}/`, { token: a.access })).body.count).toBe(0);
    await createMatch(internal, 'duel', [b], [a]);
  });
});

describe('the internal endpoints act on the live room', () => {
  it('a goal through PUT /score/ is broadcast and serves a new point; PATCH /finish/ ends the game', async () => {
    const { a, b, match, sa, sb } = await startedDuel();
    const goal = await internal.put(`/api/private/match/score/${b.id}/`, { own_goal: false });
    expect(goal.status).toBe(200);
    expect(goal.body.teams.b).toEqual({ score: 1, players: [{ id: b.id, score: 1 }] });
    const score = await sa.next('score');
    expect(score.data).toEqual({ team_a: 0, team_b: 1 });
    await sa.next('start_countdown');
    await sb.next('start_countdown');
    const finish = await internal.patch(`/api/private/match/finish/${match.id}/`, { user_id: a.id, finish_reason: 'player-disconnect' });
    expect(finish.body).toEqual({ id: match.id, finish_reason: 'player-disconnect', finished: true });
    const over = await sb.next('game_over');
    expect(over.data).toEqual({ reason: 'player-disconnect', winner: 'b', team_a: 0, team_b: 3, forfeited_by: a.id, match_id: match.id });
    await pump(server.clock, 600);
    await sa.waitClosed();
    await sb.waitClosed();
    onEachNode(server, (p) => expect(p.rooms.findByMatch(match.id)).toBeUndefined());
  });
});

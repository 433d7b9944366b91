import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/game/engine/index.js';
import type { ServerFrame } from '../../src/game/protocol.js';
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

const users = async (n: number) => Promise.all(Array.from({ length: n }, () => registerUser(api)));
const eventsOf = (socket: GameSocket) => socket.frames.map((f) => f.event);
const ballOf = (frame: ServerFrame) => {
  const { position_x: x, position_y: y } = frame.data as { position_x: number; position_y: number };
  return { x, y };
};

/** A duel with both players connected, up to `start_game` of the first point. */
async function startedDuel() {
  onEachNode(server, (p) => p.rooms.useRandom(seededRandom(1)));
  const [a, b] = await users(2);
  const match = await createMatch(internal, 'duel', [a], [b]);
  const sa = await GameSocket.open(server.publicUrl, a.access);
  const sb = await GameSocket.open(server.publicUrl, b.access);
  await sa.next('start_countdown');
  await sb.next('start_countdown');
  await pump(server.clock, 2000);
  await sa.next('start_game');
  await sb.next('start_game');
  return { a, b, match, sa, sb };
}

/** A goal through the internal API, seen by `socket` (score, then the countdown of the next point, then its start). */
async function goal(scorer: TestUser, sockets: GameSocket[]) {
  const response = await internal.put(`/api/private/match/score/${scorer.id}/`, { own_goal: false });
  expect(response.status).toBe(200);
  for (const socket of sockets) await socket.next('score');
}

/** 1–1 through the internal API, then 0.3 s into the third point (the ball away from the centre spot). */
async function duelAtOneAll() {
  const duel = await startedDuel();
  const { a, b, sa, sb } = duel;
  await goal(a, [sa, sb]);
  await sa.next('start_countdown');
  await pump(server.clock, 2000);
  await sa.next('start_game');
  await goal(b, [sa, sb]);
  await sa.next('start_countdown');
  await sb.next('start_countdown');
  await pump(server.clock, 2000);
  await sa.next('start_game');
  await sb.next('start_game');
  await pump(server.clock, 300);
  expect(sa.events('score').at(-1)!.data).toEqual({ team_a: 1, team_b: 1 });
  return duel;
}

describe('a spectator who comes before the players (the room is created for him)', () => {
  it('1v1: gets the catch-up, then the whole game; the players still have 5 s from the first player\'s connection', async () => {
    const [a, b, watcher] = await users(3);
    const match = await createMatch(internal, 'duel', [a], [b]);
    const spectator = await GameSocket.open(server.publicUrl, watcher.access, { matchCode: match.code });
    await spectator.next('game_state');
    expect(eventsOf(spectator)).toEqual(['score', 'canvas', 'rackets', 'stop_moving', 'stop_moving', 'game_state']);
    expect(spectator.frames[0].data).toEqual({ team_a: 0, team_b: 0 });
    expect(spectator.frames[1].data).toEqual({ canvas_width: 1000, canvas_height: 600 });
    expect(spectator.frames[2].data).toEqual({ [a.id]: 870, [b.id]: 100 });
    expect(spectator.frames[3].data).toEqual({ player: a.id, position: 200 });
    expect(spectator.frames[4].data).toEqual({ player: b.id, position: 200 });
    expect(ballOf(spectator.frames[5])).toEqual({ x: 490, y: 290 });

    // 3 s pass before the first player: his 5 s start with him, not with the spectator.
    await pump(server.clock, 3000);
    const sa = await GameSocket.open(server.publicUrl, a.access);
    await settle();
    await pump(server.clock, 4000);
    expect(sa.events('game_over')).toEqual([]);
    expect(spectator.events('game_over')).toEqual([]);
    const sb = await GameSocket.open(server.publicUrl, b.access);
    await spectator.next('start_countdown');
    expect(eventsOf(spectator).slice(6)).toEqual(['canvas', 'game_state', 'start_countdown']);
    await sa.next('start_countdown');
    await sb.next('start_countdown');
    await pump(server.clock, 2100);
    await spectator.next('start_game');
    await pump(server.clock, 300);
    expect(spectator.events('game_state').length).toBeGreaterThan(3);
    expect(ballOf(spectator.events('game_state').at(-1)!)).not.toEqual({ x: 490, y: 290 });

    // The game ends as usual (here by the absence of both players, a's 10 s running out first), and the spectator hears it.
    sa.close();
    await sb.next('player_disconnected');
    sb.close();
    await pump(server.clock, 11_000);
    const over = await spectator.next('game_over');
    expect(over.data).toEqual({ reason: 'player-disconnect', winner: 'b', team_a: 0, team_b: 3, forfeited_by: a.id, match_id: match.id });
    await spectator.waitClosed(5000, server.clock);
  });

  it('3v3: gets the catch-up, then the start sequence (rackets included) and the game', async () => {
    const a = await users(3);
    const b = await users(3);
    const [watcher] = await users(1);
    const match = await createMatch(internal, 'clash', a, b);
    const spectator = await GameSocket.open(server.publicUrl, watcher.access, { matchCode: match.code });
    await spectator.next('game_state');
    expect(eventsOf(spectator)).toEqual(['score', 'canvas', 'rackets', ...Array(6).fill('stop_moving'), 'game_state']);
    const rackets = { [a[0].id]: 1670, [a[1].id]: 1470, [a[2].id]: 1270, [b[0].id]: 100, [b[1].id]: 300, [b[2].id]: 500 };
    expect(spectator.frames[1].data).toEqual({ canvas_width: 1800, canvas_height: 750 });
    expect(spectator.frames[2].data).toEqual(rackets);

    const players = [];
    for (const user of [...a, ...b]) players.push(await GameSocket.open(server.publicUrl, user.access));
    await spectator.next('start_countdown');
    expect(eventsOf(spectator).slice(10)).toEqual(['rackets', 'canvas', 'game_state', 'start_countdown']);
    expect(spectator.frames[10].data).toEqual(rackets);
    await pump(server.clock, 2100);
    await spectator.next('start_game');
    for (const player of players) await player.next('start_game');
    await pump(server.clock, 300);
    expect(spectator.events('game_state').length).toBeGreaterThan(3);

    const finish = await internal.put(`/api/private/match/finish/${match.id}/`, { user_id: b[1].id, finish_reason: 'player-disconnect' });
    expect(finish.status).toBe(200);
    expect((await spectator.next('game_over')).data).toEqual({ reason: 'player-disconnect', winner: 'a', team_a: 3, team_b: 0, forfeited_by: b[1].id, match_id: match.id });
    await pump(server.clock, 600);
    await spectator.waitClosed(5000, server.clock);
  });

  it('a match nobody joins is discarded after 5 s as before: its spectators get game_over and are let go', async () => {
    const [a, b, watcher] = await users(3);
    const match = await createMatch(internal, 'duel', [a], [b]);
    const spectator = await GameSocket.open(server.publicUrl, watcher.access, { matchCode: match.code });
    await spectator.next('game_state');
    await pump(server.clock, 5100);
    const over = await spectator.next('game_over');
    expect(over.data).toEqual({ reason: 'players-timeout', winner: null, team_a: 0, team_b: 0, forfeited_by: null });
    await spectator.waitClosed(5000, server.clock);
    expect((await internal.get(`/api/private/match/${a.id}/`)).status).toBe(404);
    onEachNode(server, (p) => expect(p.rooms.findByMatch(match.id)).toBeUndefined());
  });

  it('a room no player joined goes with its last spectator; the players then open it as usual', async () => {
    const [a, b, watcher] = await users(3);
    const match = await createMatch(internal, 'duel', [a], [b]);
    const spectator = await GameSocket.open(server.publicUrl, watcher.access, { matchCode: match.code });
    await spectator.next('game_state');
    spectator.close();
    const roomsOf = () => {
      let found = 0;
      onEachNode(server, (p) => { if (p.rooms.findByMatch(match.id)) found += 1; });
      return found;
    };
    await spectator.waitFor(() => roomsOf() === 0);
    const sa = await GameSocket.open(server.publicUrl, a.access);
    const sb = await GameSocket.open(server.publicUrl, b.access);
    await sa.next('start_countdown');
    await sb.next('start_countdown');
    expect(roomsOf()).toBe(1);
    await internal.put(`/api/private/match/finish/${match.id}/`, { user_id: a.id, finish_reason: 'player-disconnect' });
    expect((await sb.next('game_over')).data).toMatchObject({ winner: 'b', forfeited_by: a.id });
    await pump(server.clock, 600);
    await sb.waitClosed();
  });

  it('a code no unfinished match holds is still refused', async () => {
    const [watcher] = await users(1);
    let code = 9999;
    while (await server.platform.matches.unfinishedMatchByCode(String(code))) code -= 1;
    const spectator = await GameSocket.open(server.publicUrl, watcher.access, { matchCode: String(code) });
    expect(await spectator.waitClosed()).toEqual({ code: 4004, reason: `No match with code ${code} is running on this server` });
  });
});

describe('a player who drops mid-game: the others are told at once and the game pauses', () => {
  it('back within 10 s: player_reconnected, the countdown, and the point goes on from where the ball stood; the match ends normally', async () => {
    const { a, b, match, sa, sb } = await duelAtOneAll();
    sb.close();
    const gone = await sa.next('player_disconnected');
    expect(gone.data).toEqual({ player: b.id, seconds: 10 });
    const stopped = await sa.next('stop_moving');
    expect(stopped.data.player).toBe(b.id);
    const statesAtPause = sa.events('game_state').length;

    // (d) Somebody who connects during the pause hears about the empty seat, with the seconds left.
    await pump(server.clock, 2000);
    const [watcher] = await users(1);
    const spectator = await GameSocket.open(server.publicUrl, watcher.access, { matchCode: match.code });
    await spectator.next('player_disconnected');
    expect(eventsOf(spectator)).toEqual(['score', 'canvas', 'rackets', 'stop_moving', 'stop_moving', 'game_state', 'player_disconnected']);
    expect(spectator.frames[0].data).toEqual({ team_a: 1, team_b: 1 });
    expect(spectator.frames.at(-1)!.data).toEqual({ player: b.id, seconds: 8 });
    const pausedBall = ballOf(spectator.events('game_state')[0]);
    expect(pausedBall).not.toEqual({ x: 490, y: 290 });

    // Nothing moves while the seat is empty: no game_state at all, no goal.
    await pump(server.clock, 3000);
    expect(sa.events('game_state').length).toBe(statesAtPause);
    expect(spectator.events('game_state').length).toBe(1);
    expect(sa.events('score').length).toBe(2);

    // 5 s after he left, he is back.
    const back = await GameSocket.open(server.publicUrl, b.access);
    const returned = await sa.next('player_reconnected');
    expect(returned.data).toEqual({ player: b.id });
    await spectator.next('player_reconnected');
    await back.next('start_countdown');
    expect(back.events('player_reconnected')).toEqual([]);
    expect(back.events('player_disconnected')).toEqual([]);
    expect(back.frames[0].data).toEqual({ team_a: 1, team_b: 1 });
    await sa.next('start_countdown');
    await spectator.next('start_countdown');
    // The ball is where it stood when he left (the server frame for a and the spectator).
    expect(ballOf(sa.events('game_state').at(-1)!)).toEqual(pausedBall);
    expect(ballOf(spectator.events('game_state').at(-1)!)).toEqual(pausedBall);
    expect(ballOf(back.events('game_state').at(-1)!)).toEqual({ x: 1000 - pausedBall.x - 20, y: pausedBall.y });

    await pump(server.clock, 1900);
    expect(sa.events('start_game').length).toBe(3);
    await pump(server.clock, 200);
    await sa.next('start_game');
    await back.next('start_game');
    await spectator.next('start_game');
    await pump(server.clock, 200);
    expect(sa.events('game_state').length).toBeGreaterThan(statesAtPause + 1);
    expect(ballOf(sa.events('game_state').at(-1)!)).not.toEqual(pausedBall);

    // Play goes on, and the match ends normally.
    back.send('move_up', null);
    await sa.next('move_up');
    await goal(a, [sa, back]);
    await sa.next('start_countdown');
    await goal(a, [sa, back]);
    const over = await sa.next('game_over');
    expect(over.data).toEqual({ reason: 'normal-end', winner: 'a', team_a: 3, team_b: 1, forfeited_by: null, match_id: match.id });
    expect((await back.next('game_over')).data).toEqual(over.data);
    expect((await spectator.next('game_over')).data).toEqual(over.data);
    await pump(server.clock, 600);
    await sa.waitClosed();
    await back.waitClosed();
  });

  it('not back within 10 s: player-disconnect, his team loses 3-0, recorded so', async () => {
    const { a, b, match, sa, sb } = await duelAtOneAll();
    sb.close();
    expect((await sa.next('player_disconnected')).data).toEqual({ player: b.id, seconds: 10 });
    await pump(server.clock, 9900);
    expect(sa.events('game_over')).toEqual([]);
    expect(sa.events('score').length).toBe(2);
    await pump(server.clock, 200);
    const over = await sa.next('game_over');
    expect(over.data).toEqual({ reason: 'player-disconnect', winner: 'a', team_a: 3, team_b: 0, forfeited_by: b.id, match_id: match.id });
    await pump(server.clock, 600);
    expect(await sa.waitClosed()).toEqual({ code: 1000, reason: 'Game over.' });

    const list = await api.get(`/api/game/matches/${a.id}/`, { token: a.access });
    expect(list.status).toBe(200);
    expect(list.body.results[0]).toMatchObject({ id: match.id, finished: true, winner: 'a', looser: 'b' });
    expect(list.body.results[0].teams.a.score).toBe(3);
    expect(list.body.results[0].teams.b.score).toBe(0);
    // The goals of the field stay on the players' own counters.
    expect(list.body.results[0].teams.a.players[0]).toMatchObject({ id: a.id, score: 1 });
    expect(list.body.results[0].teams.b.players[0]).toMatchObject({ id: b.id, score: 1 });
    expect((await server.platform.matches.findMatch(match.id))!.finishReason).toBe('player-disconnect');
  });

  it('3v3: paused while any seat is empty, each absent player with his own 10 s', async () => {
    onEachNode(server, (p) => p.rooms.useRandom(seededRandom(2)));
    const a = await users(3);
    const b = await users(3);
    const match = await createMatch(internal, 'clash', a, b);
    const sockets = new Map<number, GameSocket>();
    for (const user of [...a, ...b]) sockets.set(user.id, await GameSocket.open(server.publicUrl, user.access));
    const watch = sockets.get(a[0].id)!;
    for (const socket of sockets.values()) await socket.next('start_countdown');
    await pump(server.clock, 2100);
    for (const socket of sockets.values()) await socket.next('start_game');
    await pump(server.clock, 200);

    sockets.get(a[1].id)!.close();
    expect((await watch.next('player_disconnected')).data).toEqual({ player: a[1].id, seconds: 10 });
    await pump(server.clock, 3000);
    sockets.get(b[2].id)!.close();
    expect((await watch.next('player_disconnected')).data).toEqual({ player: b[2].id, seconds: 10 });
    const states = watch.events('game_state').length;

    // a[1] comes back after 5 s: told, but b[2]'s seat is still empty, so nothing resumes.
    await pump(server.clock, 2000);
    const back = await GameSocket.open(server.publicUrl, a[1].access);
    expect((await watch.next('player_reconnected')).data).toEqual({ player: a[1].id });
    await back.next('player_disconnected');
    expect(back.events('player_disconnected').map((f) => f.data)).toEqual([{ player: b[2].id, seconds: 8 }]);
    const countdowns = watch.events('start_countdown').length;
    await pump(server.clock, 4000);
    expect(watch.events('start_countdown').length).toBe(countdowns);
    expect(watch.events('game_state').length).toBe(states);
    expect(watch.events('game_over')).toEqual([]);

    // b[2]'s own 10 s run out (3 s after a[1]'s would have).
    await pump(server.clock, 4100);
    const over = await watch.next('game_over');
    expect(over.data).toEqual({ reason: 'player-disconnect', winner: 'a', team_a: 3, team_b: 0, forfeited_by: b[2].id, match_id: match.id });
    expect((await back.next('game_over')).data).toEqual(over.data);
    await pump(server.clock, 600);
    await watch.waitClosed();
    expect((await server.platform.matches.findMatch(match.id))!.finishReason).toBe('player-disconnect');
  });
});

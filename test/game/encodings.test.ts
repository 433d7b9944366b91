import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGameSocket, type GameSocket as SharedSocket } from '../../src/client/game-socket.js';
import { startBot } from '../../src/game/bot/index.js';
import { BallBase, COMPACT_ENCODING, COORD_SCALE, decodeServerMessage, ENCODING_PARAM, encodeClientCompact, type WireEncoding } from '../../src/game/compact.js';
import { seededRandom } from '../../src/game/engine/index.js';
import { gameSocketUrl, type ClientEvent, type ClientMessages, type ServerFrame } from '../../src/game/protocol.js';
import { ApiClient, nodeUrlFor, registerUser } from '../support/http.js';
import { createMatch, GameSocket, pump } from '../support/game.js';
import { onEachNode, startTestServer, type TestServer } from '../support/server.js';

/**
 * The compact encoding (`?encoding=compact`, docs/game-protocol.md) on a real
 * server, over real WebSockets (through the room proxy when TEST_TWO_NODES
 * alternates the nodes): bots play whole duels on either encoding, and JSON
 * and compact connections of one room see the same game.
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A connection through the shared client (src/client/game-socket.ts), recording the frames it hands over. */
class SharedClientSocket {
  /** What the shared client handed over: the wire's frames and the ball it filled in. */
  readonly frames: ServerFrame[] = [];
  /** The binary messages as they came, decoded (no ball filled in). */
  readonly wire: ServerFrame[] = [];
  readonly kinds = { text: 0, binary: 0 };
  private readonly wireBase = new BallBase();
  closed: { code: number; reason: string } | null = null;
  private readonly socket: SharedSocket;

  constructor(token: string, encoding: WireEncoding, matchCode?: string) {
    this.socket = openGameSocket({
      baseUrl: nodeUrlFor(server.publicUrl),
      token,
      matchCode,
      encoding,
      connectTimeoutMs: null,
      // The ball is filled in on the game's time: the server's clock, which the test moves.
      clock: server.clock,
      webSocket: (url) => {
        const ws = new WebSocket(url, { rejectUnauthorized: false });
        ws.on('message', (data: Buffer, isBinary) => {
          this.kinds[isBinary ? 'binary' : 'text']++;
          if (isBinary) decodeServerMessage(new Uint8Array(data), this.wireBase, (f) => this.wire.push(f));
        });
        return ws;
      },
    }, {
      onOpen: () => {},
      onFrame: (frame) => this.frames.push(frame),
      onClose: (info) => { this.closed = { code: info.code, reason: info.reason }; },
    });
  }

  events<E extends ServerFrame['event']>(name: E): Array<Extract<ServerFrame, { event: E }>> {
    return this.frames.filter((f) => f.event === name) as Array<Extract<ServerFrame, { event: E }>>;
  }

  send<K extends ClientEvent>(event: K, data: ClientMessages[K]): boolean {
    return this.socket.send(event, data);
  }

  async waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out; got ${this.frames.map((f) => f.event).join(',')}`);
      await sleep(2);
    }
  }
}

describe('a bot plays a whole duel on each encoding', () => {
  for (const encoding of ['json', 'compact'] as const) {
    it(`${encoding}: to 3, the result recorded, both bots told the same end`, { timeout: 180_000 }, async () => {
      onEachNode(server, (p) => p.rooms.useRandom(seededRandom(5)));
      const a = await registerUser(api);
      const b = await registerUser(api);
      const match = await createMatch(internal, 'duel', [a], [b]);
      const bots = [
        startBot(nodeUrlFor(server.publicUrl), a.access, { skill: 'hard', clock: server.clock, insecure: true, encoding }),
        startBot(nodeUrlFor(server.publicUrl), b.access, { skill: 'easy', clock: server.clock, insecure: true, encoding }),
      ];
      let done = 0;
      const overs = bots.map((bot) => bot.gameOver.then((over) => { done++; return over; }));
      await pump(server.clock, 600_000, { until: () => done === 2 });
      const [overA, overB] = await Promise.all(overs);
      expect(overA).toEqual(overB);
      expect(overA).toMatchObject({ reason: 'normal-end', match_id: match.id });
      expect(Math.max(overA!.team_a, overA!.team_b)).toBe(3);
      for (const bot of bots) {
        expect(bot.received.get('game_state')).toBeGreaterThan(10);
        expect(bot.received.get('score')).toBe(overA!.team_a + overA!.team_b);
      }
    });
  }
});

describe('JSON and compact connections of one room', () => {
  it('see the same game: the same events in the same order, and the ball where the JSON stream has it, sent only when its flight changes', { timeout: 120_000 }, async () => {
    onEachNode(server, (p) => p.rooms.useRandom(seededRandom(11)));
    const [a, b, watcher1, watcher2] = await Promise.all([registerUser(api), registerUser(api), registerUser(api), registerUser(api)]);
    const match = await createMatch(internal, 'duel', [a], [b]);
    // The spectators first (the room exists from the first connection), so they see everything the players see.
    const jsonSpectator = await GameSocket.open(server.publicUrl, watcher1.access, { matchCode: match.code });
    const compactSpectator = new SharedClientSocket(watcher2.access, 'compact', match.code);
    await jsonSpectator.waitFor(() => jsonSpectator.events('score').length === 1);
    await compactSpectator.waitFor(() => compactSpectator.events('score').length === 1);
    const jsonPlayer = await GameSocket.open(server.publicUrl, a.access);
    const compactPlayer = new SharedClientSocket(b.access, 'compact');
    await jsonPlayer.next('start_countdown');
    await compactPlayer.waitFor(() => compactPlayer.events('start_countdown').length === 1);

    // Play it out: the players move now and then (relayed both ways, across encodings); the ball scores by itself.
    const allOver = () => [jsonSpectator, compactSpectator, jsonPlayer, compactPlayer].every((s) => s.events('game_over').length > 0);
    for (let i = 0; !allOver() && i < 600; i++) {
      await pump(server.clock, 400, { until: allOver });
      const command = (['move_up', 'stop_moving', 'move_down', 'stop_moving'] as const)[i % 4];
      const data = command === 'stop_moving' ? { position: 200 } : null;
      if (i % 8 < 4) jsonPlayer.send(command, data as never);
      else compactPlayer.send(command, data as never);
    }
    expect(allOver()).toBe(true);
    expect(compactPlayer.kinds.binary).toBeGreaterThan(0);
    expect(compactPlayer.kinds.text).toBe(0);

    const withoutBall = (frames: ServerFrame[]) => frames.filter((f) => f.event !== 'game_state');
    // The two spectators: the same sequence of events, frame for frame, the ball aside.
    expect(withoutBall(compactSpectator.frames).map((f) => f.event)).toEqual(withoutBall(jsonSpectator.frames).map((f) => f.event));
    withoutBall(compactSpectator.frames).forEach((frame, i) => expectSameFrame(frame, withoutBall(jsonSpectator.frames)[i], false));
    // The two players (team a on JSON, team b on compact): the same game, team b's mirrored.
    const events = (frames: ServerFrame[]) => withoutBall(frames).map((f) => f.event).filter((e) => e !== 'move_up' && e !== 'move_down');
    expect(events(compactPlayer.frames)).toEqual(events(jsonPlayer.frames));

    // The ball: the compact stream sends the JSON stream's states, less those of a straight flight it can leave out...
    expectWireBall(compactSpectator.wire, jsonSpectator.frames, false);
    expectWireBall(compactPlayer.wire, jsonPlayer.frames, true);
    // ... and the shared client fills those in, on the flight of the last one sent.
    expectFilledIn(compactSpectator);
    expectFilledIn(compactPlayer);

    const over = jsonSpectator.events('game_over')[0].data;
    expect(over).toMatchObject({ reason: 'normal-end', match_id: match.id });
    const scores = (frames: ServerFrame[]) => frames.filter((f) => f.event === 'score').map((f) => f.data);
    // The spectators' first `score` is their catch-up (0-0); the goals follow, the same for everyone.
    const goals = scores(jsonSpectator.frames).slice(1);
    expect(goals.length).toBeGreaterThanOrEqual(3);
    expect(scores(compactSpectator.frames).slice(1)).toEqual(goals);
    expect(scores(jsonPlayer.frames)).toEqual(goals);
    expect(scores(compactPlayer.frames)).toEqual(goals);
    for (const frames of [compactSpectator.frames, jsonPlayer.frames, compactPlayer.frames]) {
      expect(frames.filter((f) => f.event === 'game_over').map((f) => f.data)).toEqual([over]);
    }
  });

  it('commands of a compact player reach a JSON player and the other way round; a bad binary command earns an `error`', { timeout: 60_000 }, async () => {
    onEachNode(server, (p) => p.rooms.useRandom(seededRandom(3)));
    const [a, b] = await Promise.all([registerUser(api), registerUser(api)]);
    await createMatch(internal, 'duel', [a], [b]);
    const jsonPlayer = await GameSocket.open(server.publicUrl, a.access);
    // A raw compact connection: binary frames both ways, decoded by the shared codec.
    const url = `${gameSocketUrl(nodeUrlFor(server.publicUrl), b.access)}&${ENCODING_PARAM}=${COMPACT_ENCODING}`;
    const raw = new WebSocket(url, { rejectUnauthorized: false });
    const got: ServerFrame[] = [];
    const base = new BallBase();
    let texts = 0;
    raw.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) texts++;
      else decodeServerMessage(new Uint8Array(data), base, (f) => got.push(f));
    });
    await new Promise((resolve) => raw.once('open', resolve));
    // The clock moves a millisecond a poll: a command's echo to a compact connection may wait for the next tick.
    const waitGot = async (predicate: () => boolean) => {
      for (const deadline = Date.now() + 10_000; !predicate();) {
        if (Date.now() > deadline) throw new Error(`timed out; got ${got.map((f) => f.event).join(',')}`);
        await sleep(2);
        server.clock.advance(1);
      }
    };
    await jsonPlayer.next('start_countdown');
    await waitGot(() => got.some((f) => f.event === 'start_countdown'));
    await pump(server.clock, 2000);
    await jsonPlayer.next('start_game');

    raw.send(encodeClientCompact({ event: 'move_up', data: null }));
    expect((await jsonPlayer.next('move_up')).data).toEqual({ player: b.id });
    raw.send(encodeClientCompact({ event: 'stop_moving', data: { position: 150 } }));
    const stop = await jsonPlayer.next('stop_moving');
    expect(stop.data.player).toBe(b.id);
    await waitGot(() => got.some((f) => f.event === 'stop_moving' && f.data.player === b.id));
    near((got.find((f) => f.event === 'stop_moving' && f.data.player === b.id) as any).data.position, stop.data.position);

    jsonPlayer.send('move_down', null);
    await waitGot(() => got.some((f) => f.event === 'move_down' && f.data.player === a.id));
    // Garbage earns the sender an `error` (compact, like everything it gets); JSON text still works on a compact connection.
    raw.send(Uint8Array.of(0x99, 1, 2));
    await waitGot(() => got.some((f) => f.event === 'error'));
    expect(got.find((f) => f.event === 'error')!.data).toEqual({ message: 'Malformed message.' });
    raw.send(JSON.stringify({ event: 'move_up', data: null }));
    expect((await jsonPlayer.next('move_up')).data).toEqual({ player: b.id });
    expect(texts).toBe(0);
    raw.close();
  });
});

describe('a command just before a tick', () => {
  it('reaches a compact connection with the tick\'s write; a JSON connection at once', { timeout: 60_000 }, async () => {
    onEachNode(server, (p) => p.rooms.useRandom(seededRandom(5)));
    const [a, b] = await Promise.all([registerUser(api), registerUser(api)]);
    await createMatch(internal, 'duel', [a], [b]);
    const jsonPlayer = await GameSocket.open(server.publicUrl, a.access);
    const url = `${gameSocketUrl(nodeUrlFor(server.publicUrl), b.access)}&${ENCODING_PARAM}=${COMPACT_ENCODING}`;
    const raw = new WebSocket(url, { rejectUnauthorized: false });
    const messages: ServerFrame[][] = [];
    const base = new BallBase();
    raw.on('message', (data: Buffer) => {
      const frames: ServerFrame[] = [];
      decodeServerMessage(new Uint8Array(data), base, (f) => frames.push(f));
      messages.push(frames);
    });
    await new Promise((resolve) => raw.once('open', resolve));
    await jsonPlayer.next('start_countdown');
    await pump(server.clock, 2000);
    await jsonPlayer.next('start_game');
    const started = Date.now();
    while (!messages.some((m) => m.some((f) => f.event === 'start_game'))) {
      if (Date.now() - started > 10_000) throw new Error('no start_game on the compact connection');
      await sleep(2);
    }
    // The serve is in the safe zone: the next tick is 1/15 s away. 50 ms on, it is 1/60 s away.
    server.clock.advance(50);
    await sleep(50);
    const before = messages.length;
    jsonPlayer.send('move_up', null);
    await sleep(300);
    expect(messages.length).toBe(before);
    server.clock.advance(17);
    for (const deadline = Date.now() + 10_000; messages.length === before;) {
      if (Date.now() > deadline) throw new Error('the tick wrote nothing');
      await sleep(2);
    }
    await sleep(50);
    // One write, the tick's: the echo first (then the ball, unless it flies on as the connection extrapolates it).
    expect(messages.slice(before)).toHaveLength(1);
    expect(messages[before].map((f) => f.event).filter((e) => e !== 'game_state')).toEqual(['move_up']);
    expect(messages[before][0].data).toEqual({ player: a.id });
    // The JSON side of the same room is written at once (nothing changes for JSON clients).
    raw.send(encodeClientCompact({ event: 'move_down', data: null }));
    expect((await jsonPlayer.next('move_down')).data).toEqual({ player: b.id });
    raw.close();
  });
});

function near(got: number, expected: number): void {
  expect(Math.abs(got - expected)).toBeLessThanOrEqual(0.5 / COORD_SCALE + 1e-9);
}

/** The same frame from a JSON and a compact connection of one perspective. */
function expectSameFrame(compact: ServerFrame, json: ServerFrame, mirrored: boolean): void {
  expect(compact.event).toBe(json.event);
  if (compact.event === 'game_state' && json.event === 'game_state') {
    near(compact.data.position_x, mirrored ? 1000 - json.data.position_x - 20 : json.data.position_x);
    near(compact.data.position_y, json.data.position_y);
    near(compact.data.speed_x, mirrored ? 0 - json.data.speed_x : json.data.speed_x);
    near(compact.data.speed_y, json.data.speed_y);
    near(compact.data.speed, json.data.speed);
    return;
  }
  if (compact.event === 'stop_moving' && json.event === 'stop_moving') {
    expect(compact.data.player).toBe(json.data.player);
    near(compact.data.position, json.data.position);
    return;
  }
  if (compact.event === 'rackets' && json.event === 'rackets') {
    expect(Object.keys(compact.data)).toEqual(Object.keys(json.data));
    for (const key of Object.keys(json.data)) near(compact.data[key], json.data[key]);
    return;
  }
  expect(compact.data).toEqual(json.data);
}

type BallFrame = Extract<ServerFrame, { event: 'game_state' }>;
const ballsOf = (frames: ServerFrame[]) => frames.filter((f): f is BallFrame => f.event === 'game_state');

/** In the same frame: team b's compact view is the mirror of team a's JSON one. */
function seenAs(json: BallFrame['data'], mirrored: boolean): BallFrame['data'] {
  return mirrored
    ? { position_x: 1000 - json.position_x - 20, position_y: json.position_y, speed_x: 0 - json.speed_x, speed_y: json.speed_y, speed: json.speed }
    : json;
}

const closeTo = (a: number, b: number, within: number) => Math.abs(a - b) <= within;
const QUANTUM = 0.5 / COORD_SCALE + 1e-9;

/** `ball` is where `from` flies on to: the same speeds, on its straight line (within the extrapolation tolerance). */
function onFlightOf(ball: BallFrame['data'], from: BallFrame['data'], within: number): boolean {
  if (!closeTo(ball.speed_x, from.speed_x, within) || !closeTo(ball.speed_y, from.speed_y, within) || !closeTo(ball.speed, from.speed, within)) return false;
  const across = (ball.position_x - from.position_x) * from.speed_y - (ball.position_y - from.position_y) * from.speed_x;
  return Math.abs(across) / Math.hypot(from.speed_x, from.speed_y) <= 0.25 + 2 * QUANTUM;
}

/**
 * The compact connection's `game_state`s (as sent) are JSON ones of the same perspective, in
 * order, and every JSON one it was not sent lies on the flight of the last one it was.
 */
function expectWireBall(wire: ServerFrame[], jsonFrames: ServerFrame[], mirrored: boolean): void {
  const sent = ballsOf(wire).map((f) => f.data);
  const json = ballsOf(jsonFrames).map((f) => seenAs(f.data, mirrored));
  let next = 0;
  let omitted = 0;
  for (const state of json) {
    const candidate = sent[next];
    if (candidate && ['position_x', 'position_y', 'speed_x', 'speed_y', 'speed'].every((k) => closeTo(candidate[k as keyof typeof candidate], state[k as keyof typeof state], QUANTUM))) {
      next++;
      continue;
    }
    omitted++;
    expect(next, 'a state left out before any was sent').toBeGreaterThan(0);
    expect(onFlightOf(state, sent[next - 1], QUANTUM), `left out, off the flight: ${JSON.stringify(state)} after ${JSON.stringify(sent[next - 1])}`).toBe(true);
  }
  expect(next).toBe(sent.length);
  // Most of a flight is straight: far fewer states leave than a JSON connection gets.
  expect(omitted).toBeGreaterThan(sent.length);
}

/** Every `game_state` the shared client filled in continues the last one the wire brought, in order. */
function expectFilledIn(socket: SharedClientSocket): void {
  const sent = ballsOf(socket.wire).map((f) => f.data);
  let next = 0;
  let filled = 0;
  for (const { data } of ballsOf(socket.frames)) {
    if (sent[next] && JSON.stringify(sent[next]) === JSON.stringify(data)) {
      next++;
      continue;
    }
    filled++;
    expect(next).toBeGreaterThan(0);
    expect(onFlightOf(data, sent[next - 1], 1e-9), `filled in off the flight: ${JSON.stringify(data)} after ${JSON.stringify(sent[next - 1])}`).toBe(true);
  }
  expect(next).toBe(sent.length);
  expect(filled).toBeGreaterThan(sent.length);
}

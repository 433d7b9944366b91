import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/game/engine/index.js';
import { CloseCodes, ErrorTexts } from '../../src/game/protocol.js';
import { FRAMES_PER_SECOND } from '../../src/features/game/frame-budget.js';
import { ApiClient, registerUser } from '../support/http.js';
import { createMatch, GameSocket, pump, settle } from '../support/game.js';
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

export const wsStats = { frames: 0 };

/** A running duel with a spectator, up to `start_game`. */
async function runningDuel() {
  server.platform.rooms.useRandom(seededRandom(7));
  const [a, b, watcher] = await Promise.all([registerUser(api), registerUser(api), registerUser(api)]);
  const match = await createMatch(internal, 'duel', [a], [b]);
  const sa = await GameSocket.open(server.publicUrl, a.access);
  const sb = await GameSocket.open(server.publicUrl, b.access);
  await sa.next('start_countdown');
  await sb.next('start_countdown');
  await pump(server.clock, 2000);
  await sa.next('start_game');
  await sb.next('start_game');
  const spectator = await GameSocket.open(server.publicUrl, watcher.access, { matchCode: match.code });
  await spectator.waitFor(() => spectator.events('game_state').length > 0);
  return { a, b, match, sa, sb, spectator };
}

/** The others keep receiving the game, and never see the attacker's errors. */
async function expectUndisturbed(...sockets: GameSocket[]) {
  const before = sockets.map((s) => s.events('game_state').length);
  await pump(server.clock, 300);
  sockets.forEach((s, i) => {
    expect(s.events('game_state').length).toBeGreaterThan(before[i]);
    expect(s.events('error')).toEqual([]);
    expect(s.closeCode).toBeNull();
  });
}

/**
 * The sender was disconnected mid-game: the room goes on, paused until he is
 * back (no ball moves while a seat is empty); the others are told at once,
 * never see his errors, and stay connected.
 */
async function expectPausedFor(player: number, ...sockets: GameSocket[]) {
  for (const s of sockets) {
    await s.waitFor(() => s.events('player_disconnected').some((f) => f.data.player === player));
    expect(s.events('error')).toEqual([]);
    expect(s.closeCode).toBeNull();
  }
}

async function finish(...sockets: GameSocket[]) {
  for (const s of sockets) s.close();
  await pump(server.clock, 11_000);
}

describe('hostile game-socket frames', () => {
  it('malformed frames (generated) only earn their sender an error; the sender stays, the room is undisturbed', async () => {
    const { sa, sb, spectator } = await runningDuel();
    const frame = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.record({ event: fc.oneof(fc.string(), fc.constantFrom('move_up', 'move_down', 'stop_moving', 'game_over', 'score', '__proto__')), data: fc.jsonValue({ maxDepth: 2 }) })
        .map((v) => JSON.stringify(v)),
      fc.record({ event: fc.constant('stop_moving'), data: fc.record({ position: fc.oneof(fc.double(), fc.string(), fc.constant(null), fc.integer()) }) })
        .map((v) => JSON.stringify(v)),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
    );
    const frames = fc.sample(frame, { numRuns: FRAMES_PER_SECOND - 20, seed: 42 });
    for (const f of frames) sa.sendRaw(f);
    wsStats.frames += frames.length;
    await settle(300);
    expect(sa.closeCode).toBeNull();
    expect(sa.events('error').length).toBeGreaterThan(frames.length / 3);
    for (const e of sa.events('error')) expect(typeof (e.data as { message?: unknown } | null)?.message).toBe('string');
    await expectUndisturbed(sb, spectator);
    // The sender is still a player: his commands still work.
    sa.send('move_down', null);
    await sb.waitFor(() => sb.events('move_down').length > 0);
    await finish(sa, sb, spectator);
  });

  it('a frame over the hard limit closes the sender (1009); the room goes on and he may come back', async () => {
    const { a, sa, sb, spectator } = await runningDuel();
    sa.sendRaw(JSON.stringify({ event: 'move_up', data: 'x'.repeat(20_000) }));
    wsStats.frames += 1;
    const closed = await sa.waitClosed();
    expect(closed.code).toBe(1009);
    // His seat is empty mid-game: the room pauses (the new rule: nothing moves until he is back).
    await expectPausedFor(a.id, sb, spectator);
    const back = await GameSocket.open(server.publicUrl, a.access);
    await back.waitFor(() => back.events('game_state').length > 0);
    // Back: the countdown, then the game goes on for everybody.
    await sb.waitFor(() => sb.events('start_countdown').length === 2);
    await pump(server.clock, 2100);
    await expectUndisturbed(sb, spectator, back);
    await finish(back, sb, spectator);
  });

  it('a flood far over the frame budget is dropped and its sender disconnected (1008); the room never sees it', async () => {
    const { a, sa, sb, spectator } = await runningDuel();
    const flood = FRAMES_PER_SECOND * 3;
    for (let i = 0; i < flood; i++) sa.sendRaw(JSON.stringify({ event: 'move_up', data: null }));
    wsStats.frames += flood;
    const closed = await sa.waitClosed();
    expect(closed).toEqual({ code: CloseCodes.policyViolation, reason: ErrorTexts.tooMany });
    await settle(100);
    // At most the budget reached the room: the others saw at most that many relayed commands.
    expect(sb.events('move_up').length).toBeLessThanOrEqual(FRAMES_PER_SECOND);
    // His seat is empty mid-game: the room pauses (the new rule: nothing moves until he is back).
    await expectPausedFor(a.id, sb, spectator);
    await finish(sb, spectator);
  });

  it('spectators cannot steer and are not disturbed by their own garbage', async () => {
    const { sa, sb, spectator } = await runningDuel();
    for (let i = 0; i < 50; i++) spectator.sendRaw(i % 2 ? JSON.stringify({ event: 'move_up', data: null }) : '\u0000garbage');
    wsStats.frames += 50;
    await settle(100);
    expect(sa.events('move_up')).toEqual([]);
    expect(sb.events('move_up')).toEqual([]);
    await expectUndisturbed(sa, sb, spectator);
    await finish(sa, sb, spectator);
  });
});

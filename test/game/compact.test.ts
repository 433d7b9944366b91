import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BallBase, COORD_SCALE, decodeClientCompact, decodeServerMessage, encodeClientCompact, quantize, RecordWriter, writeGameState, writeServerRecord,
} from '../../src/game/compact.js';
import { decodeClientFrame, encodeClientFrame, encodeServerFrame, type ClientFrame, type ServerFrame } from '../../src/game/protocol.js';
import { propertySeed } from '../support/property.js';

/**
 * The compact encoding (src/game/compact.ts, docs/game-protocol.md) against
 * the JSON form: every event of the protocol, alone and in streams of delta
 * `game_state`s, comes back as the JSON frame would, positions and speeds
 * within the quantization (half a 1/16 of a unit), everything else exactly.
 */
const HALF_STEP = 0.5 / COORD_SCALE;
const run = (property: fc.IAsyncPropertyWithHooks<any> | fc.IPropertyWithHooks<any>, numRuns = 300) =>
  fc.assert(property as fc.IProperty<unknown>, { numRuns, seed: propertySeed() });

const id = fc.integer({ min: 0, max: 0xffffffff });
const smallCount = fc.integer({ min: 0, max: 0xffff });
/** Anything a field may hold: the layouts' range most of the time, sometimes far beyond (then the f64 travels). */
const coord = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -2000, max: 2000, noNaN: true }) },
  { weight: 1, arbitrary: fc.double({ min: -1e9, max: 1e9, noNaN: true }) },
  { weight: 1, arbitrary: fc.integer({ min: -40, max: 1840 }) },
);
const text = fc.string({ maxLength: 120 });

const serverFrame: fc.Arbitrary<ServerFrame> = fc.oneof(
  fc.record({ canvas_width: smallCount, canvas_height: smallCount }).map((data) => ({ event: 'canvas', data }) as const),
  fc.dictionary(id.map(String), coord, { maxKeys: 6 }).map((data) => ({ event: 'rackets', data }) as const),
  fc.record({ position_x: coord, position_y: coord, speed_x: coord, speed_y: coord, speed: coord }).map((data) => ({ event: 'game_state', data }) as const),
  fc.constant({ event: 'start_countdown', data: null } as const),
  fc.constant({ event: 'start_game', data: null } as const),
  id.map((player) => ({ event: 'move_up', data: { player } }) as const),
  id.map((player) => ({ event: 'move_down', data: { player } }) as const),
  fc.record({ player: id, position: coord }).map((data) => ({ event: 'stop_moving', data }) as const),
  fc.record({ team_a: smallCount, team_b: smallCount }).map((data) => ({ event: 'score', data }) as const),
  fc.record({ player: id, seconds: smallCount }).map((data) => ({ event: 'player_disconnected', data }) as const),
  id.map((player) => ({ event: 'player_reconnected', data: { player } }) as const),
  fc.record(
    {
      reason: text,
      winner: fc.constantFrom('a' as const, 'b' as const, null),
      team_a: smallCount,
      team_b: smallCount,
      forfeited_by: fc.option(id, { nil: null }),
      match_id: id,
    },
    { requiredKeys: ['reason', 'winner', 'team_a', 'team_b'] },
  ).map((data) => ({ event: 'game_over', data }) as const),
  text.map((message) => ({ event: 'error', data: { message } }) as const),
);

/** Which fields of each event are coordinates (compared within the quantization). */
const COORD_FIELDS: Partial<Record<ServerFrame['event'], string[]>> = {
  game_state: ['position_x', 'position_y', 'speed_x', 'speed_y', 'speed'],
  stop_moving: ['position'],
};

/** The JSON form a client of the JSON encoding gets. */
const viaJson = (frame: ServerFrame) => JSON.parse(encodeServerFrame(frame.event, frame.data as never)) as ServerFrame;

function expectSameAsJson(decoded: ServerFrame, frame: ServerFrame): void {
  const json = viaJson(frame);
  expect(decoded.event).toBe(json.event);
  const coords = COORD_FIELDS[json.event] ?? [];
  if (json.event === 'rackets') {
    const got = decoded.data as Record<string, number>;
    expect(Object.keys(got).sort()).toEqual(Object.keys(json.data).sort());
    for (const [key, x] of Object.entries(json.data)) expectCoord(got[key], x);
    return;
  }
  if (json.data === null || typeof json.data !== 'object') {
    expect(decoded.data).toEqual(json.data);
    return;
  }
  const got = decoded.data as Record<string, unknown>;
  expect(Object.keys(got).sort()).toEqual(Object.keys(json.data).sort());
  for (const [key, value] of Object.entries(json.data)) {
    if (coords.includes(key)) expectCoord(got[key] as number, value as number);
    else expect(got[key]).toEqual(value);
  }
}

/** Within half a step where the coord fits, exact where the f64 travelled. */
function expectCoord(got: number, sent: number): void {
  if (Math.abs(sent) * COORD_SCALE >= 32767) expect(got).toBe(sent);
  else expect(Math.abs(got - sent)).toBeLessThanOrEqual(HALF_STEP + 1e-9);
  expect(got).toBe(quantize(sent));
}

function decodeAll(bytes: Uint8Array, base: BallBase): ServerFrame[] {
  const out: ServerFrame[] = [];
  expect(decodeServerMessage(bytes, base, (f) => out.push(f))).toBe(true);
  return out;
}

describe('compact encoding: server frames', () => {
  it('every event of the protocol comes back as its JSON form (coordinates within the quantization)', () => {
    run(fc.property(serverFrame, (frame) => {
      const w = new RecordWriter(8);
      writeServerRecord(w, frame, null);
      const decoded = decodeAll(w.bytes(), new BallBase());
      expect(decoded).toHaveLength(1);
      expectSameAsJson(decoded[0], frame);
    }), 1000);
  });

  it('a stream of frames, game_states as deltas against the stream\'s base, several records per message, decodes frame by frame', () => {
    run(fc.property(fc.array(fc.tuple(serverFrame, fc.boolean()), { minLength: 1, maxLength: 60 }), (stream) => {
      const serverBase = new BallBase();
      const clientBase = new BallBase();
      const received: ServerFrame[] = [];
      const w = new RecordWriter(8);
      for (const [frame, endsMessage] of stream) {
        writeServerRecord(w, frame, serverBase);
        if (endsMessage) {
          received.push(...decodeAll(w.bytes(), clientBase));
          w.reset();
        }
      }
      if (w.length) received.push(...decodeAll(w.bytes(), clientBase));
      expect(received).toHaveLength(stream.length);
      stream.forEach(([frame], i) => expectSameAsJson(received[i], frame));
    }));
  });

  it('a game_state carries only what changed: 5 bytes while the ball flies straight, 1 when nothing moved', () => {
    const base = new BallBase();
    const w = new RecordWriter();
    const ball = { x: 490, y: 290, speedX: 303.1, speedY: -175, speed: 350 };
    writeGameState(w, base, ball);
    expect(w.length).toBe(1 + 5 * 2);
    writeGameState(w.reset(), base, { ...ball, x: 495.05, y: 287.08 });
    expect(w.length).toBe(5);
    writeGameState(w.reset(), base, { ...ball, x: 495.05, y: 287.08 });
    expect(w.length).toBe(1);
    writeGameState(w.reset(), base, { ...ball, x: 495.05, y: 287.08, speedY: 175 });
    expect(w.length).toBe(3);
    // A base reset (a connection's catch-up) makes the next one whole again.
    base.reset();
    writeGameState(w.reset(), base, ball);
    expect(w.length).toBe(11);
  });

  it('a truncated or unknown record ends the message without a throw; the frames before it are delivered', () => {
    run(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      const base = new BallBase();
      expect(() => decodeServerMessage(bytes, base, () => {})).not.toThrow();
    }), 2000);
    const w = new RecordWriter();
    writeServerRecord(w, { event: 'start_game', data: null }, null);
    writeServerRecord(w, { event: 'score', data: { team_a: 1, team_b: 2 } }, null);
    const bytes = w.bytes();
    const got: ServerFrame[] = [];
    expect(decodeServerMessage(bytes.subarray(0, bytes.length - 1), new BallBase(), (f) => got.push(f))).toBe(false);
    expect(got).toEqual([{ event: 'start_game', data: null }]);
  });
});

describe('compact encoding: client commands', () => {
  const command: fc.Arbitrary<ClientFrame> = fc.oneof(
    fc.constant({ event: 'move_up', data: null } as const),
    fc.constant({ event: 'move_down', data: null } as const),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((position) => ({ event: 'stop_moving', data: { position } }) as const),
  );

  it('round-trip exactly, as their JSON form does', () => {
    run(fc.property(command, (frame) => {
      const compact = decodeClientCompact(encodeClientCompact(frame));
      const json = decodeClientFrame(encodeClientFrame(frame.event, frame.data as never));
      expect(compact).toEqual(json);
      expect(compact).toEqual({ ok: true, frame: frame.event === 'stop_moving' ? { event: 'stop_moving', data: { position: frame.data.position + 0 } } : frame });
    }), 1000);
  });

  it('anything else earns the JSON encoding\'s error texts, never a throw', () => {
    run(fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
      const decoded = decodeClientCompact(bytes);
      if (!decoded.ok) expect(['Malformed message.', 'Message too large.', 'Need position data for event stop_moving']).toContain(decoded.error);
    }), 2000);
    expect(decodeClientCompact(Uint8Array.of(0x43))).toEqual({ ok: false, error: 'Need position data for event stop_moving' });
    const nan = new Uint8Array(9);
    nan[0] = 0x43;
    new DataView(nan.buffer).setFloat64(1, NaN, true);
    expect(decodeClientCompact(nan)).toEqual({ ok: false, error: 'Need position data for event stop_moving' });
    expect(decodeClientCompact(Uint8Array.of(0x41, 0))).toEqual({ ok: false, error: 'Malformed message.' });
  });
});

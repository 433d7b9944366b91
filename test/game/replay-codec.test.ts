import { describe, expect, it } from 'vitest';
import { layoutFor } from '../../src/game/engine/index.js';
import { ByteReader, ByteWriter } from '../../src/game/replay/bytes.js';
import { decodeRecording, MAX_RECORDING_BYTES, RecordKind, ReplayRecorder, timelineOf } from '../../src/game/replay/index.js';

const header = (players = [7, 9]) => ({ layout: layoutFor('normal'), seed: 4_000_000_123, takeover: true, startScore: { a: 1, b: 2 }, players });

describe('replay bytes', () => {
  it('gives back every number exactly: integers, negatives, -0, doubles, null, large varints', () => {
    const values = [0, 1, -1, 63, 64, -64, 300, 2 ** 40, -(2 ** 40), 2 ** 52, -0, 0.1, 93.33333333333334, -1e-300, 1.7976931348623157e308, null];
    const writer = new ByteWriter();
    for (const value of values) writer.number(value);
    writer.varint(2 ** 53 - 1);
    const reader = new ByteReader(writer.toBytes());
    for (const value of values) expect(Object.is(reader.number(), value)).toBe(true);
    expect(reader.varint()).toBe(2 ** 53 - 1);
    expect(reader.done).toBe(true);
  });

  it('costs one byte for a small integer, nine for a double', () => {
    const writer = new ByteWriter();
    writer.number(12);
    expect(writer.size).toBe(1);
    writer.number(12.5);
    expect(writer.size).toBe(10);
  });
});

describe('replay recording', () => {
  it('round-trips every record kind with its tick and clock ms', () => {
    let now = 1000;
    const recorder = new ReplayRecorder(header(), () => now);
    now += 1500;
    recorder.flow(RecordKind.countdown);
    now += 2000;
    recorder.flow(RecordKind.startGame);
    for (let i = 0; i < 3; i++) recorder.tick();
    recorder.move(0, true);
    for (let i = 0; i < 200; i++) recorder.tick();
    recorder.move(1, false);
    recorder.stop(0, 212.5);
    recorder.stop(1, null);
    recorder.goal(1, true);
    now += 10;
    recorder.score({ a: 2, b: 2 });
    recorder.flow(RecordKind.serve);
    recorder.flow(RecordKind.disconnected, 1);
    now += 4000;
    recorder.flow(RecordKind.reconnected, 1);
    recorder.flow(RecordKind.resume);
    recorder.gameOver('Server going away', { a: 3, b: 0 }, 1);
    const decoded = decodeRecording(recorder.finish()!);

    expect(decoded.header).toEqual(header());
    expect(decoded.durationTicks).toBe(203);
    expect(decoded.durationMs).toBe(7510);
    const { events, goals } = timelineOf(decoded);
    expect(events).toEqual([
      { tick: 0, ms: 1500, type: 'start_countdown' },
      { tick: 0, ms: 3500, type: 'start_game' },
      { tick: 3, type: 'move_up', team: 'a', index: 0, player: 7 },
      { tick: 203, type: 'move_down', team: 'b', index: 0, player: 9 },
      { tick: 203, type: 'stop_moving', team: 'a', index: 0, player: 7, position: 212.5 },
      { tick: 203, type: 'stop_moving', team: 'b', index: 0, player: 9, position: null },
      { tick: 203, ms: 3510, type: 'score', score: { a: 2, b: 2 } },
      { tick: 203, ms: 3510, type: 'serve' },
      { tick: 203, ms: 3510, type: 'player_disconnected', team: 'b', index: 0, player: 9 },
      { tick: 203, ms: 7510, type: 'player_reconnected', team: 'b', index: 0, player: 9 },
      { tick: 203, ms: 7510, type: 'resume' },
      { tick: 203, ms: 7510, type: 'game_over', reason: 'Server going away', score: { a: 3, b: 0 }, forfeited_by: 9 },
    ]);
    // An own goal by team b's player is credited to team a.
    expect(goals).toEqual([{ tick: 203, team: 'a', scorer: 9, own_goal: true }]);
  });

  it('names 3v3 slots by team and index', () => {
    const recorder = new ReplayRecorder({ ...header([1, 2, 3, 4, 5, 6]), layout: layoutFor('clash') }, () => 0);
    recorder.move(4, true);
    const { events } = timelineOf(decodeRecording(recorder.finish()!));
    expect(events).toEqual([{ tick: 0, type: 'move_up', team: 'b', index: 1, player: 5 }]);
  });

  it('drops a recording that outgrows its bound', () => {
    const recorder = new ReplayRecorder(header(), () => 0);
    for (let i = 0; i <= MAX_RECORDING_BYTES; i++) recorder.move(i % 2, i % 4 < 2);
    recorder.gameOver('normal-end', { a: 3, b: 0 }, null);
    expect(recorder.finish()).toBeNull();
  });

  it('refuses malformed recordings', () => {
    const recorder = new ReplayRecorder(header(), () => 0);
    recorder.move(1, true);
    const bytes = recorder.finish()!;
    expect(() => decodeRecording(bytes.slice(0, 5))).toThrow(RangeError);
    const wrongVersion = bytes.slice();
    wrongVersion[0] = 9;
    expect(() => decodeRecording(wrongVersion)).toThrow(/version/);
    const badSlot = bytes.slice();
    badSlot[badSlot.length - 1] = (5 << 2) | RecordKind.moveUp;
    expect(() => decodeRecording(badSlot)).toThrow(/slot/);
  });
});

import type { Score } from '../engine/state.js';
import { ByteWriter } from './bytes.js';
import { OTHER_REASON, reasonCode, RecordKind, writeExtended, writeHeader, writeInput, writeText, type RecordingHeader } from './codec.js';

/**
 * A recording that outgrows this is dropped (the match gets no replay):
 * about 40 minutes of two players steering without pause (a 1v1 to 3
 * usually takes 0.3–3 KB), reached sooner only by a client flooding
 * commands. It also bounds the work of serving one replay (~40 ms, ~2 MB
 * of JSON).
 */
export const MAX_RECORDING_BYTES = 128 * 1024;

type FlowKind = typeof RecordKind.countdown | typeof RecordKind.startGame | typeof RecordKind.resume | typeof RecordKind.serve
  | typeof RecordKind.disconnected | typeof RecordKind.reconnected;

/**
 * What a live room records for its replay (docs/replays.md). The tick path
 * only increments a counter; inputs and flow events append a few bytes to
 * one growing buffer; nothing leaves the room before the match is over.
 */
export class ReplayRecorder {
  private readonly writer = new ByteWriter();
  private ticks = 0;
  private lastTick = 0;
  private lastMs: number;
  private overflowed = false;

  constructor(header: RecordingHeader, private readonly now: () => number) {
    writeHeader(this.writer, header);
    this.lastMs = now();
  }

  /** One engine tick ran. */
  tick(): void {
    this.ticks++;
  }

  move(slot: number, up: boolean): void {
    if (!this.writable()) return;
    writeInput(this.writer, up ? RecordKind.moveUp : RecordKind.moveDown, slot, this.delta());
  }

  /** `position`: the client's y when the server adopted it, null when the paddle kept its own. */
  stop(slot: number, position: number | null): void {
    if (!this.writable()) return;
    writeInput(this.writer, RecordKind.stop, slot, this.delta());
    this.writer.number(position);
  }

  goal(slot: number, ownGoal: boolean): void {
    if (!this.extended(RecordKind.goal)) return;
    this.writer.byte(slot | (ownGoal ? 8 : 0));
  }

  flow(kind: FlowKind, slot = 0): void {
    if (!this.extended(kind)) return;
    this.elapsed();
    if (kind === RecordKind.disconnected || kind === RecordKind.reconnected) this.writer.byte(slot);
  }

  score(score: Score): void {
    if (!this.extended(RecordKind.score)) return;
    this.elapsed();
    this.writer.varint(score.a);
    this.writer.varint(score.b);
  }

  gameOver(reason: string, score: Score, forfeitSlot: number | null): void {
    if (!this.extended(RecordKind.gameOver)) return;
    this.elapsed();
    const code = reasonCode(reason);
    this.writer.byte(code);
    this.writer.varint(score.a);
    this.writer.varint(score.b);
    this.writer.varint(forfeitSlot === null ? 0 : forfeitSlot + 1);
    if (code === OTHER_REASON) writeText(this.writer, reason);
  }

  /** The whole recording, or null when it outgrew MAX_RECORDING_BYTES. */
  finish(): Uint8Array | null {
    return this.overflowed ? null : this.writer.toBytes();
  }

  /** False once the recording is dropped. */
  private writable(): boolean {
    if (this.overflowed) return false;
    if (this.writer.size > MAX_RECORDING_BYTES) this.overflowed = true;
    return !this.overflowed;
  }

  private extended(kind: RecordKind): boolean {
    if (!this.writable()) return false;
    writeExtended(this.writer, kind, this.delta());
    return true;
  }

  /** Ticks since the previous record. */
  private delta(): number {
    const delta = this.ticks - this.lastTick;
    this.lastTick = this.ticks;
    return delta;
  }

  private elapsed(): void {
    // Whole ms, measured from the sum written so far so that rounding never drifts.
    const delta = Math.max(0, Math.round(this.now() - this.lastMs));
    this.writer.varint(delta);
    this.lastMs += delta;
  }
}

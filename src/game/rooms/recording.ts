import type { Clock } from '../../platform/clock.js';
import type { GameState, Paddle, PaddleCommand } from '../engine/index.js';
import { RecordKind, ReplayRecorder } from '../replay/index.js';
import type { Seat } from './members.js';

/** Where a room's recording goes once its match is over (the replays feature stores it). */
export interface ReplaySink {
  save(matchId: number, recording: Uint8Array): Promise<void>;
}

/** 32 bits for `seededRandom`, drawn from the registry's source (Math.random, or a test's seeded one). */
export function drawSeed(random: () => number): number {
  return Math.floor(random() * 4294967296) >>> 0;
}

/**
 * A room's replay recorder, speaking in seats (docs/replays.md, What a room
 * records). A command that changes nothing is not recorded: the replay
 * would apply it to the same state with the same (no) effect.
 */
export class RoomRecording {
  private readonly recorder: ReplayRecorder;

  constructor(
    private readonly seats: readonly Seat[],
    start: { state: GameState; seed: number; takeover: boolean },
    clock: Clock,
  ) {
    this.recorder = new ReplayRecorder({
      layout: start.state.layout,
      seed: start.seed,
      takeover: start.takeover,
      startScore: start.state.score,
      players: seats.map((seat) => seat.userId),
    }, () => clock.now());
  }

  tick(): void {
    this.recorder.tick();
  }

  command(seat: Seat, command: PaddleCommand, before: Paddle, after: Paddle): void {
    if (before.direction === after.direction && before.y === after.y) return;
    const slot = this.seats.indexOf(seat);
    if (command.type === 'stop_moving') this.recorder.stop(slot, after.y !== before.y ? command.position ?? null : null);
    else this.recorder.move(slot, command.type === 'move_up');
  }

  goal(seat: Seat | undefined, ownGoal: boolean): void {
    if (seat) this.recorder.goal(this.seats.indexOf(seat), ownGoal);
  }

  countdown(): void {
    this.recorder.flow(RecordKind.countdown);
  }

  startGame(): void {
    this.recorder.flow(RecordKind.startGame);
  }

  resume(): void {
    this.recorder.flow(RecordKind.resume);
  }

  serve(): void {
    this.recorder.flow(RecordKind.serve);
  }

  score(score: GameState['score']): void {
    this.recorder.score(score);
  }

  disconnected(seat: Seat): void {
    this.recorder.flow(RecordKind.disconnected, this.seats.indexOf(seat));
  }

  reconnected(seat: Seat): void {
    this.recorder.flow(RecordKind.reconnected, this.seats.indexOf(seat));
  }

  /** The `game_over` record, then the whole recording (null when it grew too large to keep). */
  finish(reason: string, score: GameState['score'], forfeitedBy: number | null): Uint8Array | null {
    const slot = forfeitedBy === null ? -1 : this.seats.findIndex((seat) => seat.userId === forfeitedBy);
    this.recorder.gameOver(reason, score, slot === -1 ? null : slot);
    return this.recorder.finish();
  }
}

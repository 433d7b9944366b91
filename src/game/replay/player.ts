import { applyCommand } from '../engine/commands.js';
import { createGame, interruptPoint, serveNextPoint, startPoint } from '../engine/lifecycle.js';
import { seededRandom, type RandomSource } from '../engine/random.js';
import type { Ball, GameState, PaddleSlot, Score, Team } from '../engine/state.js';
import { tick } from '../engine/tick.js';
import { REPLAY_FORMAT_VERSION, type ReplayDocument, type ReplayEvent } from './document.js';

/**
 * Where the match stands for a viewer: before the first countdown, counting
 * down, ball in play, a goal just scored, paused for an absent player, over.
 */
export type ReplayPhase = 'waiting' | 'countdown' | 'playing' | 'scoring' | 'paused' | 'over';

/** A goal found by running the engine. */
export interface SimulatedGoal {
  readonly tick: number;
  readonly team: Team;
  readonly scorer: PaddleSlot;
  readonly ownGoal: boolean;
  /** The field score after it. */
  readonly score: Score;
  /** The ball after the scoring tick (past the goal line). */
  readonly ball: Ball;
  /** The ball of the last `game_state` the room sent before its `score`: what live viewers saw last. */
  readonly seenBall: Ball;
}

interface Cursor {
  readonly tick: number;
  readonly state: GameState;
  /** Index of the first event not applied yet. */
  readonly next: number;
  /** Serve draws taken from the seeded source so far. */
  readonly draws: number;
  readonly phase: ReplayPhase;
  readonly away: number;
  readonly seenBall: Ball;
  readonly published: boolean;
}

/** Re-simulating from the nearest checkpoint keeps a seek cheap: at most this many ticks. */
const CHECKPOINT_EVERY = 600;

/**
 * Plays a replay (docs/replays.md, Playing a replay) with the same engine
 * as the live room. Pure: it runs in the browser, the terminal client and the
 * server's tests alike. Ticks are numbered from the start of the recording:
 * the state "at tick n" is the state after n engine ticks, before the
 * events recorded after the n-th tick.
 */
export class ReplayPlayer {
  private cursor: Cursor;
  private readonly checkpoints: Cursor[] = [];
  private random: RandomSource;
  private draws = 0;
  /** The goal the last step scored, if it did. */
  lastGoal: SimulatedGoal | null = null;

  constructor(readonly replay: ReplayDocument) {
    if (replay.version !== REPLAY_FORMAT_VERSION) throw new RangeError(`unknown replay version ${String(replay.version)}`);
    this.random = this.randomAfter(0);
    const fresh = createGame({ layout: replay.layout, random: this.random });
    const state: GameState = { ...fresh, score: { ...replay.start_score } };
    this.cursor = { tick: 0, state, next: 0, draws: this.draws, phase: 'waiting', away: 0, seenBall: state.ball, published: false };
    this.checkpoints.push(this.cursor);
  }

  get tick(): number {
    return this.cursor.tick;
  }

  get state(): GameState {
    return this.cursor.state;
  }

  get score(): Score {
    return this.cursor.state.score;
  }

  get phase(): ReplayPhase {
    return this.cursor.phase;
  }

  /** Whether the room sent a `game_state` after the last tick run. */
  get published(): boolean {
    return this.cursor.published;
  }

  get durationTicks(): number {
    return this.replay.duration_ticks;
  }

  get atEnd(): boolean {
    return this.cursor.tick >= this.replay.duration_ticks && this.cursor.next >= this.replay.events.length;
  }

  /**
   * The events recorded after the current tick, then one engine tick. At the
   * last tick, only the remaining events: returns false once nothing is left.
   */
  step(): boolean {
    this.applyPending();
    if (this.cursor.tick >= this.replay.duration_ticks) return false;
    const result = tick(this.cursor.state);
    const scored = result.events.some((event) => event.type === 'goal');
    const seenBall = result.publishState ? result.state.ball : this.cursor.seenBall;
    this.cursor = {
      ...this.cursor,
      tick: this.cursor.tick + 1,
      state: result.state,
      phase: scored ? 'scoring' : this.cursor.phase,
      seenBall,
      published: result.publishState,
    };
    this.lastGoal = scored ? this.goalOf(result.events) : null;
    if (this.cursor.tick % CHECKPOINT_EVERY === 0 && this.checkpoints.at(-1)!.tick < this.cursor.tick) {
      this.checkpoints.push(this.cursor);
    }
    return true;
  }

  /** The state at tick `n` (clamped to the recording), re-simulated from the nearest checkpoint when going back. */
  seek(n: number): GameState {
    const target = Math.max(0, Math.min(Math.floor(n), this.replay.duration_ticks));
    let from: Cursor | null = null;
    for (const checkpoint of this.checkpoints) if (checkpoint.tick <= target) from = checkpoint;
    if (target < this.cursor.tick || (from && from.tick > this.cursor.tick)) this.restore(from!);
    while (this.cursor.tick < target) this.step();
    return this.cursor.state;
  }

  /** Everything, including the events after the last tick (`game_over`). */
  toEnd(): GameState {
    while (this.step());
    return this.cursor.state;
  }

  /** Every goal of the recording, found by running the engine from the start (this player does not move). */
  goals(): SimulatedGoal[] {
    const run = new ReplayPlayer(this.replay);
    const goals: SimulatedGoal[] = [];
    while (run.step()) if (run.lastGoal) goals.push(run.lastGoal);
    return goals;
  }

  private goalOf(events: ReturnType<typeof tick>['events']): SimulatedGoal | null {
    const goal = events.find((event) => event.type === 'goal');
    if (!goal || goal.type !== 'goal') return null;
    return {
      tick: this.cursor.tick, team: goal.team, scorer: goal.scorer, ownGoal: goal.ownGoal, score: goal.score,
      ball: this.cursor.state.ball, seenBall: this.cursor.seenBall,
    };
  }

  private applyPending(): void {
    const { events } = this.replay;
    while (this.cursor.next < events.length && events[this.cursor.next].tick <= this.cursor.tick) {
      this.apply(events[this.cursor.next]);
      this.cursor = { ...this.cursor, next: this.cursor.next + 1, draws: this.draws };
    }
  }

  /** What the room did for each recorded event, in the same order (src/game/rooms/room.ts). */
  private apply(event: ReplayEvent): void {
    const c = this.cursor;
    switch (event.type) {
      case 'move_up':
      case 'move_down':
        this.cursor = { ...c, state: applyCommand(c.state, event, { type: event.type }) };
        return;
      case 'stop_moving':
        this.cursor = { ...c, state: applyCommand(c.state, event, { type: 'stop_moving', position: event.position ?? undefined }) };
        return;
      case 'start_countdown':
        this.cursor = { ...c, phase: 'countdown' };
        return;
      case 'start_game':
        this.cursor = { ...c, state: startPoint(c.state), phase: 'playing' };
        return;
      case 'score':
        this.cursor = { ...c, state: { ...c.state, score: { ...event.score } } };
        return;
      case 'serve': {
        const state = serveNextPoint({ ...c.state, phase: 'scored', winner: null }, this.random);
        this.cursor = { ...c, state, seenBall: state.ball, phase: c.away > 0 ? 'paused' : c.phase };
        return;
      }
      case 'resume': {
        const state = interruptPoint(c.state);
        this.cursor = { ...c, state, seenBall: state.ball };
        return;
      }
      case 'player_disconnected':
        this.cursor = { ...c, away: c.away + 1, phase: c.phase === 'waiting' ? c.phase : 'paused' };
        return;
      case 'player_reconnected':
        this.cursor = { ...c, away: Math.max(0, c.away - 1) };
        return;
      case 'game_over':
        this.cursor = { ...c, phase: 'over' };
        return;
    }
  }

  private restore(cursor: Cursor): void {
    this.random = this.randomAfter(cursor.draws);
    this.cursor = cursor;
    this.lastGoal = null;
  }

  /** The seeded source, advanced past `draws` serves, counting the draws that follow. */
  private randomAfter(draws: number): RandomSource {
    const source = seededRandom(this.replay.seed);
    for (let i = 0; i < draws; i++) source();
    this.draws = draws;
    return () => {
      this.draws++;
      return source();
    };
  }
}

/** The goals of a replay by simulation (a shorthand for `new ReplayPlayer(replay).goals()`). */
export function simulateGoals(replay: ReplayDocument): SimulatedGoal[] {
  return new ReplayPlayer(replay).goals();
}

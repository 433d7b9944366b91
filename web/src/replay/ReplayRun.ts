import type { Score } from '@shared/engine/index.js';
import { ReplayPlayer, type ReplayDocument, type ReplayEvent, type SimulatedGoal } from '@shared/replay/index.js';
import type { FieldSource, FieldView } from '../game/view';
import { createStore } from '../lib/store';

export const SPEEDS = [0.5, 1, 2, 4] as const;
export type Speed = (typeof SPEEDS)[number];

export interface ReplayStatus {
  tick: number;
  playing: boolean;
  speed: Speed;
  score: Score;
}

/** Longer frames (a background tab) do not jump ahead: the replay just runs slower. */
const MAX_FRAME_SECONDS = 0.1;
/** A pause for an absent player is shown, but never longer than this. */
const MAX_WAIT_SECONDS = 10;
/** The timeline follows the replay at this pace; React need not re-render on every tick. */
const PUBLISH_EVERY_MS = 100;

interface Wait {
  seconds: number;
  countdown: boolean;
}

/**
 * The flow events recorded after one tick happen without engine ticks between
 * them, yet take clock time (a 2 s countdown, a pause until a player comes
 * back): their `ms` span is how long the replay waits before that tick
 * (docs/replays.md, Playing a replay).
 */
function waitsOf(events: readonly ReplayEvent[]): Map<number, Wait> {
  const spans = new Map<number, { first: number; last: number; countdown: boolean }>();
  for (const event of events) {
    if (!('ms' in event)) continue;
    const span = spans.get(event.tick);
    if (!span) spans.set(event.tick, { first: event.ms, last: event.ms, countdown: event.type === 'start_countdown' });
    else spans.set(event.tick, { first: span.first, last: event.ms, countdown: span.countdown || event.type === 'start_countdown' });
  }
  const waits = new Map<number, Wait>();
  for (const [tick, span] of spans) {
    const seconds = Math.min(MAX_WAIT_SECONDS, Math.max(0, span.last - span.first) / 1000);
    if (seconds > 0) waits.set(tick, { seconds, countdown: span.countdown });
  }
  return waits;
}

/**
 * The replay player (`@shared/replay`) as a canvas source: it runs the
 * engine at the recorded pace times the chosen speed, and can be paused and
 * moved to any tick. Team a is drawn on the right, as spectators see it.
 */
export class ReplayRun implements FieldSource {
  readonly status;
  readonly goals: SimulatedGoal[];
  private readonly player: ReplayPlayer;
  private readonly waits: Map<number, Wait>;
  private waitedAt = -1;
  private waitLeft = 0;
  private carry = 0;
  private last: number | null = null;
  private publishedAt = 0;

  constructor(readonly replay: ReplayDocument) {
    this.player = new ReplayPlayer(replay);
    this.goals = this.player.goals();
    this.waits = waitsOf(replay.events);
    this.status = createStore<ReplayStatus>({ tick: 0, playing: true, speed: 1, score: this.player.score });
  }

  get durationTicks(): number {
    return this.player.durationTicks;
  }

  play(): void {
    if (this.player.atEnd) this.seek(0);
    this.status.set((status) => ({ ...status, playing: true }));
  }

  pause(): void {
    this.status.set((status) => ({ ...status, playing: false }));
  }

  setSpeed(speed: Speed): void {
    this.status.set((status) => ({ ...status, speed }));
  }

  seek(tick: number): void {
    this.player.seek(tick);
    this.waitedAt = -1;
    this.carry = 0;
    this.publish();
  }

  frame(now: number): FieldView {
    const seconds = this.last === null ? 0 : Math.min(MAX_FRAME_SECONDS, (now - this.last) / 1000);
    this.last = now;
    const { playing, speed } = this.status.get();
    if (playing) this.advance(seconds * speed);
    const shown = this.status.get().score;
    const scored = this.player.score.a !== shown.a || this.player.score.b !== shown.b;
    if (scored || now - this.publishedAt >= PUBLISH_EVERY_MS) {
      this.publishedAt = now;
      this.publish();
    }
    return this.view();
  }

  private advance(seconds: number): void {
    this.carry += seconds;
    for (;;) {
      if (this.player.atEnd) {
        this.carry = 0;
        this.status.set((status) => ({ ...status, playing: false }));
        return;
      }
      const tick = this.player.tick;
      if (this.waitedAt !== tick) {
        this.waitedAt = tick;
        this.waitLeft = this.waits.get(tick)?.seconds ?? 0;
      }
      if (this.waitLeft > 0) {
        const used = Math.min(this.carry, this.waitLeft);
        this.waitLeft -= used;
        this.carry -= used;
        if (this.waitLeft > 0) return;
      }
      const cost = this.player.state.nextStepSeconds;
      if (this.carry < cost) return;
      this.carry -= cost;
      this.player.step();
    }
  }

  private publish(): void {
    this.status.set((status) => ({ ...status, tick: this.player.tick, score: this.player.score }));
  }

  private view(): FieldView {
    const { state } = this.player;
    const wait = this.waitedAt === this.player.tick && this.waitLeft > 0 ? this.waits.get(this.player.tick) : undefined;
    const counting = wait?.countdown && this.waitLeft <= 2;
    return {
      layout: state.layout,
      ball: counting ? null : { x: state.ball.x, y: state.ball.y },
      paddles: state.paddles.map((paddle) => ({ x: paddle.x, y: paddle.y, side: paddle.team === 'a' ? 'right' : 'left', mine: false })),
      countdown: counting ? Math.max(1, Math.ceil(this.waitLeft)) : null,
      overlay: wait && !counting ? 'Paused' : null,
    };
  }
}

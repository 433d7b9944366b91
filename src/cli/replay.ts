import type { FieldView } from '../client/game-model.js';
import type { Score, Team } from '../game/engine/index.js';
import { ReplayPlayer, type ReplayDocument, type ReplayEvent, type SimulatedGoal } from '../game/replay/index.js';

/**
 * A replay as the terminal plays it: the replay player of `src/game/replay/`
 * (the engine the room ran) moved along a clock of playback seconds, which
 * can run at a chosen speed, stop, and jump anywhere.
 *
 * The pace is the recorded one (docs/replays.md, Playing a replay): after a
 * tick the next comes `state.nextStepSeconds` later, and the flow events
 * recorded after one tick (a countdown, a pause for an absent player) take
 * the clock time between their `ms`, a pause at most 10 s. One run of the
 * player from the start, when the replay is opened, gives the second at
 * which every tick is reached and every goal; from then on a position in
 * seconds maps to a tick, and the player is sought there.
 */

export const SPEEDS = [0.5, 1, 2, 4] as const;
export type Speed = (typeof SPEEDS)[number];

/** Left / Right move this far. */
export const SEEK_SECONDS = 5;
/** A pause for an absent player is shown, but never longer than this (as on the web). */
const MAX_WAIT_SECONDS = 10;
/** A countdown lasts this long before `start_game`. */
const COUNTDOWN_SECONDS = 2;
/** A slow frame (the process was busy) does not jump ahead: the replay just runs slower. */
const MAX_FRAME_SECONDS = 0.25;

interface Wait {
  seconds: number;
  /** It ends with a countdown (its last 2 s). */
  countdown: boolean;
  /** A seat was empty meanwhile: the match stood still for a player. */
  away: boolean;
}

const AWAY_EVENTS: ReadonlySet<string> = new Set(['player_disconnected', 'player_reconnected', 'resume']);

/** The clock time the flow events after each tick take: the span of their `ms`. */
function waitsOf(events: readonly ReplayEvent[]): Map<number, Wait> {
  const spans = new Map<number, { first: number; last: number; countdown: boolean; away: boolean }>();
  for (const event of events) {
    if (!('ms' in event)) continue;
    const span = spans.get(event.tick) ?? { first: event.ms, last: event.ms, countdown: false, away: false };
    spans.set(event.tick, {
      first: span.first,
      last: event.ms,
      countdown: span.countdown || event.type === 'start_countdown',
      away: span.away || AWAY_EVENTS.has(event.type),
    });
  }
  const waits = new Map<number, Wait>();
  for (const [tick, span] of spans) {
    const seconds = Math.min(MAX_WAIT_SECONDS, Math.max(0, span.last - span.first) / 1000);
    if (seconds > 0) waits.set(tick, { seconds, countdown: span.countdown, away: span.away });
  }
  return waits;
}

/** What the replay screen draws: the field (as a live game's), and what covers it. */
export interface ReplayFrame {
  view: FieldView;
  /** A player's seat was empty: the match stood still here. */
  paused: boolean;
  /** The end of the recording is reached. */
  ended: boolean;
}

/** `m:ss`. */
export function clock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

export class ReplayRun {
  readonly goals: readonly SimulatedGoal[];
  /** Playback seconds of the whole recording. */
  readonly totalSeconds: number;
  /** The viewer's team (drawn blue); team a when the viewer did not play. */
  readonly myTeam: Team;
  playing = true;
  speed: Speed = 1;
  private readonly player: ReplayPlayer;
  private readonly waits: Map<number, Wait>;
  /** `times[t]`: the playback second at which tick t is reached (its waits come after it). */
  private readonly times: Float64Array;
  private position = 0;
  private last: number | null = null;

  constructor(readonly replay: ReplayDocument, viewer: number | null = null) {
    this.player = new ReplayPlayer(replay);
    this.waits = waitsOf(replay.events);
    this.myTeam = replay.teams.b.some((p) => p.id === viewer) ? 'b' : 'a';
    // One run from the start: the time of every tick, and every goal.
    const run = new ReplayPlayer(replay);
    const times = new Float64Array(replay.duration_ticks + 1);
    const goals: SimulatedGoal[] = [];
    let seconds = 0;
    for (;;) {
      const tick = run.tick;
      times[tick] = seconds;
      seconds += this.waits.get(tick)?.seconds ?? 0;
      const cost = run.state.nextStepSeconds;
      if (!run.step()) break;
      seconds += cost;
      if (run.lastGoal) goals.push(run.lastGoal);
    }
    this.times = times;
    this.goals = goals;
    this.totalSeconds = seconds;
  }

  /** The playback second shown. */
  get seconds(): number {
    return this.position;
  }

  get tick(): number {
    return this.player.tick;
  }

  get durationTicks(): number {
    return this.replay.duration_ticks;
  }

  /** The field score at the position shown. */
  get score(): Score {
    return this.player.score;
  }

  get ended(): boolean {
    return this.position >= this.totalSeconds;
  }

  /** The playback second at which tick `n` is reached. */
  secondsAt(tick: number): number {
    return this.times[Math.max(0, Math.min(this.times.length - 1, Math.floor(tick)))];
  }

  /** The tick shown at playback second `seconds`: the last one reached by then. */
  tickAt(seconds: number): number {
    let low = 0;
    let high = this.times.length - 1;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (this.times[mid] <= seconds) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  // --- controls ------------------------------------------------------------------

  play(): void {
    if (this.ended) this.seekTo(0);
    this.playing = true;
  }

  pause(): void {
    this.playing = false;
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  faster(): void {
    this.speed = SPEEDS[Math.min(SPEEDS.length - 1, SPEEDS.indexOf(this.speed) + 1)];
  }

  slower(): void {
    this.speed = SPEEDS[Math.max(0, SPEEDS.indexOf(this.speed) - 1)];
  }

  seekTo(seconds: number): void {
    this.position = Math.max(0, Math.min(this.totalSeconds, seconds));
    this.player.seek(this.tickAt(this.position));
    if (this.ended) this.playing = false;
  }

  seekBy(seconds: number): void {
    this.seekTo(this.position + seconds);
  }

  /** To the first goal after the tick shown (the moment it is scored), or to the end after the last one. */
  nextGoal(): SimulatedGoal | null {
    const goal = this.goals.find((g) => g.tick > this.player.tick) ?? null;
    this.seekTo(goal ? this.secondsAt(goal.tick) : this.totalSeconds);
    return goal;
  }

  // --- frames --------------------------------------------------------------------

  /** Moves the replay on by the real time since the last frame (times the speed), and says what to draw. */
  frame(now: number): ReplayFrame {
    const elapsed = this.last === null ? 0 : Math.min(MAX_FRAME_SECONDS, Math.max(0, now - this.last) / 1000);
    this.last = now;
    if (this.playing) {
      this.position = Math.min(this.totalSeconds, this.position + elapsed * this.speed);
      if (this.ended) this.playing = false;
      const tick = this.tickAt(this.position);
      if (tick !== this.player.tick) this.player.seek(tick);
    }
    return this.view();
  }

  /** The field at the position shown, as `drawField` takes it (team a on the right, as spectators see it). */
  view(): ReplayFrame {
    const { state } = this.player;
    const tick = this.player.tick;
    const wait = this.waits.get(tick);
    const waited = this.position - this.times[tick];
    const waiting = wait !== undefined && waited < wait.seconds;
    const left = waiting ? wait.seconds - waited : 0;
    const counting = waiting && wait.countdown && left <= COUNTDOWN_SECONDS;
    const layout = state.layout;
    const inField = state.ball.x + layout.ballSize >= 0 && state.ball.x <= layout.width;
    return {
      view: {
        layout,
        ball: counting || !inField ? null : { x: state.ball.x, y: state.ball.y },
        paddles: state.paddles.map((paddle) => ({
          x: paddle.x, y: paddle.y, side: paddle.team === 'a' ? 'right' : 'left', mine: paddle.team === this.myTeam,
        })),
        // 3, 2, 1 over the 2 s, as in a live game.
        countdown: counting ? Math.max(1, Math.min(3, Math.ceil((left / COUNTDOWN_SECONDS) * 3))) : null,
      },
      paused: waiting && !counting && wait.away,
      ended: this.ended,
    };
  }
}

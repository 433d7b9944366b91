import type { GameModel } from '@client/game-model.js';
import type { ServerFrame, ServerMessages } from '@shared/protocol.js';
import type { FieldSource, FieldView, PaddleView, Velocity } from './view';

/**
 * An online game as the canvas draws it, at the display's refresh rate.
 *
 * The server sends the ball 7 to 60 times a second (docs/game-protocol.md:
 * every tick or every other one, 15 ticks a second mid-field). Drawing each
 * state as it comes would stutter, so the ball is drawn a little in the
 * past (`delay`, about 50 ms, more on a jittery connection) and interpolated
 * between the two states around that moment. Each state gets a time on a
 * smoothed timeline (the distance the ball covered at its speed, pulled
 * gently towards the arrival time), so that states arriving in bunches do
 * not make the ball stall and jump. A wall bounce or a paddle hit between
 * two states is drawn at the wall or the paddle's face, not cut across.
 * Past the newest state (mid-field, where states are rarest) the ball
 * carries on in a straight line, walls included: that is exactly what the
 * server does there.
 *
 * The other paddles are drawn at the same moment in the past, so that ball
 * and paddles agree. The player's own paddle is drawn now, predicted from
 * his input by the shared model (`GameModel`), and a correction from the
 * server (his `stop_moving` position) slides in over a few frames instead of
 * jumping.
 */

interface Snapshot {
  /** On the smoothed timeline (ms, performance clock). */
  t: number;
  arrival: number;
  x: number;
  y: number;
  vx: number;
  vy: number;
  /** Received while no point was in play (a serve waiting for its countdown, a paused point): it does not move. */
  still: boolean;
  /** Nothing is interpolated from the previous state into this one (a new serve, a resumed point). */
  cut: boolean;
}

const TICK_MS = 1000 / 60;
/**
 * Interpolation delay: how far the newest state lags on the timeline, plus twice its jitter, plus room for the
 * next state (30 a second near the paddles), within the bounds. It follows its target slowly (a few per cent of
 * each frame), so that its changes never show as the ball speeding up or slowing down.
 */
const GAP_ROOM_MS = 36;
const MIN_DELAY_MS = 45;
const MAX_DELAY_MS = 160;
const DELAY_SLEW = 0.04;
/** How far past the newest state the ball may carry on. */
const MAX_EXTRAPOLATE_MS = 260;
/** A state's time moves this share of the way from its predicted time to its arrival. */
const TIMELINE_PULL = 0.06;
/** ... and stays within these of its arrival (a state can seem early: its predecessor came late). */
const MAX_LAG_MS = 100;
const MAX_LEAD_MS = 40;
/** A correction of the player's own paddle fades out at this rate. */
const CORRECTION_MS = 70;
const KEEP_MS = 1500;

const sign = (v: number) => (v > 0 ? 1 : v < 0 ? -1 : 0);

export class SmoothedGame implements FieldSource {
  private snaps: Snapshot[] = [];
  /** When points stopped (a goal, a pause, the end): the ball carries on no further than the next of these. */
  private stops: number[] = [];
  private live = false;
  private lag = { mean: 0, deviation: 0 };
  private shownDelay = 60;
  private lastFrame: number | null = null;
  private tally: { left: number; right: number };
  private pendingTallies: Array<{ t: number; left: number; right: number }> = [];
  private history: Array<{ t: number; ys: number[] }> = [];
  private lastPaddles: PaddleView[] = [];
  private mine = { offset: 0, modelY: null as number | null, shownY: 0, at: 0 };

  constructor(
    readonly game: GameModel,
    private readonly viewer: 'player' | 'spectator',
  ) {
    this.tally = { ...game.status.score };
  }

  get layout() {
    return this.game.layout;
  }

  /** How far in the past the ball is drawn (ms). */
  get delay(): number {
    return this.shownDelay;
  }

  private targetDelay(): number {
    return Math.max(MIN_DELAY_MS, Math.min(MAX_DELAY_MS, this.lag.mean + 2 * this.lag.deviation + GAP_ROOM_MS));
  }

  /** A server frame: to the model, and to the timeline. */
  handle(frame: ServerFrame, now = performance.now()): void {
    this.game.handle(frame, now);
    switch (frame.event) {
      case 'game_state':
        this.snapshot(frame.data, now);
        break;
      case 'start_game': {
        this.live = true;
        const last = this.snaps[this.snaps.length - 1];
        // The serve (or the resumed point) starts now, from where the ball stands.
        if (last) this.push({ ...last, t: Math.max(now, last.t + 1), arrival: now, still: false, cut: true });
        break;
      }
      case 'score':
      case 'game_over': {
        this.stop(now);
        const { left, right } = this.game.status.score;
        // A score before any state is the catch-up of a game joined late: no goal to show.
        if (this.snaps.length === 0) this.tally = { left, right };
        else this.pendingTallies.push({ t: now, left, right });
        break;
      }
      case 'start_countdown':
      case 'player_disconnected':
        this.stop(now);
        break;
      default:
        break;
    }
  }

  frame(now: number): FieldView {
    const model = this.game.frame(now);
    const layout = model.layout;
    const dt = this.lastFrame === null ? 0 : Math.max(0, Math.min(100, now - this.lastFrame));
    this.lastFrame = now;
    const change = this.targetDelay() - this.shownDelay;
    this.shownDelay += Math.max(-DELAY_SLEW * dt, Math.min(DELAY_SLEW * dt, change));
    const r = now - this.shownDelay;
    this.prune(r);

    while (this.pendingTallies.length > 0 && this.pendingTallies[0].t <= r) {
      const { left, right } = this.pendingTallies.shift()!;
      this.tally = { left, right };
    }

    this.history.push({ t: now, ys: model.paddles.map((p) => p.y) });
    while (this.history.length > 2 && this.history[1].t <= now - MAX_DELAY_MS - 100) this.history.shift();
    const paddles: PaddleView[] = model.paddles.map((paddle, i) => (paddle.mine ? { ...paddle, y: this.myPaddle(paddle.y, now, layout.paddleSpeed) } : { ...paddle, y: this.pastY(i, r, paddle.y) }));

    this.lastPaddles = paddles;
    const sample = this.sample(r, layout.height - layout.ballSize, paddles, layout);
    const inField = sample && sample.x > -layout.ballSize * 2 && sample.x < layout.width + layout.ballSize;
    const last = this.snaps[this.snaps.length - 1];
    const over = this.game.status.over;
    return {
      layout,
      ball: inField ? { x: sample.x, y: sample.y } : null,
      paddles,
      countdown: model.countdown,
      tally: this.tally,
      velocity: sample ? sample.velocity : null,
      serve: model.countdown !== null && last?.still ? { x: last.vx, y: last.vy } : null,
      ending: over ? { key: 'over', outcome: this.viewer === 'spectator' ? 'over' : this.game.won ? 'won' : 'lost' } : null,
    };
  }

  private stop(now: number): void {
    this.live = false;
    this.stops.push(now);
  }

  private push(snapshot: Snapshot): void {
    this.snaps.push(snapshot);
    if (this.snaps.length > 240) this.snaps.splice(0, this.snaps.length - 240);
  }

  private snapshot(d: ServerMessages['game_state'], now: number): void {
    const prev = this.snaps[this.snaps.length - 1];
    const next: Snapshot = { t: now, arrival: now, x: d.position_x, y: d.position_y, vx: d.speed_x, vy: d.speed_y, still: !this.live, cut: !this.live || !prev };
    if (!next.cut && prev) {
      const predicted = prev.t + this.expectedGap(prev, next);
      const t = predicted + TIMELINE_PULL * (now - predicted);
      next.t = Math.max(prev.t + 1, Math.min(now + MAX_LEAD_MS, Math.max(now - MAX_LAG_MS, t)));
      const lag = now - next.t;
      this.lag.deviation = this.lag.deviation * 0.9 + Math.abs(lag - this.lag.mean) * 0.1;
      this.lag.mean = this.lag.mean * 0.9 + lag * 0.1;
    } else if (prev) next.t = Math.max(now, prev.t + 1);
    this.push(next);
  }

  /** How long the server took between two states: the distance covered at its speed (to the paddle and back across a hit). */
  private expectedGap(prev: Snapshot, next: Snapshot): number {
    const speed = Math.hypot(prev.vx, prev.vy);
    const layout = this.game.layout;
    const maxY = layout.height - layout.ballSize;
    if (sign(prev.vx) !== sign(next.vx) || speed < 1) {
      const face = speed < 1 ? null : paddleFace(prev, next, this.lastPaddles, layout);
      const after = Math.hypot(next.vx, next.vy);
      if (face === null || after < 1) return Math.max(1, Math.round((next.arrival - prev.arrival) / TICK_MS)) * TICK_MS;
      const turn = { x: face, y: clampY(prev.y + (prev.vy * (face - prev.x)) / prev.vx, maxY) };
      return (Math.hypot(turn.x - prev.x, turn.y - prev.y) / speed + Math.hypot(next.x - turn.x, next.y - turn.y) / after) * 1000;
    }
    let y1 = next.y;
    if (sign(prev.vy) !== sign(next.vy)) y1 = prev.vy < 0 ? -next.y : 2 * maxY - next.y;
    return (Math.hypot(next.x - prev.x, y1 - prev.y) / speed) * 1000;
  }

  private prune(r: number): void {
    // Keep the state in force at `r` and everything after it.
    let keepFrom = 0;
    for (let i = 0; i < this.snaps.length - 1 && this.snaps[i + 1].t <= r - KEEP_MS; i++) keepFrom = i + 1;
    if (keepFrom > 0) this.snaps.splice(0, keepFrom);
    while (this.stops.length > 1 && this.stops[1] <= r - KEEP_MS) this.stops.shift();
  }

  /** The ball at time `r` (top-left corner) and its velocity (zero when it stands). */
  private sample(r: number, maxY: number, paddles: PaddleView[], layout: FieldView['layout']): { x: number; y: number; velocity: Velocity } | null {
    const snaps = this.snaps;
    if (snaps.length === 0) return null;
    let i = snaps.length - 1;
    while (i > 0 && snaps[i].t > r) i--;
    const s0 = snaps[i];
    if (s0.t > r) return { x: s0.x, y: s0.y, velocity: { x: 0, y: 0 } };
    const s1 = snaps[i + 1];
    if (s1 && !s1.cut) return interpolate(s0, s1, (r - s0.t) / (s1.t - s0.t), maxY, paddles, layout);
    // Past the newest state (or the last one of a point): carry on in a straight line until the point stopped.
    if (s0.still) return { x: s0.x, y: s0.y, velocity: { x: 0, y: 0 } };
    const stop = this.stops.find((at) => at >= s0.arrival) ?? Infinity;
    const until = Math.min(r, stop, s1 ? s1.t : Infinity, s0.t + MAX_EXTRAPOLATE_MS);
    const moving = r < until || (r === until && until < stop);
    return extrapolate(s0, Math.max(0, until - s0.t) / 1000, maxY, moving);
  }

  /** Another paddle, where it was at `r`. */
  private pastY(index: number, r: number, fallback: number): number {
    const h = this.history;
    for (let i = h.length - 1; i > 0; i--) {
      if (h[i - 1].t <= r) {
        const a = h[i - 1];
        const b = h[i];
        const ya = a.ys[index] ?? fallback;
        const yb = b.ys[index] ?? fallback;
        const alpha = b.t === a.t ? 1 : Math.min(1, (r - a.t) / (b.t - a.t));
        return ya + (yb - ya) * alpha;
      }
    }
    return h[0]?.ys[index] ?? fallback;
  }

  /** The player's paddle now: the model's prediction, with a server correction faded in. */
  private myPaddle(modelY: number, now: number, paddleSpeed: number): number {
    const m = this.mine;
    const dt = Math.max(0, now - m.at);
    if (m.modelY !== null && dt < 250) {
      const moved = Math.abs(modelY - m.modelY);
      const possible = (paddleSpeed * dt) / 1000 + 2;
      // A jump the paddle could not have made by itself is a correction: keep the drawn paddle where it was.
      if (moved > possible * 1.5 && this.game.phase === 'live') m.offset += m.modelY - modelY;
    }
    m.offset *= Math.exp(-dt / CORRECTION_MS);
    if (Math.abs(m.offset) < 0.05) m.offset = 0;
    m.modelY = modelY;
    m.at = now;
    m.shownY = modelY + m.offset;
    return m.shownY;
  }
}

function extrapolate(s: Snapshot, seconds: number, maxY: number, moving: boolean): { x: number; y: number; velocity: Velocity } {
  const x = s.x + s.vx * seconds;
  let y = s.y + s.vy * seconds;
  let vy = s.vy;
  // Fold the straight line back into the field at each wall.
  for (let guard = 0; guard < 8 && (y < 0 || y > maxY); guard++) {
    y = y < 0 ? -y : 2 * maxY - y;
    vy = -vy;
  }
  return { x, y, velocity: moving ? { x: s.vx, y: vy } : { x: 0, y: 0 } };
}

/**
 * Between two states: in a straight line, or through the turning point when
 * the ball bounced between them (off a wall, or a paddle's face).
 */
function interpolate(s0: Snapshot, s1: Snapshot, alpha: number, maxY: number, paddles: PaddleView[], layout: FieldView['layout']): { x: number; y: number; velocity: Velocity } {
  const a = Math.max(0, Math.min(1, alpha));
  let turn: { x: number; y: number } | null = null;
  if (sign(s0.vx) !== sign(s1.vx) && s0.vx !== 0) {
    const face = paddleFace(s0, s1, paddles, layout);
    if (face !== null) turn = { x: face, y: clampY(s0.y + (s0.vy * (face - s0.x)) / s0.vx, maxY) };
  } else if (sign(s0.vy) !== sign(s1.vy) && s0.vy !== 0 && s1.vy !== 0) {
    const wall = s0.vy < 0 ? 0 : maxY;
    turn = { x: s0.x + (s0.vx * (wall - s0.y)) / s0.vy, y: wall };
  }
  if (turn) {
    const before = Math.hypot(turn.x - s0.x, turn.y - s0.y) / (Math.hypot(s0.vx, s0.vy) || 1);
    const after = Math.hypot(s1.x - turn.x, s1.y - turn.y) / (Math.hypot(s1.vx, s1.vy) || 1);
    const f = before + after > 0 ? before / (before + after) : 0.5;
    if (a < f) {
      const k = f === 0 ? 1 : a / f;
      return { x: s0.x + (turn.x - s0.x) * k, y: s0.y + (turn.y - s0.y) * k, velocity: { x: s0.vx, y: s0.vy } };
    }
    const k = f === 1 ? 1 : (a - f) / (1 - f);
    return { x: turn.x + (s1.x - turn.x) * k, y: turn.y + (s1.y - turn.y) * k, velocity: { x: s1.vx, y: s1.vy } };
  }
  const velocity = a < 0.5 ? { x: s0.vx, y: s0.vy } : { x: s1.vx, y: s1.vy };
  return { x: s0.x + (s1.x - s0.x) * a, y: s0.y + (s1.y - s0.y) * a, velocity };
}

const clampY = (y: number, maxY: number) => Math.max(0, Math.min(maxY, y));

/** The x (ball's left edge) at which the ball met the face of the paddle that turned it round, if one is found. */
function paddleFace(s0: Snapshot, s1: Snapshot, paddles: PaddleView[], layout: FieldView['layout']): number | null {
  const { ballSize, paddleWidth, paddleHeight } = layout;
  const rightwards = s0.vx > 0;
  const reach = rightwards ? Math.max(s0.x, s1.x) : Math.min(s0.x, s1.x);
  let best: number | null = null;
  for (const p of paddles) {
    const face = rightwards ? p.x - ballSize : p.x + paddleWidth;
    const ahead = rightwards ? face >= reach - 1 && face - reach < 80 : face <= reach + 1 && reach - face < 80;
    const y = (s0.y + s1.y) / 2;
    const level = y + ballSize > p.y - 10 && y < p.y + paddleHeight + 10;
    if (!ahead || !level) continue;
    if (best === null || (rightwards ? face < best : face > best)) best = face;
  }
  return best;
}

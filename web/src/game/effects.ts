import { effectCounters } from './counters';
import { play } from './sound';
import type { FieldView, Side, Velocity } from './view';

/**
 * What makes the field feel alive, read from the successive frames of any
 * source (online, spectated, local, replayed): the ball's trail, a flash and
 * a direction streak on each paddle hit, a spark on each wall bounce, a
 * flash, a score pop and a brief shake on each goal, the countdown's beat,
 * and the sounds that go with them. Hits and bounces are the ball's velocity
 * turning round; a goal is the score changing (or, without a score, the ball
 * leaving by a goal line). With `prefers-reduced-motion: reduce` there is no
 * shake and no flash.
 */

/** How long each effect lasts (ms). */
export const EFFECT_MS = { paddleFlash: 200, streak: 420, spark: 260, goalFlash: 650, pop: 450, shake: 380, countdownPop: 240 } as const;
/** The trail's length in time: longer (and brighter) as the ball speeds up. */
const TRAIL_MIN_MS = 110;
const TRAIL_MAX_MS = 260;
const TRAIL_POINTS = 48;
/** Shake amplitude in field units. */
const SHAKE_UNITS = 11;

export interface TrailPoint {
  x: number;
  y: number;
  t: number;
}

export interface Streak {
  x: number;
  y: number;
  dx: number;
  dy: number;
  t: number;
  side: Side;
}

function sign(value: number): number {
  return value > 1e-6 ? 1 : value < -1e-6 ? -1 : 0;
}

export class Effects {
  reducedMotion = false;
  /** Ball centres of the last moments, oldest first. */
  readonly trail: TrailPoint[] = [];
  /** 0 at the serve speed, 1 at the top speed. */
  speedNorm = 0;
  trailMs = TRAIL_MIN_MS;
  /** When each paddle (by index in the view) was last hit. */
  readonly paddleHitAt: number[] = [];
  streak: Streak | null = null;
  readonly sparks: TrailPoint[] = [];
  /** The goal the ball went into, and when. */
  goal: { side: Side; t: number } | null = null;
  /** The side whose score just went up, and when. */
  pop: { side: Side; t: number } | null = null;
  shakeAt = -Infinity;
  /** When the countdown last changed its number. */
  countdownAt = -Infinity;

  private last: { x: number; y: number; t: number } | null = null;
  private velocity: Velocity = { x: 0, y: 0 };
  private lastSeen: { x: number; y: number } | null = null;
  private tally: { left: number; right: number } | null = null;
  private countdown: number | null = null;
  private endingKey: string | null | undefined = undefined;

  /** Takes the frame about to be drawn: detects what happened since the last one. */
  update(view: FieldView, now: number): void {
    const { layout } = view;
    const counters = effectCounters();
    const loud = !view.quiet;
    const half = layout.ballSize / 2;

    this.detectGoal(view, now, loud);

    const ball = view.ball;
    counters.ball = ball;
    if (!ball) {
      this.last = null;
      this.trail.length = 0;
      this.velocity = { x: 0, y: 0 };
    } else {
      const centre = { x: ball.x + half, y: ball.y + half };
      const dt = this.last ? (now - this.last.t) / 1000 : 0;
      const jump = this.last ? Math.hypot(centre.x - this.last.x, centre.y - this.last.y) : 0;
      const teleported = this.last !== null && jump > Math.max(90, layout.maxSpeed * 1.6 * dt + 40);
      // A new serve, a seek in a replay: no trail across the jump, and no bounce read from it.
      if (teleported) {
        this.trail.length = 0;
        this.velocity = { x: 0, y: 0 };
      }
      let velocity: Velocity | null = view.velocity ?? null;
      if (!velocity && this.last && dt > 0 && !teleported) {
        velocity = { x: (centre.x - this.last.x) / dt, y: (centre.y - this.last.y) / dt };
      }
      if (velocity && !teleported && this.last) this.detectBounces(view, velocity, centre, now, loud);
      if (velocity && (sign(velocity.x) !== 0 || sign(velocity.y) !== 0)) this.velocity = velocity;
      const speed = view.velocity ? Math.hypot(view.velocity.x, view.velocity.y) : velocity ? Math.hypot(velocity.x, velocity.y) : 0;
      if (view.velocity || velocity) this.speedNorm = Math.max(0, Math.min(1, (speed - layout.serveSpeed) / Math.max(1, layout.maxSpeed - layout.serveSpeed)));
      this.trailMs = TRAIL_MIN_MS + (TRAIL_MAX_MS - TRAIL_MIN_MS) * this.speedNorm;
      // A ball that stands still (a pause, a countdown) leaves no trail at once: the picture is still.
      if (view.velocity && view.velocity.x === 0 && view.velocity.y === 0) {
        this.trail.length = 0;
        this.velocity = { x: 0, y: 0 };
      } else {
        this.trail.push({ x: centre.x, y: centre.y, t: now });
        if (this.trail.length > TRAIL_POINTS) this.trail.splice(0, this.trail.length - TRAIL_POINTS);
      }
      this.last = { x: centre.x, y: centre.y, t: now };
      this.lastSeen = centre;
    }
    while (this.trail.length > 0 && now - this.trail[0].t > this.trailMs) this.trail.shift();
    while (this.sparks.length > 0 && now - this.sparks[0].t > EFFECT_MS.spark) this.sparks.shift();
    if (this.streak && now - this.streak.t > EFFECT_MS.streak) this.streak = null;

    if (view.countdown !== this.countdown) {
      if (view.countdown !== null) {
        this.countdownAt = now;
        if (loud) play('tick', { step: view.countdown });
        if (this.countdown === null && view.serve) counters.serveCues += 1;
      } else if (this.countdown === 1 && loud) play('go');
      this.countdown = view.countdown;
    }

    const ending = view.ending ?? null;
    // The first frame only learns the key: a game already over when the canvas appears plays nothing.
    if (this.endingKey !== undefined && ending && ending.key !== this.endingKey) {
      if (ending.outcome === 'won') play('win');
      else if (ending.outcome === 'lost') play('lose');
    }
    this.endingKey = ending?.key ?? null;
  }

  /** The screen shake's offset now, in field units (zero with reduced motion). */
  shake(now: number): { x: number; y: number } {
    const t = now - this.shakeAt;
    if (this.reducedMotion || t < 0 || t > EFFECT_MS.shake) return { x: 0, y: 0 };
    const amplitude = SHAKE_UNITS * (1 - t / EFFECT_MS.shake) ** 2;
    return { x: amplitude * Math.sin(t * 0.11), y: amplitude * Math.cos(t * 0.083 + 1) };
  }

  private detectBounces(view: FieldView, velocity: Velocity, centre: { x: number; y: number }, now: number, loud: boolean): void {
    const counters = effectCounters();
    const before = this.velocity;
    const { layout } = view;
    const pan = (centre.x / layout.width) * 2 - 1;
    if (sign(before.x) !== 0 && sign(velocity.x) !== 0 && sign(before.x) !== sign(velocity.x)) {
      // Moving left now: the right side's paddle hit it.
      const side: Side = velocity.x < 0 ? 'right' : 'left';
      const index = this.nearestPaddle(view, side, centre);
      if (index >= 0) this.paddleHitAt[index] = now;
      const length = Math.hypot(velocity.x, velocity.y) || 1;
      this.streak = { x: centre.x, y: centre.y, dx: velocity.x / length, dy: velocity.y / length, t: now, side };
      counters.hits += 1;
      if (!this.reducedMotion) counters.flashes += 1;
      if (loud) play('hit', { pan, intensity: this.speedNorm });
    } else if (sign(before.y) !== 0 && sign(velocity.y) !== 0 && sign(before.y) !== sign(velocity.y)) {
      const top = centre.y < layout.height / 2;
      this.sparks.push({ x: centre.x, y: top ? 0 : layout.height, t: now });
      counters.walls += 1;
      if (!this.reducedMotion) counters.flashes += 1;
      if (loud) play('wall', { pan });
    }
  }

  private nearestPaddle(view: FieldView, side: Side, centre: { x: number; y: number }): number {
    const { paddleWidth, paddleHeight } = view.layout;
    let best = -1;
    let distance = Infinity;
    view.paddles.forEach((paddle, index) => {
      if (paddle.side !== side) return;
      const dx = Math.abs(paddle.x + paddleWidth / 2 - centre.x);
      const dy = Math.max(0, paddle.y - centre.y, centre.y - (paddle.y + paddleHeight));
      if (dx + dy < distance) {
        distance = dx + dy;
        best = index;
      }
    });
    return best;
  }

  private detectGoal(view: FieldView, now: number, loud: boolean): void {
    const tally = view.tally ?? (view.scores ? { left: view.scores.left, right: view.scores.right } : null);
    let scorer: Side | null = null;
    if (tally) {
      const previous = this.tally;
      this.tally = { ...tally };
      if (previous && tally.left + tally.right === previous.left + previous.right + 1) scorer = tally.left > previous.left ? 'left' : 'right';
    } else {
      // No score from the source (a replay): a ball last seen at a goal line that vanishes, or comes back to the centre.
      const seen = this.lastSeen;
      const ball = view.ball;
      const gone = !ball || Math.abs(ball.x + view.layout.ballSize / 2 - view.layout.width / 2) < view.layout.ballSize * 2;
      if (seen && gone && (seen.x < view.layout.width * 0.08 || seen.x > view.layout.width * 0.92)) {
        scorer = seen.x < view.layout.width / 2 ? 'right' : 'left';
      }
      if (gone && seen) this.lastSeen = null;
    }
    if (!scorer) return;
    const into: Side = scorer === 'left' ? 'right' : 'left';
    const counters = effectCounters();
    this.goal = { side: into, t: now };
    this.pop = { side: scorer, t: now };
    counters.goals += 1;
    if (!this.reducedMotion) {
      this.shakeAt = now;
      counters.shakes += 1;
      counters.flashes += 1;
    }
    if (loud) play('goal', { pan: into === 'left' ? -0.7 : 0.7 });
  }
}

/** The CSS media query, followed live: a person may change it while playing. */
export function watchReducedMotion(onChange: (reduced: boolean) => void): () => void {
  const query = window.matchMedia?.('(prefers-reduced-motion: reduce)');
  if (!query) return () => {};
  onChange(query.matches);
  const listener = () => onChange(query.matches);
  query.addEventListener?.('change', listener);
  return () => query.removeEventListener?.('change', listener);
}

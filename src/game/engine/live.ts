import type { PaddleCommand } from './commands.js';
import { POSITION_TOLERANCE } from './commands.js';
import type { Layout } from './layout.js';
import type { Direction, GameState, PaddleSlot, Phase, Score, Team } from './state.js';

/**
 * The server's copy of a match, stepped in place (issue 20: the tick path
 * allocates nothing). Same shape as `GameState`, so every pure function of
 * the engine accepts it; the fields are writable and only the room that owns
 * it writes them.
 *
 * `tickInPlace` and `applyCommandInPlace` do exactly the arithmetic of
 * `tick` (tick.ts, physics.ts, walls.ts, paddle-motion.ts,
 * paddle-collision.ts) and `applyCommand` (commands.ts), expression for
 * expression, so the numbers are the same to the last bit: a replay, which
 * runs the pure functions, finds the goals the room found
 * (test/engine/live.test.ts compares them on random games).
 */
export interface LiveBall {
  x: number;
  y: number;
  speedX: number;
  speedY: number;
  speed: number;
}

export interface LivePaddle {
  readonly team: Team;
  readonly index: number;
  x: number;
  y: number;
  direction: Direction;
  gliding: boolean;
}

export interface LiveGameState {
  readonly layout: Layout;
  phase: Phase;
  readonly ball: LiveBall;
  readonly paddles: LivePaddle[];
  score: Score;
  lastToucher: PaddleSlot | null;
  publishCounter: number;
  nextStepSeconds: number;
  winner: Team | null;
  /** One slot object per paddle, the values `lastToucher` points at (no object per contact). */
  readonly slots: readonly PaddleSlot[];
}

/** What one tick did; one object per room, written by every tick. */
export interface LiveTickOutcome {
  /** Send `game_state` after this tick. */
  publish: boolean;
  /** A goal ended the point (the ball is past a goal line): then the fields below say whose. */
  goal: boolean;
  team: Team;
  scorer: PaddleSlot | null;
  ownGoal: boolean;
  /** A paddle touched the ball during this tick. */
  touched: boolean;
}

export function newTickOutcome(): LiveTickOutcome {
  return { publish: false, goal: false, team: 'a', scorer: null, ownGoal: false, touched: false };
}

/** A writable copy of any state (a fresh serve, a resumed point, a rebuilt room): the room steps the copy. */
export function toLive(state: GameState): LiveGameState {
  const slots = state.paddles.map(({ team, index }) => ({ team, index }));
  const last = state.lastToucher;
  return {
    layout: state.layout,
    phase: state.phase,
    ball: { x: state.ball.x, y: state.ball.y, speedX: state.ball.speedX, speedY: state.ball.speedY, speed: state.ball.speed },
    paddles: state.paddles.map((p) => ({ team: p.team, index: p.index, x: p.x, y: p.y, direction: p.direction, gliding: p.gliding })),
    score: { a: state.score.a, b: state.score.b },
    lastToucher: last ? slots.find((s) => s.team === last.team && s.index === last.index) ?? { team: last.team, index: last.index } : null,
    publishCounter: state.publishCounter,
    nextStepSeconds: state.nextStepSeconds,
    winner: state.winner,
    slots,
  };
}

function paddleAt(state: LiveGameState, slot: PaddleSlot): LivePaddle {
  const paddles = state.paddles;
  for (let i = 0; i < paddles.length; i++) {
    const p = paddles[i];
    if (p.team === slot.team && p.index === slot.index) return p;
  }
  throw new RangeError(`No paddle ${slot.team}${slot.index} in a ${state.layout.name} game`);
}

/** `applyCommand`, in place. */
export function applyCommandInPlace(state: LiveGameState, slot: PaddleSlot, command: PaddleCommand): void {
  const paddle = paddleAt(state, slot);
  switch (command.type) {
    case 'move_up':
      paddle.direction = -1;
      return;
    case 'move_down':
      paddle.direction = 1;
      return;
    case 'stop_moving': {
      const reported = command.position;
      const adopt =
        paddle.direction !== 0 &&
        reported !== undefined &&
        Number.isFinite(reported) &&
        Math.abs(reported - paddle.y) < POSITION_TOLERANCE;
      if (adopt) paddle.y = clampY(state.layout, reported, paddle.gliding);
      paddle.direction = 0;
    }
  }
}

/** `clampPaddleY`, without the range object. */
function clampY(layout: Layout, y: number, gliding: boolean): number {
  const margin = gliding ? layout.ballSize : 0;
  const min = margin;
  const max = layout.height - layout.paddleHeight - margin;
  return Math.min(Math.max(y, min), max);
}

/**
 * One server tick, in place: `tick(state)` of tick.ts. On a goal the score
 * becomes a new object (goals are rare; a replay or a snapshot may hold the
 * old one).
 */
export function tickInPlace(state: LiveGameState, out: LiveTickOutcome): void {
  out.publish = false;
  out.goal = false;
  out.scorer = null;
  out.ownGoal = false;
  out.touched = false;
  if (state.phase !== 'live') return;
  const layout = state.layout;
  const dt = state.nextStepSeconds;
  const ball = state.ball;
  const size = layout.ballSize;

  // stepPhysics: the ball, then every paddle, then the walls, then the paddles in order.
  ball.x = ball.x + ball.speedX * dt;
  ball.y = ball.y + ball.speedY * dt;
  const paddles = state.paddles;
  for (let i = 0; i < paddles.length; i++) {
    const paddle = paddles[i];
    const moved = paddle.y + paddle.direction * layout.paddleSpeed * dt;
    paddle.y = clampY(layout, moved, paddle.gliding);
  }
  if (ball.y <= 0) {
    ball.y = 0 - ball.y;
    ball.speedY = Math.abs(ball.speedY);
  } else if (ball.y + size >= layout.height) {
    ball.y = layout.height - size;
    ball.speedY = 0 - Math.abs(ball.speedY);
  }
  let touched = false;
  for (let i = 0; i < paddles.length; i++) {
    if (collide(layout, ball, paddles[i])) {
      touched = true;
      state.lastToucher = state.slots[i];
    }
  }

  // tick: the publish cadence, then the goal check.
  const counter = touched ? -1 : state.publishCounter;
  out.publish = counter <= 10 || counter % 2 === 0;
  out.touched = touched;
  state.publishCounter = counter + 1;

  const scoring: Team | null = ball.x + size < 0 ? 'a' : ball.x > layout.width ? 'b' : null;
  if (!scoring) {
    state.nextStepSeconds = 1 / liveTickRate(layout, ball);
    return;
  }
  const last = state.lastToucher;
  const scorer: PaddleSlot = last ?? { team: scoring, index: 0 };
  const score: Score = scoring === 'a' ? { a: state.score.a + 1, b: state.score.b } : { a: state.score.a, b: state.score.b + 1 };
  const won = score[scoring] >= layout.winningScore;
  state.score = score;
  state.phase = won ? 'over' : 'scored';
  state.winner = won ? scoring : null;
  state.nextStepSeconds = 0;
  out.goal = true;
  out.team = scoring;
  out.scorer = scorer;
  out.ownGoal = last ? last.team !== scoring : false;
}

/** `tickRate` (timing.ts) for a ball. */
function liveTickRate(layout: Layout, ball: LiveBall): number {
  if (!layout.slowsDownInSafeZone) return layout.baseTickRate;
  const halfWidth = layout.width / 2;
  const halfHeight = layout.height / 2;
  const safe =
    Math.abs(ball.x - halfWidth) < halfWidth - (layout.ledgeOffset + 3 * layout.paddleWidth) &&
    Math.abs(ball.y - halfHeight) < halfHeight - 3 * layout.ballSize;
  return safe ? layout.safeTickRate : layout.baseTickRate;
}

/** `collideWithPaddle`, in place; true on a contact. */
function collide(layout: Layout, ball: LiveBall, paddle: LivePaddle): boolean {
  const size = layout.ballSize;
  const left = paddle.x;
  const right = paddle.x + layout.paddleWidth;
  const leftEdgeInside = ball.x > left && ball.x < right;
  const rightEdgeInside = ball.x + size > left && ball.x + size < right;
  const verticalOverlap = ball.y + size > paddle.y && ball.y < paddle.y + layout.paddleHeight;

  if (!((leftEdgeInside || rightEdgeInside) && verticalOverlap)) {
    paddle.gliding = ball.x < right && ball.x + size > left;
    return false;
  }
  if (paddle.gliding) {
    // sideContact
    const top = paddle.y;
    const bottom = paddle.y + layout.paddleHeight;
    const towardsPaddle = (ball.y > top && ball.speedY < 0) || (ball.y <= top && ball.speedY > 0);
    const speedY = towardsPaddle ? -ball.speedY : ball.speedY;
    ball.y = Math.abs(ball.y - bottom) < Math.abs(ball.y - top) ? bottom : top - layout.ballSize;
    ball.speedY = speedY;
    return true;
  }
  // faceContact
  const halfHeight = layout.paddleHeight / 2;
  const sign = -ball.speedX < 0 ? -1 : 1;
  const speed = Math.min(ball.speed + layout.speedIncrement, layout.maxSpeed);
  const impact = (paddle.y + halfHeight - (ball.y + layout.ballSize / 2)) / halfHeight;
  const angle = impact * layout.maxBounceAngle;
  ball.x = sign < 0 ? paddle.x - layout.ballSize : paddle.x + layout.paddleWidth;
  ball.speedX = sign * speed * Math.cos(angle);
  ball.speedY = 0 - speed * Math.sin(angle);
  ball.speed = speed;
  return true;
}

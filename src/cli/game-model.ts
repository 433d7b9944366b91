import {
  centredPaddleY, createGame, layoutFor, stepPhysics,
  type Direction, type GameConfig, type GameState, type Layout, type Paddle, type PaddleSlot, type Team,
} from '../game/engine/index.js';
import type { ClientEvent, ClientMessages, ServerFrame, ServerMessages } from '../game/protocol.js';

/**
 * The terminal client's model of a 1v1 game, kept in the player's own
 * frame: the server mirrors the field for team
 * b, so my paddle is always the right one (engine team `a`) and the
 * opponent's the left one (engine team `b`). Between two `game_state`
 * messages the shared engine moves the ball (walls and paddles included) and
 * the paddles; every `game_state` snaps the ball back to the server's.
 * No I/O and no clock: callers pass the time.
 */

/** The 3 → 1 countdown: three steps of 2/3 s over the 2 s pause. */
export const COUNTDOWN_STEP_MS = 2000 / 3;
/** Paddles glide back to the centre during a countdown. */
export const GLIDE_MS = 600;
/** Longest physics step, so that a slow frame cannot tunnel the ball through a paddle. */
const MAX_STEP_SECONDS = 1 / 120;

export type Send = <K extends ClientEvent>(event: K, data: ClientMessages[K]) => void;

export type Phase = 'waiting' | 'countdown' | 'live' | 'scored' | 'over';

export interface FieldView {
  layout: Layout;
  /** Top-left corner in canvas units, or null when the ball is out of the field. */
  ball: { x: number; y: number } | null;
  paddles: Array<{ x: number; y: number; mine: boolean }>;
  /** 3, 2, 1 during a countdown, else null. */
  countdown: number | null;
}

const ME: PaddleSlot = { team: 'a', index: 0 };
const OPPONENT: PaddleSlot = { team: 'b', index: 0 };
const sameSlot = (a: PaddleSlot, b: PaddleSlot) => a.team === b.team && a.index === b.index;

export class GameModel {
  phase: Phase = 'waiting';
  /** Scores from my point of view. */
  score = { me: 0, opponent: 0 };
  over: ServerMessages['game_over'] | null = null;
  /** How many `game_state` snapshots arrived (and so were snapped to). */
  snapshots = 0;
  private state: GameState;
  private countdownAt: number | null = null;
  private glideFrom: number[] | null = null;
  private last: number | null = null;
  private input: Direction = 0;

  constructor(
    readonly myId: number,
    readonly myTeam: Team,
    private readonly send: Send,
    private readonly config?: GameConfig,
  ) {
    this.state = createGame({ layout: layoutFor('normal', config), random: () => 0.5 });
  }

  get layout(): Layout {
    return this.state.layout;
  }

  /** My paddle's y (what `stop_moving` reports). */
  get myY(): number {
    return this.paddle(ME).y;
  }

  get direction(): Direction {
    return this.input;
  }

  /** The ball as the model currently believes it is (after the last `frame`). */
  get ball(): GameState['ball'] {
    return this.state.ball;
  }

  private paddle(slot: PaddleSlot): Paddle {
    return this.state.paddles.find((paddle) => sameSlot(paddle, slot))!;
  }

  private updatePaddle(slot: PaddleSlot, change: (paddle: Paddle) => Paddle): void {
    this.state = { ...this.state, paddles: this.state.paddles.map((paddle) => (sameSlot(paddle, slot) ? change(paddle) : paddle)) };
  }

  /** Local input: my paddle moves at once and the server is told (`stop_moving` before a reversal). */
  setInput(direction: Direction, now: number): void {
    if (direction === this.input || this.over) return;
    this.advance(now);
    const previous = this.input;
    this.input = direction;
    if (previous !== 0) this.send('stop_moving', { position: this.myY });
    if (direction !== 0) this.send(direction < 0 ? 'move_up' : 'move_down', null);
    this.updatePaddle(ME, (p) => ({ ...p, direction }));
  }

  handle(frame: ServerFrame, now: number): void {
    this.advance(now);
    switch (frame.event) {
      case 'canvas': {
        const { canvas_width: width } = frame.data;
        if (width !== this.state.layout.width) {
          const name = width === layoutFor('clash', this.config).width ? 'clash' : 'normal';
          this.state = createGame({ layout: layoutFor(name, this.config), random: () => 0.5 });
        }
        break;
      }
      case 'game_state': {
        const d = frame.data;
        this.snapshots += 1;
        this.state = { ...this.state, ball: { x: d.position_x, y: d.position_y, speedX: d.speed_x, speedY: d.speed_y, speed: d.speed } };
        break;
      }
      case 'start_countdown':
        this.phase = 'countdown';
        this.countdownAt = now;
        this.glideFrom = this.state.paddles.map((paddle) => paddle.y);
        this.state = { ...this.state, paddles: this.state.paddles.map((paddle) => ({ ...paddle, direction: 0, gliding: false })) };
        break;
      case 'start_game': {
        if (this.countdownAt !== null) {
          const y = centredPaddleY(this.state.layout);
          this.state = { ...this.state, paddles: this.state.paddles.map((paddle) => ({ ...paddle, y })) };
        }
        this.countdownAt = null;
        this.glideFrom = null;
        this.phase = 'live';
        this.last = now;
        // The serve reset my velocity on the server: a key still held moves the paddle again.
        const held = this.input;
        this.input = 0;
        if (held !== 0) this.setInput(held, now);
        break;
      }
      case 'move_up':
      case 'move_down':
        if (frame.data.player !== this.myId) this.updatePaddle(OPPONENT, (p) => ({ ...p, direction: frame.event === 'move_up' ? -1 : 1 }));
        break;
      case 'stop_moving':
        if (frame.data.player !== this.myId) this.updatePaddle(OPPONENT, (p) => ({ ...p, y: frame.data.position, direction: 0 }));
        else if (this.input === 0) this.updatePaddle(ME, (p) => ({ ...p, y: frame.data.position, direction: 0 }));
        break;
      case 'score':
        if (this.phase === 'live') this.phase = 'scored';
        this.state = { ...this.state, ball: { ...this.state.ball, speedX: 0, speedY: 0 } };
        this.setScore(frame.data);
        break;
      case 'game_over':
        this.phase = 'over';
        this.over = frame.data;
        this.input = 0;
        this.setScore(frame.data);
        break;
      default:
        break;
    }
  }

  private setScore(payload: { team_a: number; team_b: number }): void {
    const mine = this.myTeam === 'a' ? payload.team_a : payload.team_b;
    const theirs = this.myTeam === 'a' ? payload.team_b : payload.team_a;
    this.score = { me: mine, opponent: theirs };
  }

  /** The socket dropped: the server stopped my paddle, and a held key no longer counts. */
  disconnected(now: number): void {
    this.advance(now);
    this.input = 0;
    this.updatePaddle(ME, (p) => ({ ...p, direction: 0 }));
  }

  /** True when `game_over` names my team the winner. */
  get won(): boolean {
    return this.over?.winner === this.myTeam;
  }

  /** Runs the shared engine up to `now` while a point is live. */
  private advance(now: number): void {
    const dt = this.last === null ? 0 : Math.min(0.25, Math.max(0, (now - this.last) / 1000));
    this.last = now;
    if (this.phase !== 'live') return;
    for (let remaining = dt; remaining > 1e-9; remaining -= MAX_STEP_SECONDS) {
      this.state = stepPhysics(this.state, Math.min(MAX_STEP_SECONDS, remaining)).state;
    }
  }

  /** What to draw at `now`. */
  frame(now: number): FieldView {
    this.advance(now);
    let countdown: number | null = null;
    let paddles = this.state.paddles;
    if (this.phase === 'countdown' && this.countdownAt !== null) {
      const elapsed = now - this.countdownAt;
      const step = 3 - Math.floor(elapsed / COUNTDOWN_STEP_MS);
      countdown = Math.max(1, step);
      if (this.glideFrom) {
        const t = Math.min(1, elapsed / GLIDE_MS);
        const eased = 1 - (1 - t) ** 3;
        const centre = centredPaddleY(this.state.layout);
        const from = this.glideFrom;
        paddles = paddles.map((paddle, i) => ({ ...paddle, y: from[i] + (centre - from[i]) * eased }));
      }
    }
    const { ball, layout } = this.state;
    const inField = this.phase !== 'over' && ball.x > -layout.ballSize && ball.x < layout.width;
    return {
      layout,
      ball: inField ? { x: ball.x, y: ball.y } : null,
      paddles: paddles.map((paddle) => ({ x: paddle.x, y: paddle.y, mine: sameSlot(paddle, ME) })),
      countdown,
    };
  }
}

import {
  centredPaddleY, createGame, layoutFor, otherTeam, stepPhysics,
  type Ball, type Direction, type GameConfig, type GameState, type Layout, type LayoutName, type Paddle, type PaddleSlot, type Team,
} from '../game/engine/index.js';
import type { ClientEvent, ClientMessages, ServerFrame, ServerMessages } from '../game/protocol.js';

/**
 * A client's model of an online game (docs/game-protocol.md), for players and
 * spectators, 1v1 or 3v3. Everything is kept in the viewer's frame, as the
 * server sends it: view team `a` is the right side (the player's own team,
 * team a for a spectator), `b` the left side. Between two `game_state`
 * snapshots the shared engine moves the ball (walls and paddles included) and
 * the paddles; each snapshot snaps the ball back, with a short visual blend.
 *
 * No I/O and no timers: server frames and local input come in, `frame(now)`
 * says what to draw, `status` the rest, and `onChange` tells when the status
 * changed. Times are in ms on the `now` clock unless a caller passes them.
 */

/** From `start_countdown` to `start_game` on the server (docs/game-protocol.md: "`start_countdown`, 2 s, `start_game`"). */
export const COUNTDOWN_MS = 2000;
/** 3, 2, 1: a third of the countdown each. */
export const COUNTDOWN_STEP_MS = COUNTDOWN_MS / 3;
/** The paddles glide back to the centre within the "3", so the field stands still before the serve. */
export const GLIDE_MS = 600;
/** Longest physics step, so that a slow frame cannot tunnel the ball through a paddle. */
const MAX_STEP_SECONDS = 1 / 120;
/** Longest stretch predicted at once (a frame after the page slept). */
const MAX_ADVANCE_SECONDS = 0.25;
/** A snapshot's correction fades out this fast, unless it is a jump (a bounce predicted wrong): then it is shown at once. */
const BLEND_SECONDS = 0.08;
const BLEND_MAX_UNITS = 60;

/**
 * `waiting`: for every seat to be taken (before the first countdown, or while
 * a player is away); `scored`: between a goal and the next countdown.
 */
export type Phase = 'waiting' | 'countdown' | 'live' | 'scored' | 'over';

export type Perspective = { kind: 'player'; myId: number; myTeam: Team } | { kind: 'spectator' };

export type GameOver = ServerMessages['game_over'];

export type Send = <K extends ClientEvent>(event: K, data: ClientMessages[K]) => void;

/** By side of the screen. */
export interface Sides {
  left: number;
  right: number;
}

/** A seat left empty mid-game: the ball stands still until he is back or his time is up. */
export interface AbsentPlayer {
  userId: number;
  /** When his seat is forfeited, on the model's clock. */
  deadline: number;
}

/** Everything but the field; replaced (never mutated) on each change. */
export interface GameStatus {
  readonly phase: Phase;
  readonly score: Sides;
  readonly over: GameOver | null;
  readonly absent: readonly AbsentPlayer[];
  /** The score when the first of the absent players left (for "1–1 when bob left"). */
  readonly scoreWhenLeft: Sides | null;
  /** The user ids seated in the game, once known (`rackets`, or the match's teams). */
  readonly roster: readonly number[];
}

export interface PaddleView {
  x: number;
  y: number;
  side: 'left' | 'right';
  mine: boolean;
}

export interface FieldView {
  layout: Layout;
  /** Top-left corner in field units, or null when the ball is out of the field. */
  ball: { x: number; y: number } | null;
  paddles: PaddleView[];
  /** 3, 2, 1 during a countdown, else null. */
  countdown: number | null;
}

export interface GameModelOptions {
  perspective: Perspective;
  /** Where local input goes (the socket); a spectator sends nothing. */
  send?: Send;
  /** Until a `canvas` frame says otherwise; `normal` by default. */
  layout?: LayoutName;
  /** The server's game configuration (`/gameConfig.json`), when read. */
  config?: GameConfig;
  /** Server-frame teams (user ids in list order), when known (players learn them from `game-start`). */
  teams?: Record<Team, readonly number[]> | null;
  now?: () => number;
}

const sameSlot = (a: PaddleSlot, b: PaddleSlot) => a.team === b.team && a.index === b.index;

/**
 * The team that won: `winner`, or — when a player never joined and the
 * protocol names no winner — the side of the one who did not forfeit.
 */
export function winningTeam(over: GameOver, teamOf: (userId: number) => Team | null): Team | null {
  if (over.winner) return over.winner;
  const absent = over.forfeited_by != null ? teamOf(over.forfeited_by) : null;
  return absent ? otherTeam(absent) : null;
}

export class GameModel {
  private state: GameState;
  private current: GameStatus = { phase: 'waiting', score: { left: 0, right: 0 }, over: null, absent: [], scoreWhenLeft: null, roster: [] };
  private readonly listeners = new Set<() => void>();
  private readonly seats = new Map<number, PaddleSlot>();
  private readonly perspective: Perspective;
  private readonly rightTeam: Team;
  private readonly send: Send;
  private readonly config: GameConfig | undefined;
  private readonly now: () => number;
  private countdownAt: number | null = null;
  private glideFrom: number[] | null = null;
  private last: number | null = null;
  private blend = { x: 0, y: 0 };
  private input: Direction = 0;
  private snapshotCount = 0;

  constructor(options: GameModelOptions) {
    this.perspective = options.perspective;
    this.send = options.send ?? (() => {});
    this.config = options.config;
    this.now = options.now ?? (() => performance.now());
    this.state = this.newGame(options.layout ?? 'normal');
    this.rightTeam = this.perspective.kind === 'player' ? this.perspective.myTeam : 'a';
    if (options.teams) {
      for (const team of ['a', 'b'] as const) {
        options.teams[team].forEach((userId, index) => this.seats.set(userId, { team: team === this.rightTeam ? 'a' : 'b', index }));
      }
      this.current = { ...this.current, roster: this.userIds() };
    }
  }

  /** Listens to `status` changes (the field is read with `frame`); returns the unsubscribe. */
  readonly onChange = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  get status(): GameStatus {
    return this.current;
  }

  get phase(): Phase {
    return this.current.phase;
  }

  get over(): GameOver | null {
    return this.current.over;
  }

  /** The score from a player's point of view (his side is the right one). */
  get score(): { me: number; opponent: number } {
    return { me: this.current.score.right, opponent: this.current.score.left };
  }

  /** True when my team won: `winner`, or, when nobody is named, the other side forfeited. */
  get won(): boolean {
    const { over } = this.current;
    if (!over || this.perspective.kind !== 'player') return false;
    return winningTeam(over, (id) => this.teamOfUser(id)) === this.perspective.myTeam;
  }

  get layout(): Layout {
    return this.state.layout;
  }

  /** How many `game_state` snapshots arrived (and so were snapped to). */
  get snapshots(): number {
    return this.snapshotCount;
  }

  /** The ball as the model believes it is, as of the last call that took a time. */
  get ball(): Ball {
    return this.state.ball;
  }

  /** My paddle's y (what `stop_moving` reports); the centre for a spectator. */
  get myY(): number {
    const slot = this.mySlot();
    return (slot && this.paddleAt(slot)?.y) ?? centredPaddleY(this.state.layout);
  }

  /** The local input last set. */
  get direction(): Direction {
    return this.input;
  }

  /** The server-frame team of a user (`rackets`, the match's teams, or in a 1v1 anyone but me). */
  teamOfUser(userId: number): Team | null {
    const slot = this.slotOf(userId);
    if (!slot) return null;
    return slot.team === 'a' ? this.rightTeam : otherTeam(this.rightTeam);
  }

  userIds(): number[] {
    return [...this.seats.keys()];
  }

  /** A server-frame team's user ids in list order. */
  playersOf(team: Team): number[] {
    return this.userIds()
      .filter((id) => this.teamOfUser(id) === team)
      .sort((l, r) => this.seats.get(l)!.index - this.seats.get(r)!.index);
  }

  /** Local input (keys or touch): my paddle moves at once and the server is told (`stop_moving` before a reversal). */
  setInput(direction: Direction, now = this.now()): void {
    const slot = this.mySlot();
    if (!slot || direction === this.input || this.current.over) return;
    this.advance(now);
    const previous = this.input;
    this.input = direction;
    if (previous !== 0) this.send('stop_moving', { position: this.myY });
    if (direction !== 0) this.send(direction < 0 ? 'move_up' : 'move_down', null);
    this.updatePaddle(slot, (p) => ({ ...p, direction }));
  }

  /** The socket dropped: the server stopped my paddle, and a held key no longer counts. */
  disconnected(now = this.now()): void {
    this.advance(now);
    this.input = 0;
    const slot = this.mySlot();
    if (slot) this.updatePaddle(slot, (p) => ({ ...p, direction: 0 }));
  }

  handle(frame: ServerFrame, now = this.now()): void {
    this.advance(now);
    switch (frame.event) {
      case 'canvas':
        if (frame.data.canvas_width !== this.state.layout.width) {
          this.state = this.newGame(frame.data.canvas_width === layoutFor('clash', this.config).width ? 'clash' : 'normal');
        }
        break;
      case 'rackets':
        this.seatRackets(frame.data);
        break;
      case 'game_state':
        this.snap(frame.data);
        break;
      case 'start_countdown':
        this.countdownAt = now;
        this.glideFrom = this.state.paddles.map((paddle) => paddle.y);
        this.state = { ...this.state, paddles: this.state.paddles.map((paddle) => ({ ...paddle, direction: 0, gliding: false })) };
        this.setStatus({ phase: 'countdown' });
        break;
      case 'start_game':
        this.serve(now);
        break;
      case 'move_up':
      case 'move_down': {
        const slot = this.slotOf(frame.data.player);
        const mine = this.mySlot();
        if (slot && !(mine && sameSlot(slot, mine))) this.updatePaddle(slot, (p) => ({ ...p, direction: frame.event === 'move_up' ? -1 : 1 }));
        break;
      }
      case 'stop_moving': {
        const slot = this.slotOf(frame.data.player);
        const mine = this.mySlot();
        // My own paddle follows my keys while one is held.
        if (!slot || (mine && sameSlot(slot, mine) && this.input !== 0)) break;
        this.updatePaddle(slot, (p) => ({ ...p, y: frame.data.position, direction: 0 }));
        break;
      }
      case 'score':
        this.state = { ...this.state, ball: { ...this.state.ball, speedX: 0, speedY: 0 } };
        this.setStatus({ phase: this.phase === 'live' ? 'scored' : this.phase, score: this.sides(frame.data) });
        break;
      case 'player_disconnected':
        this.pause(frame.data, now);
        break;
      case 'player_reconnected': {
        const absent = this.current.absent.filter((a) => a.userId !== frame.data.player);
        this.setStatus({ absent, scoreWhenLeft: absent.length === 0 ? null : this.current.scoreWhenLeft });
        break;
      }
      case 'game_over':
        this.input = 0;
        this.setStatus({ phase: 'over', over: frame.data, score: this.sides(frame.data) });
        break;
      default:
        break;
    }
  }

  /** What to draw at `now`. */
  frame(now: number): FieldView {
    this.advance(now);
    let countdown: number | null = null;
    let paddles: readonly Paddle[] = this.state.paddles;
    if (this.countdownAt !== null) {
      const elapsed = Math.max(0, now - this.countdownAt);
      // "1" stays up until `start_game` comes, however late.
      countdown = Math.max(1, 3 - Math.floor(elapsed / COUNTDOWN_STEP_MS));
      const from = this.glideFrom;
      if (from) {
        const eased = 1 - (1 - Math.min(1, elapsed / GLIDE_MS)) ** 3;
        const centre = centredPaddleY(this.state.layout);
        paddles = paddles.map((paddle, i) => ({ ...paddle, y: from[i] + (centre - from[i]) * eased }));
      }
    }
    const mine = this.mySlot();
    const { ball, layout } = this.state;
    const inField = ball.x > -layout.ballSize * 2 && ball.x < layout.width + layout.ballSize;
    return {
      layout,
      ball: inField ? { x: ball.x + this.blend.x, y: ball.y + this.blend.y } : null,
      paddles: paddles.map((paddle) => ({
        x: paddle.x,
        y: paddle.y,
        side: paddle.team === 'a' ? 'right' : 'left',
        mine: mine !== null && sameSlot(paddle, mine),
      })),
      countdown,
    };
  }

  private newGame(name: LayoutName): GameState {
    return createGame({ layout: layoutFor(name, this.config), random: () => 0.5 });
  }

  private setStatus(change: Partial<GameStatus>): void {
    this.current = { ...this.current, ...change };
    for (const listener of [...this.listeners]) listener();
  }

  private sides(payload: { team_a: number; team_b: number }): Sides {
    const right = this.rightTeam === 'a' ? payload.team_a : payload.team_b;
    const left = this.rightTeam === 'a' ? payload.team_b : payload.team_a;
    return { left, right };
  }

  /** A user's paddle; in a 1v1 a player needs no roster: anyone but him is the opponent. */
  private slotOf(userId: number): PaddleSlot | null {
    const seat = this.seats.get(userId);
    if (seat) return seat;
    if (this.perspective.kind !== 'player' || this.state.layout.paddlesPerTeam !== 1) return null;
    return { team: userId === this.perspective.myId ? 'a' : 'b', index: 0 };
  }

  private mySlot(): PaddleSlot | null {
    return this.perspective.kind === 'player' ? this.slotOf(this.perspective.myId) : null;
  }

  private paddleAt(slot: PaddleSlot): Paddle | undefined {
    return this.state.paddles.find((paddle) => sameSlot(paddle, slot));
  }

  private updatePaddle(slot: PaddleSlot, change: (paddle: Paddle) => Paddle): void {
    this.state = { ...this.state, paddles: this.state.paddles.map((paddle) => (sameSlot(paddle, slot) ? change(paddle) : paddle)) };
  }

  private centrePaddles(): void {
    const y = centredPaddleY(this.state.layout);
    this.state = { ...this.state, paddles: this.state.paddles.map((paddle) => ({ ...paddle, y })) };
  }

  /** `rackets` gives each seated user's paddle x, in this viewer's frame. */
  private seatRackets(rackets: ServerMessages['rackets']): void {
    const { width, paddleWidth, ledgeOffset, paddleOffset } = this.state.layout;
    for (const [id, x] of Object.entries(rackets)) {
      const right = x + paddleWidth / 2 > width / 2;
      const fromGoal = right ? width - paddleWidth - x : x;
      this.seats.set(Number(id), { team: right ? 'a' : 'b', index: Math.max(0, Math.round((fromGoal - ledgeOffset) / paddleOffset)) });
    }
    this.setStatus({ roster: this.userIds() });
  }

  private snap(d: ServerMessages['game_state']): void {
    this.snapshotCount += 1;
    const before = this.state.ball;
    const dx = before.x + this.blend.x - d.position_x;
    const dy = before.y + this.blend.y - d.position_y;
    this.blend = this.phase === 'live' && Math.hypot(dx, dy) < BLEND_MAX_UNITS ? { x: dx, y: dy } : { x: 0, y: 0 };
    this.state = { ...this.state, ball: { x: d.position_x, y: d.position_y, speedX: d.speed_x, speedY: d.speed_y, speed: d.speed } };
  }

  private serve(now: number): void {
    if (this.countdownAt !== null) this.centrePaddles();
    this.countdownAt = null;
    this.glideFrom = null;
    this.setStatus({ phase: 'live' });
    // The serve reset my paddle's velocity on the server: a key still held moves it again.
    const held = this.input;
    if (held !== 0) {
      this.input = 0;
      this.setInput(held, now);
    }
  }

  /** Everything stands exactly where the server stopped it; a countdown under way starts again after the pause. */
  private pause(away: ServerMessages['player_disconnected'], now: number): void {
    this.blend = { x: 0, y: 0 };
    if (this.countdownAt !== null) {
      this.centrePaddles();
      this.countdownAt = null;
      this.glideFrom = null;
    }
    const { absent, score, scoreWhenLeft } = this.current;
    this.setStatus({
      phase: this.phase === 'over' ? 'over' : 'waiting',
      absent: [...absent.filter((a) => a.userId !== away.player), { userId: away.player, deadline: now + away.seconds * 1000 }],
      scoreWhenLeft: scoreWhenLeft ?? score,
    });
  }

  /** Runs the shared engine up to `now` while a point is live; the clock never goes back. */
  private advance(now: number): void {
    const dt = this.last === null ? 0 : Math.min(MAX_ADVANCE_SECONDS, Math.max(0, (now - this.last) / 1000));
    this.last = this.last === null ? now : Math.max(this.last, now);
    if (dt === 0) return;
    if (this.phase === 'live') {
      for (let remaining = dt; remaining > 1e-9; remaining -= MAX_STEP_SECONDS) {
        this.state = stepPhysics(this.state, Math.min(MAX_STEP_SECONDS, remaining)).state;
      }
    }
    const decay = Math.exp(-dt / BLEND_SECONDS);
    this.blend = { x: this.blend.x * decay, y: this.blend.y * decay };
  }
}

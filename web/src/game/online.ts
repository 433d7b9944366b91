import {
  centredPaddleY, createGame, layoutFor, stepPhysics,
  type Direction, type GameState, type Layout, type Paddle, type PaddleSlot, type Team,
} from '@shared/engine/index.js';
import type { ClientEvent, ClientMessages, ServerFrame, ServerMessages } from '@shared/protocol.js';
import { createStore } from '../lib/store';
import type { FieldSource, FieldView } from './view';

/**
 * A client's model of an online game.
 * Everything is kept in the viewer's frame: view team `a` is the right side
 * (the player's own team, or team a for a spectator), `b` the left side.
 * Between server updates the shared engine predicts the ball and moves the
 * paddles; every `game_state` snaps the ball back, with a short visual blend.
 */
export const COUNTDOWN_STEP_MS = 500;
export const GLIDE_MS = 800;
const MAX_STEP_SECONDS = 1 / 120;
const BLEND_SECONDS = 0.08;
const BLEND_MAX_UNITS = 60;

export type Perspective = { kind: 'player'; myId: number; myTeam: Team } | { kind: 'spectator' };

/** A seat left empty mid-game: the ball stands still until he is back or his time is up. */
export interface AbsentPlayer {
  userId: number;
  /** `performance.now()` instant his seat is forfeited at. */
  deadline: number;
}

export interface GameStatus {
  /** Scores by side of the screen. */
  score: { left: number; right: number };
  over: ServerMessages['game_over'] | null;
  started: boolean;
  absent: AbsentPlayer[];
  /** The score by side of the screen when the first of the absent players left (for "1–1 when bob left"). */
  scoreWhenLeft: { left: number; right: number } | null;
}

type Send = <K extends ClientEvent>(event: K, data: ClientMessages[K]) => void;

const sameSlot = (a: PaddleSlot, b: PaddleSlot) => a.team === b.team && a.index === b.index;

/**
 * The team that won: `winner`, or — when a player never joined and the
 * protocol names no winner — the side of the one who did not forfeit.
 */
export function winningTeam(over: ServerMessages['game_over'], teamOf: (userId: number) => Team | null): Team | null {
  if (over.winner) return over.winner;
  const absent = over.forfeited_by != null ? teamOf(over.forfeited_by) : null;
  return absent ? (absent === 'a' ? 'b' : 'a') : null;
}

export class OnlineGame implements FieldSource {
  /** The user ids seated in the game, once known (`rackets`, or the match's teams). */
  readonly roster = createStore<number[]>([]);
  readonly status = createStore<GameStatus>({ score: { left: 0, right: 0 }, over: null, started: false, absent: [], scoreWhenLeft: null });
  private state: GameState;
  private readonly seats = new Map<number, PaddleSlot>();
  private readonly rightTeam: Team;
  private live = false;
  private countdownAt: number | null = null;
  private glideFrom: number[] | null = null;
  private last: number | null = null;
  private blend = { x: 0, y: 0 };
  private input: Direction = 0;

  constructor(
    layout: Layout,
    private readonly perspective: Perspective,
    /** Server-frame teams (user ids in list order), when known (players learn them from `game-start`). */
    teams: Record<Team, number[]> | null,
    private readonly send: Send,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.state = createGame({ layout, random: () => 0.5 });
    this.rightTeam = perspective.kind === 'player' ? perspective.myTeam : 'a';
    if (teams) {
      for (const team of ['a', 'b'] as const) {
        teams[team].forEach((userId, index) => this.seats.set(userId, { team: team === this.rightTeam ? 'a' : 'b', index }));
      }
    }
  }

  get layout(): Layout {
    return this.state.layout;
  }

  private mySlot(): PaddleSlot | null {
    return this.perspective.kind === 'player' ? (this.seats.get(this.perspective.myId) ?? null) : null;
  }

  private updatePaddle(slot: PaddleSlot, change: (paddle: Paddle) => Paddle): void {
    this.state = { ...this.state, paddles: this.state.paddles.map((paddle) => (sameSlot(paddle, slot) ? change(paddle) : paddle)) };
  }

  private paddleOf(slot: PaddleSlot): Paddle | undefined {
    return this.state.paddles.find((paddle) => sameSlot(paddle, slot));
  }

  /** Local input (keyboard or touch): moves my paddle at once and tells the server. */
  setInput(direction: Direction): void {
    const slot = this.mySlot();
    if (!slot || direction === this.input || this.status.get().over) return;
    const previous = this.input;
    this.input = direction;
    const paddle = this.paddleOf(slot);
    if (previous !== 0 && paddle) this.send('stop_moving', { position: paddle.y });
    if (direction !== 0) this.send(direction < 0 ? 'move_up' : 'move_down', null);
    this.updatePaddle(slot, (p) => ({ ...p, direction }));
  }

  private setScore(payload: ServerMessages['score']): void {
    const right = this.rightTeam === 'a' ? payload.team_a : payload.team_b;
    const left = this.rightTeam === 'a' ? payload.team_b : payload.team_a;
    this.status.set((status) => ({ ...status, score: { left, right } }));
  }

  handle(frame: ServerFrame): void {
    switch (frame.event) {
      case 'canvas': {
        if (frame.data.canvas_width !== this.state.layout.width) {
          const layout = layoutFor(frame.data.canvas_width === layoutFor('clash').width ? 'clash' : 'normal');
          this.state = createGame({ layout, random: () => 0.5 });
        }
        break;
      }
      case 'rackets': {
        const { width, paddleWidth, ledgeOffset, paddleOffset } = this.state.layout;
        for (const [id, x] of Object.entries(frame.data)) {
          const right = x + paddleWidth / 2 > width / 2;
          const fromGoal = right ? width - paddleWidth - x : x;
          this.seats.set(Number(id), { team: right ? 'a' : 'b', index: Math.max(0, Math.round((fromGoal - ledgeOffset) / paddleOffset)) });
        }
        this.roster.set(this.userIds());
        break;
      }
      case 'game_state': {
        const d = frame.data;
        const before = this.state.ball;
        const dx = before.x + this.blend.x - d.position_x;
        const dy = before.y + this.blend.y - d.position_y;
        this.blend = this.live && Math.hypot(dx, dy) < BLEND_MAX_UNITS ? { x: dx, y: dy } : { x: 0, y: 0 };
        this.state = { ...this.state, ball: { x: d.position_x, y: d.position_y, speedX: d.speed_x, speedY: d.speed_y, speed: d.speed } };
        break;
      }
      case 'start_countdown':
        this.live = false;
        this.countdownAt = this.now();
        this.glideFrom = this.state.paddles.map((paddle) => paddle.y);
        this.state = { ...this.state, paddles: this.state.paddles.map((paddle) => ({ ...paddle, direction: 0, gliding: false })) };
        this.status.set((status) => ({ ...status, started: true }));
        break;
      case 'start_game': {
        if (this.countdownAt !== null) {
          const y = centredPaddleY(this.state.layout);
          this.state = { ...this.state, paddles: this.state.paddles.map((paddle) => ({ ...paddle, y })) };
        }
        this.countdownAt = null;
        this.glideFrom = null;
        this.live = true;
        this.last = this.now();
        this.status.set((status) => ({ ...status, started: true }));
        // The server reset my paddle's velocity with the serve: a key still held moves it again.
        const held = this.input;
        if (held !== 0) {
          this.input = 0;
          this.setInput(held);
        }
        break;
      }
      case 'move_up':
      case 'move_down': {
        const slot = this.seats.get(frame.data.player);
        const mine = this.mySlot();
        if (slot && !(mine && sameSlot(slot, mine))) this.updatePaddle(slot, (p) => ({ ...p, direction: frame.event === 'move_up' ? -1 : 1 }));
        break;
      }
      case 'stop_moving': {
        const slot = this.seats.get(frame.data.player);
        const mine = this.mySlot();
        if (!slot) break;
        if (mine && sameSlot(slot, mine) && this.input !== 0) break;
        this.updatePaddle(slot, (p) => ({ ...p, y: frame.data.position, direction: 0 }));
        break;
      }
      case 'score':
        this.live = false;
        this.state = { ...this.state, ball: { ...this.state.ball, speedX: 0, speedY: 0 } };
        this.setScore(frame.data);
        break;
      case 'player_disconnected': {
        // Everything stands exactly where the server stopped it; a countdown under way starts again after the pause.
        this.live = false;
        this.blend = { x: 0, y: 0 };
        if (this.countdownAt !== null) {
          const y = centredPaddleY(this.state.layout);
          this.state = { ...this.state, paddles: this.state.paddles.map((paddle) => ({ ...paddle, y })) };
          this.countdownAt = null;
          this.glideFrom = null;
        }
        const deadline = this.now() + frame.data.seconds * 1000;
        this.status.set((status) => ({
          ...status,
          absent: [...status.absent.filter((a) => a.userId !== frame.data.player), { userId: frame.data.player, deadline }],
          scoreWhenLeft: status.scoreWhenLeft ?? status.score,
        }));
        break;
      }
      case 'player_reconnected':
        this.status.set((status) => {
          const absent = status.absent.filter((a) => a.userId !== frame.data.player);
          return { ...status, absent, scoreWhenLeft: absent.length === 0 ? null : status.scoreWhenLeft };
        });
        break;
      case 'game_over':
        this.live = false;
        this.setScore({ team_a: frame.data.team_a, team_b: frame.data.team_b });
        this.status.set((status) => ({ ...status, over: frame.data }));
        break;
      default:
        break;
    }
  }

  /** The server-frame team of each user id seen so far (`rackets`, or the match's teams). */
  teamOfUser(userId: number): Team | null {
    const slot = this.seats.get(userId);
    if (!slot) return null;
    return slot.team === 'a' ? this.rightTeam : this.rightTeam === 'a' ? 'b' : 'a';
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

  /** True when the winner of `game_over` is my side. */
  didIWin(over: ServerMessages['game_over']): boolean {
    if (this.perspective.kind !== 'player') return false;
    const winner = winningTeam(over, (id) => this.teamOfUser(id));
    return winner === this.perspective.myTeam;
  }

  frame(now: number): FieldView {
    const dt = this.last === null ? 0 : Math.min(0.25, Math.max(0, (now - this.last) / 1000));
    this.last = now;
    if (this.live) {
      for (let remaining = dt; remaining > 1e-9; remaining -= MAX_STEP_SECONDS) {
        this.state = stepPhysics(this.state, Math.min(MAX_STEP_SECONDS, remaining)).state;
      }
    }
    const decay = Math.exp(-dt / BLEND_SECONDS);
    this.blend = { x: this.blend.x * decay, y: this.blend.y * decay };

    let countdown: number | null = null;
    let paddles = this.state.paddles;
    if (this.countdownAt !== null) {
      const elapsed = now - this.countdownAt;
      const step = 3 - Math.floor(elapsed / COUNTDOWN_STEP_MS);
      countdown = step >= 1 ? step : null;
      if (this.glideFrom) {
        const t = Math.min(1, elapsed / GLIDE_MS);
        const eased = 1 - (1 - t) ** 3;
        const centre = centredPaddleY(this.state.layout);
        const from = this.glideFrom;
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
}

import {
  applyCommand, createGame, mirrorBall, mirrorPaddleX, serveNextPoint, startPoint, tick,
  type Direction, type GameState, type Layout, type PaddleSlot, type Team,
} from '@shared/engine/index.js';
import { BOT_LEVELS, steer, targetPaddleY } from '@shared/bot/brain.js';
import { createStore } from '../lib/store';
import type { FieldSource, FieldView } from './view';

/**
 * The offline game on one keyboard on the shared engine
 * with the local layout: "You" on the right (engine team a), the friend or
 * the bot on the left (team b). The bot is the online bots' brain, looking
 * at the field mirrored so that its paddle is on its right.
 */
export const LOCAL_COUNTDOWN_STEP_MS = 500;
const STEP_SECONDS = 1 / 60;
const BOT_SKILL = BOT_LEVELS.medium;

export type Opponent = 'friend' | 'bot';
export type LocalMode = 'demo' | Opponent;

export interface LocalStatus {
  mode: LocalMode;
  paused: boolean;
  /** The last finished game (shown on the dialog). */
  result: { you: number; opponent: number } | null;
}

const RIGHT: PaddleSlot = { team: 'a', index: 0 };
const LEFT: PaddleSlot = { team: 'b', index: 0 };

export class LocalMatch implements FieldSource {
  readonly status = createStore<LocalStatus>({ mode: 'demo', paused: false, result: null });
  private state: GameState;
  private countdownAt: number | null = null;
  private last: number | null = null;
  private carry = 0;
  private aim: Record<Team, number> = { a: 0, b: 0 };
  private approaching: Record<Team, boolean> = { a: false, b: false };
  private keys: Record<Team, Direction> = { a: 0, b: 0 };

  constructor(
    readonly layout: Layout,
    private readonly random: () => number = Math.random,
    /** Game seconds per real second (a demo/test aid, 1 normally). */
    private readonly speed = 1,
  ) {
    this.state = createGame({ layout, random });
  }

  /** Starts a game (or the background demo) from 0–0 with a countdown. */
  start(mode: LocalMode, now = performance.now()): void {
    this.state = createGame({ layout: this.layout, random: this.random });
    this.keys = { a: 0, b: 0 };
    this.countdownAt = now;
    this.status.set((status) => ({ ...status, mode, paused: false }));
  }

  togglePause(): void {
    if (this.status.get().mode === 'demo') return;
    this.status.set((status) => ({ ...status, paused: !status.paused }));
  }

  /** Keyboard input: `a` is the right paddle (arrows), `b` the left one (W/S, friend mode). */
  setKeys(team: Team, direction: Direction): void {
    this.keys[team] = direction;
  }

  private drive(slot: PaddleSlot, direction: Direction): void {
    const paddle = this.state.paddles.find((p) => p.team === slot.team && p.index === slot.index)!;
    if (paddle.direction === direction) return;
    const command = direction === 0 ? ({ type: 'stop_moving' } as const) : ({ type: direction < 0 ? 'move_up' : 'move_down' } as const);
    this.state = applyCommand(this.state, slot, command);
  }

  private botDirection(team: Team): Direction {
    const paddle = this.state.paddles.find((p) => p.team === team)!;
    // The brain plays on the right: team b looks at the mirrored field.
    const ball = team === 'a' ? this.state.ball : mirrorBall(this.layout, this.state.ball);
    const x = team === 'a' ? paddle.x : mirrorPaddleX(this.layout, paddle.x);
    const coming = ball.speedX > 0;
    if (coming && !this.approaching[team]) this.aim[team] = (this.random() * 2 - 1) * BOT_SKILL.aimError;
    this.approaching[team] = coming;
    return steer(paddle.y, targetPaddleY(this.layout, ball, x, this.aim[team]), BOT_SKILL.deadZone);
  }

  private stepOnce(): void {
    const { mode } = this.status.get();
    this.drive(RIGHT, mode === 'demo' ? this.botDirection('a') : this.keys.a);
    this.drive(LEFT, mode === 'friend' ? this.keys.b : this.botDirection('b'));
    const result = tick({ ...this.state, nextStepSeconds: STEP_SECONDS });
    this.state = result.state;
    if (this.state.phase === 'scored') {
      this.state = serveNextPoint(this.state, this.random);
      this.countdownAt = this.last;
    } else if (this.state.phase === 'over') {
      this.finish();
    }
  }

  private finish(): void {
    const { mode } = this.status.get();
    const score = this.state.score;
    if (mode === 'demo') {
      this.start('demo', this.last ?? performance.now());
      return;
    }
    this.status.set((status) => ({ ...status, result: { you: score.a, opponent: score.b } }));
    this.start('demo', this.last ?? performance.now());
  }

  frame(now: number): FieldView {
    const dt = this.last === null ? 0 : Math.min(0.1, (now - this.last) / 1000) * this.speed;
    this.last = now;
    const { paused, mode } = this.status.get();
    let countdown: number | null = null;
    if (!paused) {
      if (this.countdownAt !== null) {
        const elapsed = (now - this.countdownAt) * this.speed;
        const step = 3 - Math.floor(elapsed / LOCAL_COUNTDOWN_STEP_MS);
        if (step >= 1) countdown = step;
        else {
          this.countdownAt = null;
          if (this.state.phase === 'ready') this.state = startPoint(this.state);
        }
      } else if (this.state.phase === 'live') {
        this.carry += dt;
        while (this.carry >= STEP_SECONDS && this.state.phase === 'live') {
          this.carry -= STEP_SECONDS;
          this.stepOnce();
        }
      }
    } else if (this.countdownAt !== null) {
      this.countdownAt += dt * 1000 / this.speed;
    }
    const { ball, paddles, score } = this.state;
    return {
      layout: this.layout,
      ball: { x: ball.x, y: ball.y },
      paddles: paddles.map((p) => ({ x: p.x, y: p.y, side: p.team === 'a' ? 'right' : 'left', mine: false })),
      countdown,
      scores: { left: score.b, right: score.a, leftLabel: mode === 'demo' ? 'Bot' : mode === 'bot' ? 'Bot' : 'Opponent', rightLabel: mode === 'demo' ? 'Bot' : 'You' },
      overlay: paused ? 'Paused' : null,
    };
  }
}

import { mirrorBall, mirrorPaddleX, type Direction, type Layout, type Team } from '@shared/engine/index.js';
import { BOT_LEVELS, steer, targetPaddleY } from '@shared/bot/brain.js';
import { LocalGameLoop } from '@shared/local-loop.js';
import { createStore } from '../lib/store';
import type { FieldSource, FieldView } from './view';

/**
 * The offline game on one keyboard on the shared engine (its loop is
 * src/game/local-loop.ts, shared with the terminal client) with the local layout: "You" on the right (engine team a), the friend or
 * the bot on the left (team b). The bot is the online bots' brain, looking
 * at the field mirrored so that its paddle is on its right.
 */
const BOT_SKILL = BOT_LEVELS.medium;
/** The winning goal stays on the field this long (its flash, score pop and sound) before the result and the demo. */
export const FINAL_GOAL_MS = 900;

export type Opponent = 'friend' | 'bot';
export type LocalMode = 'demo' | Opponent;

export interface LocalStatus {
  mode: LocalMode;
  paused: boolean;
  /** The last finished game (shown on the dialog). */
  result: { you: number; opponent: number } | null;
}

export class LocalMatch implements FieldSource {
  readonly status = createStore<LocalStatus>({ mode: 'demo', paused: false, result: null });
  private readonly loop: LocalGameLoop;
  private aim: Record<Team, number> = { a: 0, b: 0 };
  private approaching: Record<Team, boolean> = { a: false, b: false };
  private keys: Record<Team, Direction> = { a: 0, b: 0 };
  /** The last game played (not a demo) that ended: its jingle plays once. */
  private ending: FieldView['ending'] = null;
  private games = 0;
  /** When the game on the field ended (its last goal still shown), or null. */
  private overSince: number | null = null;
  /** Who moves each paddle before a step: "you" (or the demo's bot) on the right, the friend or the bot on the left. */
  private readonly steerPaddle = (team: Team): Direction => {
    const { mode } = this.status.get();
    if (team === 'a') return mode === 'demo' ? this.botDirection('a') : this.keys.a;
    return mode === 'friend' ? this.keys.b : this.botDirection('b');
  };

  constructor(
    readonly layout: Layout,
    private readonly random: () => number = Math.random,
    /** Game seconds per real second (a demo/test aid, 1 normally). */
    speed = 1,
  ) {
    this.loop = new LocalGameLoop(layout, random, null, speed);
  }

  /** Starts a game (or the background demo) from 0–0 with a countdown. */
  start(mode: LocalMode, now = performance.now()): void {
    this.loop.restart(now);
    this.overSince = null;
    this.keys = { a: 0, b: 0 };
    this.status.set((status) => ({ ...status, mode, paused: false }));
  }

  togglePause(): void {
    if (this.status.get().mode === 'demo') return;
    this.loop.paused = !this.loop.paused;
    this.status.set((status) => ({ ...status, paused: this.loop.paused }));
  }

  /** Keyboard input: `a` is the right paddle (arrows), `b` the left one (W/S, friend mode). */
  setKeys(team: Team, direction: Direction): void {
    this.keys[team] = direction;
  }

  private botDirection(team: Team): Direction {
    const { state } = this.loop;
    const paddle = state.paddles.find((p) => p.team === team)!;
    // The brain plays on the right: team b looks at the mirrored field.
    const ball = team === 'a' ? state.ball : mirrorBall(this.layout, state.ball);
    const x = team === 'a' ? paddle.x : mirrorPaddleX(this.layout, paddle.x);
    const coming = ball.speedX > 0;
    if (coming && !this.approaching[team]) this.aim[team] = (this.random() * 2 - 1) * BOT_SKILL.aimError;
    this.approaching[team] = coming;
    return steer(paddle.y, targetPaddleY(this.layout, ball, x, this.aim[team]), BOT_SKILL.deadZone);
  }

  /** A game is over: the demo starts again; a real game leaves its result and its jingle. */
  private finish(now: number): void {
    const { mode } = this.status.get();
    const score = this.loop.state.score;
    if (mode !== 'demo') {
      this.status.set((status) => ({ ...status, result: { you: score.a, opponent: score.b } }));
      this.games += 1;
      this.ending = { key: String(this.games), outcome: score.a > score.b ? 'won' : 'lost' };
    }
    this.start('demo', now);
  }

  frame(now: number): FieldView {
    let countdown = this.loop.advance(now, this.steerPaddle);
    if (this.loop.state.phase === 'over') {
      this.overSince ??= now;
      if (now - this.overSince >= FINAL_GOAL_MS) {
        this.finish(now);
        countdown = this.loop.advance(now, this.steerPaddle);
      }
    }
    const { paused, mode } = this.status.get();
    const { ball, paddles, score } = this.loop.state;
    const live = this.loop.state.phase === 'live' && !paused && countdown === null;
    return {
      layout: this.layout,
      ball: { x: ball.x, y: ball.y },
      // "You" play the right paddle (the bottom one on a phone held upright).
      paddles: paddles.map((p) => ({ x: p.x, y: p.y, side: p.team === 'a' ? 'right' : 'left', mine: p.team === 'a' && mode !== 'demo' })),
      countdown,
      scores: { left: score.b, right: score.a, leftLabel: mode === 'demo' ? 'Bot' : mode === 'bot' ? 'Bot' : 'Opponent', rightLabel: mode === 'demo' ? 'Bot' : 'You' },
      overlay: paused ? 'Paused' : null,
      velocity: live ? { x: ball.speedX, y: ball.speedY } : { x: 0, y: 0 },
      serve: countdown !== null ? { x: ball.speedX, y: ball.speedY } : null,
      ending: this.ending,
      quiet: mode === 'demo',
    };
  }
}

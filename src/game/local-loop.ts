import {
  applyCommand, createGame, serveNextPoint, startPoint, tick,
  type Direction, type GameState, type Layout, type PaddleSlot, type Team,
} from './engine/index.js';

/**
 * The local game's clock-work, shared by the web and terminal clients: the
 * pure engine stepped at a fixed 60 Hz from the frames' timestamps, a
 * countdown (3, 2, 1) before every serve, a pause that holds everything.
 * Who steers each paddle (keys, a bot) is the caller's, asked before every step.
 */

/** Each step of the 3, 2, 1 before a serve. */
export const LOCAL_COUNTDOWN_STEP_MS = 500;
const STEP_SECONDS = 1 / 60;
/** Longest stretch simulated at once (a frame after the tab or the process slept). */
const MAX_ADVANCE_SECONDS = 0.1;

/** Engine team a plays on the right, team b on the left. */
const SLOTS: Record<Team, PaddleSlot> = { a: { team: 'a', index: 0 }, b: { team: 'b', index: 0 } };

export class LocalGameLoop {
  state: GameState;
  paused = false;
  private countdownAt: number | null;
  private last: number | null = null;
  private carry = 0;

  constructor(
    readonly layout: Layout,
    private readonly random: () => number,
    now: number | null,
    /** Game seconds per real second (a demo and test aid; 1 normally). */
    private readonly speed = 1,
  ) {
    this.state = createGame({ layout, random });
    this.countdownAt = now;
  }

  /** A new game from 0–0, its countdown starting at `now`. */
  restart(now: number): void {
    this.state = createGame({ layout: this.layout, random: this.random });
    this.countdownAt = now;
    this.paused = false;
    this.carry = 0;
  }

  /**
   * Runs the game up to `now` (ms); `steer(team)` says where that paddle goes
   * before each step. Answers the countdown's number on screen, or null.
   */
  advance(now: number, steer: (team: Team) => Direction): number | null {
    const realSeconds = this.last === null ? 0 : Math.min(MAX_ADVANCE_SECONDS, Math.max(0, (now - this.last) / 1000));
    this.last = now;
    if (this.paused) {
      // The countdown waits as long as the pause lasts.
      if (this.countdownAt !== null) this.countdownAt += realSeconds * 1000;
      return null;
    }
    if (this.countdownAt !== null) {
      const step = 3 - Math.floor(((now - this.countdownAt) * this.speed) / LOCAL_COUNTDOWN_STEP_MS);
      if (step >= 1) return step;
      this.countdownAt = null;
      if (this.state.phase === 'ready') this.state = startPoint(this.state);
      return null;
    }
    if (this.state.phase !== 'live') return null;
    this.carry += realSeconds * this.speed;
    while (this.carry >= STEP_SECONDS && this.state.phase === 'live') {
      this.carry -= STEP_SECONDS;
      this.drive('a', steer('a'));
      this.drive('b', steer('b'));
      this.state = tick({ ...this.state, nextStepSeconds: STEP_SECONDS }).state;
      if (this.state.phase === 'scored') {
        this.state = serveNextPoint(this.state, this.random);
        this.countdownAt = now;
      }
    }
    return null;
  }

  private drive(team: Team, direction: Direction): void {
    const paddle = this.state.paddles.find((p) => p.team === team)!;
    if (paddle.direction === direction) return;
    const command = direction === 0 ? ({ type: 'stop_moving' } as const) : ({ type: direction < 0 ? 'move_up' : 'move_down' } as const);
    this.state = applyCommand(this.state, SLOTS[team], command);
  }
}

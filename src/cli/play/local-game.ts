import type { FieldView } from '../../client/game-model.js';
import { layoutFor, type Direction, type GameConfig, type Layout, type Team } from '../../game/engine/index.js';
import { LocalGameLoop } from '../../game/local-loop.js';

/**
 * The local game: two players on one keyboard, on the shared engine with the
 * `local` layout, no server (src/game/local-loop.ts, as in the web client):
 * the right paddle (engine team a) is moved with ↑/↓, the left one (team b)
 * with W/S; a countdown (3, 2, 1) before every serve; first to the
 * configured score wins.
 */
export { LOCAL_COUNTDOWN_STEP_MS } from '../../game/local-loop.js';

export interface LocalScore {
  /** The left player (W/S). */
  left: number;
  /** The right player (↑/↓). */
  right: number;
}

export class LocalMatch {
  readonly layout: Layout;
  private readonly loop: LocalGameLoop;
  private keys: Record<Team, Direction> = { a: 0, b: 0 };
  private readonly steer = (team: Team): Direction => this.keys[team];

  constructor(now: number, config?: GameConfig, random: () => number = Math.random) {
    this.layout = layoutFor('local', config);
    this.loop = new LocalGameLoop(this.layout, random, now);
  }

  get paused(): boolean {
    return this.loop.paused;
  }

  get score(): LocalScore {
    return { left: this.loop.state.score.b, right: this.loop.state.score.a };
  }

  /** The side that won, once the game is over. */
  get winner(): 'left' | 'right' | null {
    const { phase, winner } = this.loop.state;
    if (phase !== 'over' || !winner) return null;
    return winner === 'a' ? 'right' : 'left';
  }

  get over(): boolean {
    return this.loop.state.phase === 'over';
  }

  /** A new game from 0–0. */
  restart(now: number): void {
    this.loop.restart(now);
    this.keys = { a: 0, b: 0 };
  }

  togglePause(): void {
    if (!this.over) this.loop.paused = !this.loop.paused;
  }

  /** `right`: the ↑/↓ player; `left`: the W/S player. */
  setKeys(side: 'left' | 'right', direction: Direction): void {
    this.keys[side === 'right' ? 'a' : 'b'] = direction;
  }

  /** Runs the game up to `now` (ms) and says what to draw. */
  frame(now: number): FieldView {
    const countdown = this.loop.advance(now, this.steer);
    const { ball, paddles } = this.loop.state;
    const inField = ball.x > -this.layout.ballSize * 2 && ball.x < this.layout.width + this.layout.ballSize;
    return {
      layout: this.layout,
      ball: this.over || !inField ? null : { x: ball.x, y: ball.y },
      paddles: paddles.map((p) => ({ x: p.x, y: p.y, side: p.team === 'a' ? 'right' : 'left', mine: p.team === 'a' })),
      countdown,
    };
  }
}

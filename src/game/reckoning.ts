import { initialPaddleX, layoutFor, type Layout } from './engine/index.js';
import type { ServerFrame, ServerMessages } from './protocol.js';

/**
 * Dead reckoning of the ball on the compact encoding (docs/game-protocol.md,
 * The compact encoding). The server leaves out a tick's `game_state` when the
 * receiver can work it out: the ball flies straight on at the speeds last
 * sent, and has not entered or left a paddle's column since. The receiving
 * client fills the gaps in with `game_state`s of its own, so that its caller
 * sees the ball as often as a JSON connection would.
 */

/**
 * The x values (the ball's left edge) where the ball starts or stops
 * overlapping some paddle's column, every seat of both teams, sorted. The set
 * is symmetric, so it is the same in a mirrored perspective.
 */
export function paddleColumnLines(layout: Layout): number[] {
  const lines: number[] = [];
  for (const team of ['a', 'b'] as const) {
    for (let index = 0; index < layout.paddlesPerTeam; index++) {
      const x = initialPaddleX(layout, team, index);
      lines.push(x - layout.ballSize, x + layout.paddleWidth);
    }
  }
  return lines.sort((p, q) => p - q);
}

/** Which stretch between the column lines the ball's left edge is in: it changes as the ball enters or leaves a column. */
export function columnZone(lines: readonly number[], x: number): number {
  let zone = 0;
  for (let i = 0; i < lines.length; i++) if (x > lines[i]) zone++;
  return zone;
}

/** A game_state is filled in this often while a point is in play: the rate a JSON connection gets near the paddles. */
export const FILL_IN_MS = 1000 / 30;

/** The reckoner's time source: the platform's `Clock` fits, and so does a browser's. */
export interface ReckonClock {
  now(): number;
  setInterval(fn: () => void, ms: number): { cancel(): void };
}

/**
 * The client half: fed every frame a compact connection decoded, it emits
 * them on, and while a point is in play (from `start_game` to `score`,
 * `start_countdown`, `player_disconnected` or `game_over`) a `game_state`
 * every `FILL_IN_MS` with the ball moved straight on from the last one the
 * server sent. It stops filling in where the server would have sent
 * something it cannot guess: the ball at a wall, or in another paddle column.
 */
export class BallReckoner {
  private lines: number[] = [];
  private maxY = 0;
  private last: ServerMessages['game_state'] | null = null;
  /** When the ball was where `last` says (its arrival, or the serve for a ball that stood still until then). */
  private lastAt = 0;
  private zone = 0;
  private live = false;
  private timer: { cancel(): void } | null = null;

  constructor(private readonly clock: ReckonClock, private readonly emit: (frame: ServerFrame) => void) {
    this.useLayout(layoutFor('normal'));
  }

  /** The field of the game (1v1 until a `canvas` frame says otherwise). */
  private useLayout(layout: Layout): void {
    this.lines = paddleColumnLines(layout);
    this.maxY = layout.height - layout.ballSize;
  }

  handle(frame: ServerFrame): void {
    switch (frame.event) {
      case 'canvas': {
        this.useLayout(layoutFor(frame.data.canvas_width === layoutFor('clash').width ? 'clash' : 'normal'));
        break;
      }
      case 'game_state':
        this.last = frame.data;
        this.lastAt = this.clock.now();
        this.zone = columnZone(this.lines, frame.data.position_x);
        break;
      case 'start_game':
        this.live = true;
        this.lastAt = this.clock.now();
        this.timer ??= this.clock.setInterval(() => this.fillIn(), FILL_IN_MS);
        break;
      case 'score':
      case 'start_countdown':
      case 'player_disconnected':
      case 'game_over':
        this.live = false;
        this.stop();
        break;
      default:
        break;
    }
    this.emit(frame);
  }

  /** No more frames (the socket closed). */
  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  private fillIn(): void {
    const last = this.last;
    if (!this.live || !last) return;
    const seconds = (this.clock.now() - this.lastAt) / 1000;
    if (seconds <= 0) return;
    const x = last.position_x + last.speed_x * seconds;
    const y = last.position_y + last.speed_y * seconds;
    if (y < 0 || y > this.maxY || columnZone(this.lines, x) !== this.zone) return;
    this.emit({ event: 'game_state', data: { position_x: x, position_y: y, speed_x: last.speed_x, speed_y: last.speed_y, speed: last.speed } });
  }
}

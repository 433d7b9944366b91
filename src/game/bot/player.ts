import type { Clock, TimerHandle } from '../../platform/clock.js';
import {
  centredPaddleY, clampPaddleY, initialPaddleX, layoutFor, type Ball, type Direction, type Layout, type RandomSource,
} from '../engine/index.js';
import type { ClientEvent, ClientMessages, ServerFrame } from '../protocol.js';
import { arrivalMs, steer, targetPaddleY, type BotSkill } from './brain.js';

/**
 * The bot's model of the game, fed with server frames, in its own
 * perspective (its team on the right). It keeps its paddle's y by dead
 * reckoning between the server's `stop_moving` corrections and answers each
 * `game_state` (seen `reactionMs` late) with the paddle commands of the game
 * protocol.
 */
export class BotPlayer {
  private layout: Layout = layoutFor('normal');
  private paddleX: number;
  private y: number;
  private direction: Direction = 0;
  private live = false;
  private since: number;
  private aimOffset = 0;
  private approaching = false;
  /** The stop planned for when the moving paddle reaches its target. */
  private arrival: TimerHandle | null = null;

  constructor(
    private readonly userId: number,
    private readonly skill: BotSkill,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly send: <K extends ClientEvent>(event: K, data: ClientMessages[K]) => void,
  ) {
    this.paddleX = initialPaddleX(this.layout, 'a', 0);
    this.y = centredPaddleY(this.layout);
    this.since = clock.now();
  }

  handle(frame: ServerFrame): void {
    switch (frame.event) {
      case 'canvas':
        this.layout = layoutFor(frame.data.canvas_width === layoutFor('clash').width ? 'clash' : 'normal');
        if (this.layout.name === 'normal') this.paddleX = initialPaddleX(this.layout, 'a', 0);
        break;
      case 'rackets': {
        const x = frame.data[String(this.userId)];
        if (typeof x === 'number') this.paddleX = x;
        break;
      }
      case 'stop_moving':
        if (frame.data.player === this.userId) this.setPosition(frame.data.position, 0);
        break;
      case 'start_countdown':
        this.setPosition(centredPaddleY(this.layout), 0);
        this.live = false;
        break;
      case 'start_game':
        this.setPosition(this.currentY(), this.direction);
        this.live = true;
        break;
      case 'score':
      case 'player_disconnected':
      case 'game_over':
        // A goal, or a player gone: nothing moves until the next countdown.
        this.setPosition(this.currentY(), this.direction);
        this.live = false;
        break;
      case 'game_state': {
        const ball: Ball = {
          x: frame.data.position_x, y: frame.data.position_y, speedX: frame.data.speed_x, speedY: frame.data.speed_y, speed: frame.data.speed,
        };
        if (this.skill.reactionMs > 0) this.clock.setTimeout(() => this.react(ball), this.skill.reactionMs);
        else this.react(ball);
        break;
      }
      default:
        break;
    }
  }

  /** The paddle's y now, by dead reckoning (paddles only move while a point is live). */
  currentY(): number {
    if (!this.live || this.direction === 0) return this.y;
    const moved = this.y + this.direction * this.layout.paddleSpeed * ((this.clock.now() - this.since) / 1000);
    return clampPaddleY(this.layout, moved, false);
  }

  private setPosition(y: number, direction: Direction): void {
    this.arrival?.cancel();
    this.arrival = null;
    this.y = y;
    this.direction = direction;
    this.since = this.clock.now();
  }

  private react(ball: Ball): void {
    const approaching = ball.speedX > 0;
    if (approaching && !this.approaching) this.aimOffset = (this.random() * 2 - 1) * this.skill.aimError;
    this.approaching = approaching;
    const y = this.currentY();
    const target = targetPaddleY(this.layout, ball, this.paddleX, this.aimOffset);
    const wanted = steer(y, target, this.skill.deadZone);
    if (wanted === 0) {
      if (this.direction !== 0) this.stop();
      return;
    }
    if (wanted !== this.direction) {
      this.setPosition(y, wanted);
      this.send(wanted < 0 ? 'move_up' : 'move_down', null);
    }
    // A paddle that shook around its target also drifted from the server's: each turn lands there a little
    // earlier or later, and the reckoned y is corrected only when the paddle stops.
    this.arrival?.cancel();
    this.arrival = this.clock.setTimeout(() => this.stop(), arrivalMs(y, target, this.layout.paddleSpeed));
  }

  private stop(): void {
    const y = this.currentY();
    this.setPosition(y, 0);
    this.send('stop_moving', { position: y });
  }
}

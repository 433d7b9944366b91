/**
 * The peer of our game room for `bench:peers` (issue 20): Pong as a Node.js
 * developer would write it on Colyseus. The physics is our engine's
 * (`src/game/engine`: the same field, paddles, ball, speeds, bounces and
 * goals), stepped at a fixed 60 Hz by the room's simulation interval; the
 * ball and the paddles live in a Colyseus schema state that the framework
 * sends to both clients as binary delta patches every `patchRate` ms
 * (Colyseus's default, 50 ms). A point is served after a 2 s countdown;
 * first to 3 wins, then a new match starts for the same pair in the same room.
 *
 * Clients send `move` with -1, 0 or 1 (up, stop, down); the server moves the
 * paddles.
 */
import { Room, type Client } from '@colyseus/core';
import { schema, t } from '@colyseus/schema';
import {
  applyCommand, createGame, layoutFor, scoringTeam, seededRandom, serveNextPoint, startPoint, stepPhysics,
  type GameState, type Layout, type RandomSource, type Team,
} from '../../../src/game/engine/index.js';

export const STEP_SECONDS = 1 / 60;
export const COUNTDOWN_MS = 2000;
export const WINNING_SCORE = 3;

/** Plain `number` fields (Colyseus picks the smallest encoding of each value), as the framework's examples do. */
export const BallState = schema({ x: t.number(), y: t.number(), vx: t.number(), vy: t.number() }, 'BallState');
export const PongState = schema({
  ball: BallState,
  /** Team a's paddle (the right one) and team b's (the left one): top y. */
  right: t.number(),
  left: t.number(),
  scoreA: t.number(),
  scoreB: t.number(),
  /** 'countdown' or 'playing'. */
  phase: t.string(),
  /** Matches finished in this room (a new one starts for the same pair). */
  matches: t.number(),
}, 'PongState');

type State = InstanceType<typeof PongState>;

export class PongRoom extends Room {
  maxClients = 2;
  private game!: GameState;
  private random!: RandomSource;
  private readonly layout: Layout = layoutFor('normal');
  private readonly teamOf = new Map<string, Team>();
  private countdownUntil = 0;

  onCreate(): void {
    this.random = seededRandom(Math.floor(Math.random() * 2 ** 32));
    this.game = createGame({ layout: this.layout, random: this.random });
    this.state = new PongState({ ball: new BallState({ x: 0, y: 0, vx: 0, vy: 0 }), right: 0, left: 0, scoreA: 0, scoreB: 0, phase: 'countdown', matches: 0 });
    this.sync();
    this.onMessage('move', (client: Client, direction: number) => {
      const team = this.teamOf.get(client.sessionId);
      if (!team) return;
      const type = direction < 0 ? 'move_up' : direction > 0 ? 'move_down' : 'stop_moving';
      this.game = applyCommand(this.game, { team, index: 0 }, { type });
    });
    this.setSimulationInterval(() => this.step(), STEP_SECONDS * 1000);
  }

  onJoin(client: Client): void {
    // The first to join (the bot that created the room) plays team a.
    this.teamOf.set(client.sessionId, this.teamOf.size === 0 ? 'a' : 'b');
    if (this.teamOf.size === 2) {
      void this.lock();
      this.countdown();
    }
  }

  onLeave(client: Client): void {
    this.teamOf.delete(client.sessionId);
  }

  private countdown(): void {
    (this.state as State).phase = 'countdown';
    this.countdownUntil = this.clock.currentTime + COUNTDOWN_MS;
  }

  /** One fixed step: the ball and paddles move, bounce, and a goal serves the next point (or starts a new match). */
  private step(): void {
    if (this.teamOf.size < 2) return;
    const state = this.state as State;
    if (state.phase === 'countdown') {
      if (this.clock.currentTime < this.countdownUntil) return;
      state.phase = 'playing';
      this.game = startPoint(this.game);
    }
    this.game = stepPhysics(this.game, STEP_SECONDS).state;
    const scoring = scoringTeam(this.layout, this.game.ball);
    if (scoring) {
      const score = { ...this.game.score, [scoring]: this.game.score[scoring] + 1 };
      const won = score[scoring] >= WINNING_SCORE;
      if (won) state.matches += 1;
      this.game = serveNextPoint({ ...this.game, phase: 'scored', score: won ? { a: 0, b: 0 } : score }, this.random);
      this.countdown();
    }
    this.sync();
  }

  private sync(): void {
    const state = this.state as State;
    const { ball, paddles, score } = this.game;
    state.ball.x = ball.x;
    state.ball.y = ball.y;
    state.ball.vx = ball.speedX;
    state.ball.vy = ball.speedY;
    state.right = paddles[0].y;
    state.left = paddles[1].y;
    state.scoreA = score.a;
    state.scoreB = score.b;
  }
}

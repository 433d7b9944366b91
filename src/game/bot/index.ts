import WebSocket from 'ws';
import { openGameSocket } from '../../client/game-socket.js';
import { systemClock, type Clock } from '../../platform/clock.js';
import type { WireEncoding } from '../compact.js';
import type { RandomSource } from '../engine/index.js';
import type { ServerMessages } from '../protocol.js';
import { BOT_LEVELS, type BotLevel, type BotSkill } from './brain.js';
import { BotPlayer } from './player.js';

export { BOT_LEVELS, steer, targetPaddleY } from './brain.js';
export type { BotLevel, BotSkill } from './brain.js';

export interface BotOptions {
  /** A named level or a custom skill; default `medium`. */
  skill?: BotLevel | BotSkill;
  /** The bot's user id; read from the access token when absent. */
  userId?: number;
  /** Spectate this match code instead of playing (the bot then only watches). */
  matchCode?: string;
  /** Timers of the bot's reactions; the server's clock in tests. */
  clock?: Clock;
  random?: RandomSource;
  /** Accept a self-signed certificate (local servers). */
  insecure?: boolean;
  /** The game socket's encoding: compact (default, the shared client's) or the JSON text frames (docs/game-protocol.md). */
  encoding?: WireEncoding;
}

export interface BotHandle {
  readonly userId: number;
  /** Resolves with the `game_over` payload, or null if the socket closed without one. */
  readonly gameOver: Promise<ServerMessages['game_over'] | null>;
  /** Resolves with the close code and reason once the socket is closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** How many frames of each event the bot received. */
  readonly received: Map<string, number>;
  close(): void;
}

/** The `user_id` claim of an access token (no verification: the server does that). */
export function userIdOfToken(token: string): number {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { user_id?: unknown };
  if (typeof payload.user_id !== 'number') throw new Error('access token without user_id');
  return payload.user_id;
}

/**
 * Starts a computer player for the user of `token`: it connects to
 * `/ws/game/` like any client (its match is the user's unfinished match)
 * and plays until `game_over`.
 */
export function startBot(baseUrl: string, token: string, options: BotOptions = {}): BotHandle {
  const userId = options.userId ?? userIdOfToken(token);
  const skill = typeof options.skill === 'object' ? options.skill : BOT_LEVELS[options.skill ?? 'medium'];
  const player = new BotPlayer(userId, skill, options.clock ?? systemClock, options.random ?? Math.random, (event, data) => {
    if (!options.matchCode) socket.send(event, data);
  });
  const received = new Map<string, number>();
  let resolveOver: (value: ServerMessages['game_over'] | null) => void = () => {};
  let resolveClosed: (value: { code: number; reason: string }) => void = () => {};
  const gameOver = new Promise<ServerMessages['game_over'] | null>((resolve) => { resolveOver = resolve; });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => { resolveClosed = resolve; });
  const socket = openGameSocket(
    {
      baseUrl,
      token,
      matchCode: options.matchCode,
      encoding: options.encoding,
      clock: options.clock,
      webSocket: (url) => new WebSocket(url, { rejectUnauthorized: !options.insecure }),
      // A bot waits for the server as long as it takes: nobody is there to be told it gave up.
      connectTimeoutMs: null,
    },
    {
      onOpen: () => {},
      onFrame(frame) {
        received.set(frame.event, (received.get(frame.event) ?? 0) + 1);
        if (frame.event === 'game_over') resolveOver(frame.data);
        player.handle(frame);
      },
      onClose({ code, reason }) {
        resolveOver(null);
        resolveClosed({ code, reason });
      },
    },
  );
  return { userId, gameOver, closed, received, close: () => socket.close() };
}

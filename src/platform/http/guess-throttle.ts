import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';
import { addressKey } from './client-address.js';
import { throttledFor, type ApiError } from './errors.js';
import { countersFor, type CounterStore } from '../counters.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A lookup by a guessable code (lobby, tournament): a 404 counts against the caller's and his address's guess budget. */
    codeGuess?: boolean;
  }
}

/** The refusal, as the other throttles word it (HTTP 429 body, game socket close reason). */
export const GUESS_THROTTLED = 'Request was throttled.';

const WINDOW_MS = 60_000;

/** One attempt at a code: counted as a failure unless `settle(false)` says it found something. */
export interface GuessAttempt {
  /** The budget of the user or of his address is spent: refuse without looking the code up. */
  readonly throttled: boolean;
  /** Milliseconds until the current window ends (the `Retry-After` of a refusal). */
  readonly retryAfterMs: number;
  /** Reports the outcome: a code that was found gives the attempt back. */
  settle(failed: boolean): void;
}

/**
 * Slows down the guessing of short codes (4-digit lobby, tournament and
 * match codes): per user and per address (IPv6: per /64), at most
 * `perMinute` failed lookups in a fixed one-minute window (the platform's
 * clock); past it, every lookup by code answers 429 until the window ends.
 * Only failures count: each attempt takes one from both budgets before the
 * lookup (so that parallel attempts cannot overtake the count) and a code
 * that was found gives it back. 10 failures a minute per user and per
 * address make a scan of 10,000 codes last about 17 hours from one address.
 * With Redis the counters are shared by every node; when Redis does not
 * answer the lookup is let through (like the other rate limits).
 */
export class GuessThrottle {
  private readonly store: CounterStore;

  constructor(private readonly options: { perMinute: number; clock: Clock; redis: Redis | null }) {
    this.store = countersFor(options);
  }

  async attempt(userId: number, address: string | undefined): Promise<GuessAttempt> {
    const now = this.options.clock.now();
    const window = Math.floor(now / WINDOW_MS);
    const retryAfterMs = (window + 1) * WINDOW_MS - now;
    const keys = [`guess:user:${userId}:${window}`, `guess:addr:${addressKey(address)}:${window}`];
    let taken: boolean;
    try {
      taken = await this.store.take(keys, this.options.perMinute, 2 * WINDOW_MS);
    } catch {
      return { throttled: false, retryAfterMs, settle: () => {} };
    }
    if (!taken) return { throttled: true, retryAfterMs, settle: () => {} };
    let settled = false;
    return {
      throttled: false,
      retryAfterMs,
      settle: (failed) => {
        if (settled) return;
        settled = true;
        if (!failed) this.store.giveBack(keys).catch(() => {});
      },
    };
  }
}

/** The 429 of a spent guess budget, with `Retry-After`. */
export function guessThrottled(attempt: GuessAttempt): ApiError {
  return throttledFor(attempt.retryAfterMs);
}

/**
 * Routes declared with `config: { codeGuess: true }` (joins by code) go
 * through the throttle after authentication: over the budget they answer
 * 429 without looking the code up, and only their 404 answers count.
 */
export function installGuessThrottle(app: FastifyInstance, throttle: GuessThrottle): void {
  const attempts = new WeakMap<FastifyRequest, GuessAttempt>();
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.config?.codeGuess !== true || !request.user) return;
    const attempt = await throttle.attempt(request.user.id, request.ip);
    if (attempt.throttled) throw guessThrottled(attempt);
    attempts.set(request, attempt);
  });
  // An attempt that never gets an answer (aborted) stays counted as a failure.
  app.addHook('onSend', async (request, reply) => {
    attempts.get(request)?.settle(reply.statusCode === 404);
  });
}

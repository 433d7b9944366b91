import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';
import { addressKey } from './client-address.js';
import { ApiError } from './errors.js';

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

interface CounterStore {
  /** Adds one to every key unless one of them is already at `max`; true when added. */
  take(keys: string[], max: number, ttlMs: number): Promise<boolean>;
  /** Takes one back from every key. */
  giveBack(keys: string[]): Promise<void>;
}

/** One process (no Redis): a bounded map of counters. */
class MemoryCounters implements CounterStore {
  private counts = new Map<string, { count: number; expiresAt: number }>();
  constructor(private readonly now: () => number, private readonly maxKeys = 100_000) {}

  private live(key: string): number {
    const entry = this.counts.get(key);
    if (!entry) return 0;
    if (entry.expiresAt <= this.now()) {
      this.counts.delete(key);
      return 0;
    }
    return entry.count;
  }

  async take(keys: string[], max: number, ttlMs: number): Promise<boolean> {
    if (keys.some((key) => this.live(key) >= max)) return false;
    for (const key of keys) {
      const entry = this.counts.get(key);
      if (entry) entry.count += 1;
      else this.counts.set(key, { count: 1, expiresAt: this.now() + ttlMs });
    }
    if (this.counts.size > this.maxKeys) this.prune();
    return true;
  }

  async giveBack(keys: string[]): Promise<void> {
    for (const key of keys) {
      const entry = this.counts.get(key);
      if (!entry) continue;
      entry.count -= 1;
      if (entry.count <= 0) this.counts.delete(key);
    }
  }

  /** Expired entries go; if that is not enough, the oldest (a flood of fresh keys cannot grow the map). */
  private prune(): void {
    const now = this.now();
    for (const [key, entry] of this.counts) if (entry.expiresAt <= now) this.counts.delete(key);
    for (const key of this.counts.keys()) {
      if (this.counts.size <= this.maxKeys) break;
      this.counts.delete(key);
    }
  }
}

const TAKE_SCRIPT = `
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[1]) then return 0 end
end
for i, key in ipairs(KEYS) do
  redis.call('INCR', key)
  redis.call('PEXPIRE', key, ARGV[2])
end
return 1`;

const GIVE_BACK_SCRIPT = `
for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 and redis.call('DECR', key) <= 0 then redis.call('DEL', key) end
end
return 1`;

/** Many nodes: the counters live in Redis (atomic scripts), shared by every node. */
class RedisCounters implements CounterStore {
  constructor(private readonly redis: Redis) {
    redis.defineCommand('pongGuessTake', { lua: TAKE_SCRIPT });
    redis.defineCommand('pongGuessGiveBack', { lua: GIVE_BACK_SCRIPT });
  }

  private get commands() {
    return this.redis as unknown as Record<string, (...args: unknown[]) => Promise<number>>;
  }

  async take(keys: string[], max: number, ttlMs: number): Promise<boolean> {
    return (await this.commands.pongGuessTake.call(this.redis, keys.length, ...keys, max, ttlMs)) === 1;
  }

  async giveBack(keys: string[]): Promise<void> {
    await this.commands.pongGuessGiveBack.call(this.redis, keys.length, ...keys);
  }
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
    this.store = options.redis ? new RedisCounters(options.redis) : new MemoryCounters(() => options.clock.now());
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
  return new ApiError(429, { detail: GUESS_THROTTLED }, { 'retry-after': String(Math.max(1, Math.ceil(attempt.retryAfterMs / 1000))) });
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

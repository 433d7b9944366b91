import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../../platform/clock.js';
import { addressKey } from '../../platform/http/client-address.js';
import { ApiError } from '../../platform/http/errors.js';

/** Failures older than this (since the last one) are forgotten. */
export const LOGIN_WINDOW_MS = 15 * 60_000;
/** The first delay of a slowed-down account; it doubles with every further failure. */
export const LOGIN_BASE_DELAY_MS = 30_000;
export const LOGIN_MAX_DELAY_MS = 15 * 60_000;
/** An address that logged into an account is remembered (as a keyed hash) this long. */
export const KNOWN_ADDRESS_MS = 30 * 24 * 3600_000;
/** An address with fewer failures than this (all accounts, in the window) is not blocked by an account's slow-down. */
export const FEW_FAILURES = 3;

export type LoginAttempt =
  | { throttled: true; retryAfterMs: number }
  | {
      throttled: false;
      /** The password was right: the attempt is given back and the address remembered for the account. */
      succeeded(): Promise<void>;
      /** The attempt was not a password check after all (a server error): given back. */
      cancel(): Promise<void>;
    };

interface Counts {
  n: number;
  last: number;
}

interface LoginStore {
  /** Atomically: decides (0 = admitted, else the wait in ms) and, when admitted, counts the attempt as a failure. */
  admit(account: string, address: string, known: string, args: AdmitArgs): Promise<number>;
  giveBack(account: string, address: string): Promise<void>;
  remember(known: string, ttlMs: number): Promise<void>;
}

interface AdmitArgs {
  now: number;
  threshold: number;
}

/** The rule, shared by both stores: the wait before this address may try this account again (0: now). */
function waitOf(account: Counts, own: Counts, known: boolean, { now, threshold }: AdmitArgs): number {
  const failures = now - account.last <= LOGIN_WINDOW_MS ? account.n : 0;
  if (failures < threshold) return 0;
  const delay = Math.min(LOGIN_BASE_DELAY_MS * 2 ** (failures - threshold), LOGIN_MAX_DELAY_MS);
  const wait = account.last + delay - now;
  if (wait <= 0 || known) return 0;
  const ownFailures = now - own.last <= LOGIN_WINDOW_MS ? own.n : 0;
  return ownFailures < FEW_FAILURES ? 0 : wait;
}

/** One process (no Redis): bounded maps. */
class MemoryLoginStore implements LoginStore {
  private counts = new Map<string, Counts>();
  private known = new Map<string, number>();
  constructor(private readonly now: () => number, private readonly maxKeys = 100_000) {}

  async admit(account: string, address: string, known: string, args: AdmitArgs): Promise<number> {
    const a = this.counts.get(account) ?? { n: 0, last: 0 };
    const own = this.counts.get(address) ?? { n: 0, last: 0 };
    const wait = waitOf(a, own, (this.known.get(known) ?? 0) > args.now, args);
    if (wait > 0) return wait;
    for (const [key, entry] of [[account, a], [address, own]] as const) {
      const n = args.now - entry.last <= LOGIN_WINDOW_MS ? entry.n : 0;
      this.counts.delete(key);
      this.counts.set(key, { n: n + 1, last: args.now });
    }
    this.prune(this.counts, (entry) => entry.last + LOGIN_WINDOW_MS);
    return 0;
  }

  async giveBack(account: string, address: string): Promise<void> {
    for (const key of [account, address]) {
      const entry = this.counts.get(key);
      if (entry) entry.n = Math.max(0, entry.n - 1);
    }
  }

  async remember(known: string, ttlMs: number): Promise<void> {
    this.known.delete(known);
    this.known.set(known, this.now() + ttlMs);
    this.prune(this.known, (until) => until);
  }

  /** Expired entries go; if that is not enough, the least recently written. */
  private prune<V>(map: Map<string, V>, expiresAt: (value: V) => number): void {
    if (map.size <= this.maxKeys) return;
    const now = this.now();
    for (const [key, value] of map) if (expiresAt(value) <= now) map.delete(key);
    for (const key of map.keys()) {
      if (map.size <= this.maxKeys) break;
      map.delete(key);
    }
  }
}

// The same rule as waitOf, in one atomic step on Redis.
const ADMIT_SCRIPT = `
local now, window, threshold = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local base, max, few = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local function count(key)
  local v = redis.call('HMGET', key, 'n', 'last')
  local n, last = tonumber(v[1] or '0'), tonumber(v[2] or '0')
  if now - last > window then n = 0 end
  return n, last
end
local n, last = count(KEYS[1])
local own = count(KEYS[2])
if n >= threshold then
  local wait = last + math.min(base * 2 ^ (n - threshold), max) - now
  if wait > 0 and own >= few and redis.call('EXISTS', KEYS[3]) == 0 then return math.ceil(wait) end
end
redis.call('HSET', KEYS[1], 'n', n + 1, 'last', now)
redis.call('PEXPIRE', KEYS[1], window)
redis.call('HSET', KEYS[2], 'n', own + 1, 'last', now)
redis.call('PEXPIRE', KEYS[2], window)
return 0`;

const GIVE_BACK_SCRIPT = `
for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 and redis.call('HINCRBY', key, 'n', -1) < 0 then redis.call('HSET', key, 'n', 0) end
end
return 1`;

class RedisLoginStore implements LoginStore {
  constructor(private readonly redis: Redis) {
    redis.defineCommand('pongLoginAdmit', { lua: ADMIT_SCRIPT, numberOfKeys: 3 });
    redis.defineCommand('pongLoginGiveBack', { lua: GIVE_BACK_SCRIPT, numberOfKeys: 2 });
  }

  private get commands() {
    return this.redis as unknown as Record<string, (...args: unknown[]) => Promise<number>>;
  }

  async admit(account: string, address: string, known: string, { now, threshold }: AdmitArgs): Promise<number> {
    return Number(await this.commands.pongLoginAdmit.call(
      this.redis, account, address, known, now, LOGIN_WINDOW_MS, threshold, LOGIN_BASE_DELAY_MS, LOGIN_MAX_DELAY_MS, FEW_FAILURES,
    ));
  }

  async giveBack(account: string, address: string): Promise<void> {
    await this.commands.pongLoginGiveBack.call(this.redis, account, address);
  }

  async remember(known: string, ttlMs: number): Promise<void> {
    await this.redis.set(known, '1', 'PX', ttlMs);
  }
}

/**
 * Password guessing against one account, from however many addresses
 * (the per-address login rate limit is the other half):
 *
 * - every attempt counts as a failure until the password proves right
 *   (so parallel attempts cannot overtake the count), on the account
 *   (usernames compared case-insensitively, like their uniqueness) and on
 *   the address (IPv6: its /64); a failure is forgotten 15 minutes after
 *   the last one;
 * - from `threshold` failures on (5 by default), the account is slowed
 *   down: after each failure, attempts on it wait 30 s, then 1, 2, 4, 8,
 *   at most 15 minutes: 429 "Request was throttled." with Retry-After,
 *   answered before the password is even hashed, the same for an unknown
 *   username (nothing tells whether the account exists);
 * - the owner is not locked out: the slow-down does not apply to an
 *   address that logged into the account in the last 30 days, nor to an
 *   address with fewer than 3 failures of its own (any account) in the
 *   window: someone at a new place who mistyped once or twice. An
 *   attacker's address soon has 3 failures; a botnet gets 2 tries per
 *   address per 15 minutes.
 *
 * Accounts and addresses are stored only as keyed hashes. With Redis the
 * counters are shared by every node; if Redis does not answer, attempts
 * are let through (like the other rate limits).
 */
export class LoginGuard {
  private readonly store: LoginStore;

  constructor(private readonly options: { threshold: number; clock: Clock; redis: Redis | null; secret: string }) {
    this.store = options.redis ? new RedisLoginStore(options.redis) : new MemoryLoginStore(() => options.clock.now());
  }

  private hash(...parts: string[]): string {
    return createHmac('sha256', this.options.secret).update(['login-guard', ...parts].join('\n')).digest('base64url').slice(0, 24);
  }

  async attempt(username: string, address: string | undefined): Promise<LoginAttempt> {
    const name = username.toLowerCase();
    const where = addressKey(address);
    const account = `login:account:${this.hash('account', name)}`;
    const own = `login:address:${this.hash('address', where)}`;
    const known = `login:known:${this.hash('known', name, where)}`;
    let wait: number;
    try {
      wait = await this.store.admit(account, own, known, { now: this.options.clock.now(), threshold: this.options.threshold });
    } catch {
      return { throttled: false, succeeded: async () => {}, cancel: async () => {} };
    }
    if (wait > 0) return { throttled: true, retryAfterMs: wait };
    const giveBack = () => this.store.giveBack(account, own).catch(() => {});
    return {
      throttled: false,
      succeeded: async () => {
        await giveBack();
        await this.store.remember(known, KNOWN_ADDRESS_MS).catch(() => {});
      },
      cancel: giveBack,
    };
  }
}

/** The 429 of a slowed-down account. */
export function loginThrottled(retryAfterMs: number): ApiError {
  return new ApiError(429, { detail: 'Request was throttled.' }, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) });
}

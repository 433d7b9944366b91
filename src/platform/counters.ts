import type { Redis } from 'ioredis';
import type { Clock } from './clock.js';

/**
 * Counters in fixed windows, for the throttles that count something other
 * than requests (failed code lookups, chat messages): in memory on one node,
 * in Redis (atomic scripts) when several nodes share them.
 */
export interface CounterStore {
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
    redis.defineCommand('pongCountersTake', { lua: TAKE_SCRIPT });
    redis.defineCommand('pongCountersGiveBack', { lua: GIVE_BACK_SCRIPT });
  }

  private get commands() {
    return this.redis as unknown as Record<string, (...args: unknown[]) => Promise<number>>;
  }

  async take(keys: string[], max: number, ttlMs: number): Promise<boolean> {
    return (await this.commands.pongCountersTake.call(this.redis, keys.length, ...keys, max, ttlMs)) === 1;
  }

  async giveBack(keys: string[]): Promise<void> {
    await this.commands.pongCountersGiveBack.call(this.redis, keys.length, ...keys);
  }
}

/** Redis when the platform has it (every node counts together), else this process's memory on the platform's clock. */
export function countersFor(options: { clock: Clock; redis: Redis | null }): CounterStore {
  return options.redis ? new RedisCounters(options.redis) : new MemoryCounters(() => options.clock.now());
}

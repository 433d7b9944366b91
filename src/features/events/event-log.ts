import type { Redis } from 'ioredis';
import { BusUnavailableError, type EventBus } from '../../platform/bus/index.js';

/** One delivery handed to the log: the frame (without its `id:` line) and its addressees. */
export interface LogDelivery {
  to: number[];
  frame: string;
  /** Streams of these users are closed after the frame (delete-user). */
  close: boolean;
}

/** What travels on the bus: a delivery with the id the log gave it. */
export interface BusDelivery extends LogDelivery {
  id: number;
}

export interface LoggedEvent {
  id: number;
  frame: string;
}

export interface EventLogOptions {
  /** Events kept per user (the most recent ones). */
  size: number;
  /** A user's log is forgotten this long after the last event appended to it. */
  ttlMs: number;
}

/**
 * The per-user event log behind SSE resume (`Last-Event-ID`). `publish`
 * gives the delivery the next id, appends it to the log of every addressee
 * and hands it to the bus, so that the bus order is the id order and an
 * event is in the log before any node can deliver it: a stream that
 * registers itself first and reads the log second misses nothing.
 */
export interface EventLog {
  publish(channel: string, delivery: LogDelivery): Promise<number>;
  /** The user's logged events with an id above `afterId`, oldest first. */
  since(userId: number, afterId: number): Promise<LoggedEvent[]>;
  close(): Promise<void>;
}

/**
 * One node: ids from a counter seeded with the start time (so they keep
 * growing across restarts), logs in memory.
 */
export class MemoryEventLog implements EventLog {
  private lastId: number;
  /** Insertion order = order of the last append, so expired logs sit at the front. */
  private logs = new Map<number, { events: LoggedEvent[]; touchedAt: number }>();

  constructor(
    private readonly bus: EventBus,
    private readonly options: EventLogOptions,
    private readonly now: () => number = Date.now,
    firstId = Date.now() * 1000,
  ) {
    this.lastId = firstId;
  }

  async publish(channel: string, delivery: LogDelivery): Promise<number> {
    const id = this.append(delivery);
    await this.bus.publish(channel, JSON.stringify({ id, ...delivery } satisfies BusDelivery));
    return id;
  }

  /** Synchronous part of publish: the id and the per-user logs. */
  append(delivery: LogDelivery): number {
    const id = ++this.lastId;
    const now = this.now();
    this.expire(now);
    for (const userId of delivery.to) {
      const log = this.logs.get(userId) ?? { events: [], touchedAt: now };
      this.logs.delete(userId);
      log.events.push({ id, frame: delivery.frame });
      if (log.events.length > this.options.size) log.events.splice(0, log.events.length - this.options.size);
      log.touchedAt = now;
      this.logs.set(userId, log);
    }
    return id;
  }

  async since(userId: number, afterId: number): Promise<LoggedEvent[]> {
    this.expire(this.now());
    const events = this.logs.get(userId)?.events ?? [];
    return events.filter((e) => e.id > afterId);
  }

  /** Users with a log (tests, metrics). */
  get userCount(): number {
    return this.logs.size;
  }

  private expire(now: number): void {
    for (const [userId, log] of this.logs) {
      if (now - log.touchedAt < this.options.ttlMs) break;
      this.logs.delete(userId);
    }
  }

  async close(): Promise<void> {
    this.logs.clear();
  }
}

/**
 * Many nodes: one Lua script takes the next id from a global counter,
 * appends `"<id> <frame>"` to each addressee's list (trimmed to `size`,
 * expiring `ttl` after the last append) and publishes the delivery, all in
 * one atomic step, so every node sees deliveries in id order.
 */
const PUBLISH_SCRIPT = `
local id = redis.call('INCR', KEYS[1])
local entry = id .. ' ' .. ARGV[1]
local size = tonumber(ARGV[2])
for i = 2, #KEYS do
  redis.call('RPUSH', KEYS[i], entry)
  redis.call('LTRIM', KEYS[i], -size, -1)
  redis.call('PEXPIRE', KEYS[i], ARGV[3])
end
redis.call('PUBLISH', ARGV[4], '{"id":' .. id .. ',' .. string.sub(ARGV[5], 2))
return id
`;

export const REDIS_EVENT_ID_KEY = 'sse:event-id';
export const redisLogKey = (userId: number) => `sse:log:${userId}`;

export class RedisEventLog implements EventLog {
  /** `redis` may carry a keyPrefix (applied to the keys by ioredis); `channelPrefix` is the bus's, for the PUBLISH. */
  constructor(private readonly redis: Redis, private readonly options: EventLogOptions, private readonly channelPrefix = '') {
    redis.defineCommand('pongPublishEvent', { lua: PUBLISH_SCRIPT });
  }

  async publish(channel: string, delivery: LogDelivery): Promise<number> {
    const keys = [REDIS_EVENT_ID_KEY, ...delivery.to.map(redisLogKey)];
    const body = JSON.stringify(delivery);
    const command = (this.redis as unknown as Record<string, (...args: unknown[]) => Promise<number>>).pongPublishEvent;
    try {
      if (this.redis.status !== 'ready') await whenReady(this.redis, 2000);
      return Number(await command.call(this.redis, keys.length, ...keys, delivery.frame, this.options.size, this.options.ttlMs, this.channelPrefix + channel, body));
    } catch (error) {
      throw new BusUnavailableError(error);
    }
  }

  async since(userId: number, afterId: number): Promise<LoggedEvent[]> {
    if (this.redis.status !== 'ready') await whenReady(this.redis, 2000);
    const entries = await this.redis.lrange(redisLogKey(userId), 0, -1);
    const events: LoggedEvent[] = [];
    for (const entry of entries) {
      const space = entry.indexOf(' ');
      const id = Number(entry.slice(0, space));
      if (id > afterId) events.push({ id, frame: entry.slice(space + 1) });
    }
    return events;
  }

  async close(): Promise<void> {
    // The connection belongs to the platform.
  }
}

/** Commands fail at once while the connection is not up (no offline queue): wait a little for it. */
function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done() {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    }
    redis.once('ready', done);
  });
}

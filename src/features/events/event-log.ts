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
 * gives the delivery the next id, hands it to the bus (the bus order is the
 * id order) and appends it to the log of every addressee. The append may
 * come after the live delivery (Redis): the hub keeps recent deliveries
 * and waits for the bus to catch up with the log before a replay.
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
 * Many nodes. Publishing is two steps so that delivery does not wait for
 * the logs:
 * 1. one small script takes the next id from the global counter and
 *    PUBLISHes the delivery with it, atomically, so every node sees
 *    deliveries in id order;
 * 2. then the event is logged. For a few addressees, `"<id> <frame>"` is
 *    appended to each one's list (trimmed to `size`, expiring `ttl` after
 *    the last append), in scripts of APPEND_BATCH keys. For a wide audience
 *    (more than WIDE_AUDIENCE: 10,000 lists are 30,000 commands, tens of
 *    milliseconds of Redis while the nodes are writing the event) it is
 *    stored once, with its addressees as one set, both expiring after
 *    `ttl`, and indexed by id; a resume reads the user's list plus the wide
 *    events after its id whose set holds the user (one script).
 * An event can thus be delivered live before it is in the log; the hub
 * covers that gap with its window of recent deliveries (stream-hub.ts).
 */
const PUBLISH_SCRIPT = `
local id = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[1], '{"id":' .. id .. ',' .. string.sub(ARGV[2], 2))
return id
`;

const APPEND_SCRIPT = `
local size = tonumber(ARGV[2])
for i = 1, #KEYS do
  redis.call('RPUSH', KEYS[i], ARGV[1])
  redis.call('LTRIM', KEYS[i], -size, -1)
  redis.call('PEXPIRE', KEYS[i], ARGV[3])
end
return #KEYS
`;

/** KEYS: index, entry, addressee set. ARGV: id, entry, ttl ms, index cap, addressees as a JSON array (one argument, not 10,000). */
const APPEND_WIDE_SCRIPT = `
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
local to = cjson.decode(ARGV[5])
for i = 1, #to, 5000 do
  redis.call('SADD', KEYS[3], unpack(to, i, math.min(i + 4999, #to)))
end
redis.call('PEXPIRE', KEYS[3], ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -tonumber(ARGV[4]) - 1)
return 1
`;

/**
 * KEYS: the user's list, the wide index. ARGV: after id, user id, size. Entry and set keys are the
 * index key's children. Newest first, and no further than the first expired entry (every entry
 * lives `ttl`, so the older ones are gone too) or `size` matches: a resume after a long absence
 * does not walk the whole index.
 */
const SINCE_SCRIPT = `
local out = redis.call('LRANGE', KEYS[1], 0, -1)
local ids = redis.call('ZREVRANGEBYSCORE', KEYS[2], '+inf', '(' .. ARGV[1])
local found = 0
for _, id in ipairs(ids) do
  local entry = redis.call('GET', KEYS[2] .. ':' .. id)
  if not entry then break end
  if redis.call('SISMEMBER', KEYS[2] .. ':' .. id .. ':to', ARGV[2]) == 1 then
    out[#out + 1] = entry
    found = found + 1
    if found >= tonumber(ARGV[3]) then break end
  end
end
return out
`;

/** Keys per append script: ~1,500 list commands, about a millisecond of Redis. */
export const APPEND_BATCH = 500;
/** Above this many addressees an event is logged once for all of them. */
export const WIDE_AUDIENCE = APPEND_BATCH;
/** Wide events indexed at most (older ones have usually expired long before). */
const WIDE_INDEX_CAP = 10_000;

export const REDIS_EVENT_ID_KEY = 'sse:event-id';
export const redisLogKey = (userId: number) => `sse:log:${userId}`;
export const REDIS_WIDE_INDEX_KEY = 'sse:wide';
const wideEntryKey = (id: number) => `${REDIS_WIDE_INDEX_KEY}:${id}`;
const wideAudienceKey = (id: number) => `${REDIS_WIDE_INDEX_KEY}:${id}:to`;

export class RedisEventLog implements EventLog {
  /** `redis` may carry a keyPrefix (applied to the keys by ioredis); `channelPrefix` is the bus's, for the PUBLISH. */
  constructor(private readonly redis: Redis, private readonly options: EventLogOptions, private readonly channelPrefix = '') {
    redis.defineCommand('pongPublishEvent', { lua: PUBLISH_SCRIPT, numberOfKeys: 1 });
    redis.defineCommand('pongAppendEvent', { lua: APPEND_SCRIPT });
    redis.defineCommand('pongAppendWideEvent', { lua: APPEND_WIDE_SCRIPT, numberOfKeys: 3 });
    redis.defineCommand('pongEventsSince', { lua: SINCE_SCRIPT, numberOfKeys: 2 });
  }

  async publish(channel: string, delivery: LogDelivery): Promise<number> {
    const commands = this.redis as unknown as Record<string, (...args: unknown[]) => Promise<number>>;
    let id: number;
    try {
      if (this.redis.status !== 'ready') await whenReady(this.redis, 2000);
      id = Number(await commands.pongPublishEvent.call(this.redis, REDIS_EVENT_ID_KEY, this.channelPrefix + channel, JSON.stringify(delivery)));
    } catch (error) {
      throw new BusUnavailableError(error);
    }
    // Published. The resume logs come after this node has handled its own copy of the delivery (already in its
    // subscriber socket: Redis writes it with this reply): building 10,000 keys first would delay its streams.
    await new Promise((resolve) => setImmediate(resolve));
    const entry = `${id} ${delivery.frame}`;
    const batches: Promise<number>[] = [];
    if (delivery.to.length > WIDE_AUDIENCE) {
      batches.push(commands.pongAppendWideEvent.call(
        this.redis, REDIS_WIDE_INDEX_KEY, wideEntryKey(id), wideAudienceKey(id), id, entry, this.options.ttlMs, WIDE_INDEX_CAP, JSON.stringify(delivery.to),
      ));
    } else {
      // All batches in flight at once (Redis runs them one after the other).
      for (let i = 0; i < delivery.to.length; i += APPEND_BATCH) {
        const keys = delivery.to.slice(i, i + APPEND_BATCH).map(redisLogKey);
        batches.push(commands.pongAppendEvent.call(this.redis, keys.length, ...keys, entry, this.options.size, this.options.ttlMs));
      }
    }
    try {
      await Promise.all(batches);
    } catch {
      // Published but not (fully) logged: not an error for the producer (a retry would deliver the event twice);
      // the nodes' windows of recent deliveries still cover a resume for a while.
    }
    return id;
  }

  async since(userId: number, afterId: number): Promise<LoggedEvent[]> {
    if (this.redis.status !== 'ready') await whenReady(this.redis, 2000);
    const commands = this.redis as unknown as Record<string, (...args: unknown[]) => Promise<string[]>>;
    const entries = await commands.pongEventsSince.call(this.redis, redisLogKey(userId), REDIS_WIDE_INDEX_KEY, afterId, userId, this.options.size);
    const events: LoggedEvent[] = [];
    for (const entry of entries) {
      const space = entry.indexOf(' ');
      const id = Number(entry.slice(0, space));
      if (id > afterId) events.push({ id, frame: entry.slice(space + 1) });
    }
    // Appends of concurrent publishers may land out of id order; wide events come after the user's list.
    events.sort((x, y) => x.id - y.id);
    return events.slice(-this.options.size);
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

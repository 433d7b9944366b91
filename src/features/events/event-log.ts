import type { Redis } from 'ioredis';
import { BusUnavailableError, type EventBus } from '../../platform/bus/index.js';
import { BoundedUserLog } from './bounded-log.js';

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
  /** Bytes kept per user (the most recent events; a resume gives back no more). Default DEFAULT_LOG_USER_BYTES. */
  userBytes?: number;
  /** Bytes kept for all users together (this process's memory, or the deployment's Redis), oldest dropped first. Default DEFAULT_LOG_TOTAL_BYTES. */
  totalBytes?: number;
}

/** The defaults of SSE_LOG_USER_BYTES and SSE_LOG_TOTAL_BYTES (README, configuration). */
export const DEFAULT_LOG_USER_BYTES = 256 * 1024;
export const DEFAULT_LOG_TOTAL_BYTES = 256 * 1024 * 1024;

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
 * Where a counter of event ids starts: the time in microseconds (one node's counter, or Redis's when Redis has
 * none, having lost its data). Ids then keep growing across restarts and data losses, as long as fewer than
 * 1,000 events a millisecond were published on average since the counter was last started: a client resuming
 * with an id from before the loss gets every event published since.
 */
export const firstEventId = (now: number = Date.now()) => now * 1000;

/**
 * One node: ids from a counter seeded with the start time (firstEventId: so
 * they keep growing across restarts), logs in memory, bounded per user and
 * in total (bounded-log.ts).
 */
export class MemoryEventLog implements EventLog {
  private lastId: number;
  private logs: BoundedUserLog;

  constructor(
    private readonly bus: EventBus,
    options: EventLogOptions,
    private readonly now: () => number = Date.now,
    firstId = firstEventId(),
  ) {
    this.lastId = firstId;
    this.logs = new BoundedUserLog({
      perUserCount: options.size,
      perUserBytes: options.userBytes ?? DEFAULT_LOG_USER_BYTES,
      totalBytes: options.totalBytes ?? DEFAULT_LOG_TOTAL_BYTES,
      idleTtlMs: options.ttlMs,
    });
  }

  async publish(channel: string, delivery: LogDelivery): Promise<number> {
    const id = this.append(delivery);
    await this.bus.publish(channel, JSON.stringify({ id, ...delivery } satisfies BusDelivery));
    return id;
  }

  /** Synchronous part of publish: the id and the per-user logs. */
  append(delivery: LogDelivery): number {
    const id = ++this.lastId;
    this.logs.append(id, delivery.frame, delivery.to, this.now());
    return id;
  }

  async since(userId: number, afterId: number): Promise<LoggedEvent[]> {
    return this.logs.since(userId, afterId, this.now()).map((e) => ({ id: e.id, frame: e.frame }));
  }

  /** Users with a log (tests, metrics). */
  get userCount(): number {
    return this.logs.userCount;
  }

  /** Bytes held by the logs (metrics). */
  get bytes(): number {
    return this.logs.bytes;
  }

  async close(): Promise<void> {
    this.logs.clear();
  }
}

/**
 * Many nodes. Publishing is two steps so that delivery does not wait for
 * the logs:
 * 1. one small script takes the next id from the global counter (started
 *    at firstEventId when Redis has none: it lost its data) and
 *    PUBLISHes the delivery with it, atomically, so every node sees
 *    deliveries in id order;
 * 2. then the event is logged. For a few addressees, `"<id> <frame>"` is
 *    appended to each one's list (trimmed to `size` entries and `userBytes`
 *    bytes, oldest first, expiring `ttl` after the last append), in scripts
 *    of APPEND_BATCH keys. For a wide audience (more than WIDE_AUDIENCE:
 *    10,000 lists are 30,000 commands, tens of milliseconds of Redis while
 *    the nodes are writing the event) it is stored once, with its addressees
 *    as one set, both expiring after `ttl`, and indexed by id; a resume reads
 *    the user's list plus the wide events after its id whose set holds the
 *    user (one script).
 * Every logged entry (a user's list entry, or a wide event once) is also
 * indexed by id with its size, and the sizes are summed: above `totalBytes`
 * the oldest entries are removed, so the logs of all users together stay
 * within that budget however many accounts post. Entries that expired stay
 * counted until they are the oldest (so the budget is never exceeded, only
 * sometimes under-used).
 * An event can thus be delivered live before it is in the log; the hub
 * covers that gap with its window of recent deliveries (stream-hub.ts).
 */
const PUBLISH_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[3]) end
local id = redis.call('INCR', KEYS[1])
-- Formatted as an integer: Lua's own number-to-text keeps 14 digits, and ids have 16.
redis.call('PUBLISH', ARGV[1], '{"id":' .. string.format('%d', id) .. ',' .. string.sub(ARGV[2], 2))
return id
`;

/**
 * Index members are "<kind> <id> <bytes> <key>": kind L (an entry at the front of list <key>)
 * or W (the wide event stored at <key>, its audience at <key>:to). Removes the oldest ones
 * until the counter is within the limit.
 */
const EVICT_FUNCTION = `
local function evict(index, counter, wideIndex, limit)
  local total = tonumber(redis.call('GET', counter) or '0')
  while total > limit do
    local popped = redis.call('ZPOPMIN', index)
    if #popped == 0 then
      redis.call('SET', counter, 0)
      return
    end
    local kind, id, len, key = string.match(popped[1], '^(%a) (%d+) (%d+) (.*)$')
    if kind == 'L' then
      local head = redis.call('LINDEX', key, 0)
      if head and string.match(head, '^(%d+) ') == id then
        redis.call('LPOP', key)
        if redis.call('LLEN', key) == 0 then
          redis.call('DEL', key, key .. ':bytes')
        else
          redis.call('DECRBY', key .. ':bytes', len)
        end
      end
    elseif kind == 'W' then
      redis.call('DEL', key, key .. ':to')
      redis.call('ZREM', wideIndex, id)
    end
    total = redis.call('DECRBY', counter, len)
  end
end
`;

/** KEYS: log index, byte counter, wide index, then the users' lists. ARGV: entry, size, ttl ms, user bytes, total bytes. */
const APPEND_SCRIPT = `${EVICT_FUNCTION}
local entry = ARGV[1]
local size = tonumber(ARGV[2])
local userBytes = tonumber(ARGV[4])
local len = #entry
if len > userBytes then return 0 end
local id = string.match(entry, '^(%d+) ')
for i = 4, #KEYS do
  local key = KEYS[i]
  local bytesKey = key .. ':bytes'
  local count = redis.call('RPUSH', key, entry)
  local bytes = len
  if count == 1 then
    redis.call('SET', bytesKey, len)
  else
    bytes = redis.call('INCRBY', bytesKey, len)
  end
  redis.call('ZADD', KEYS[1], id, 'L ' .. id .. ' ' .. len .. ' ' .. key)
  redis.call('INCRBY', KEYS[2], len)
  while count > size or bytes > userBytes do
    local old = redis.call('LPOP', key)
    if not old then break end
    if redis.call('ZREM', KEYS[1], 'L ' .. string.match(old, '^(%d+) ') .. ' ' .. #old .. ' ' .. key) == 1 then
      redis.call('DECRBY', KEYS[2], #old)
    end
    bytes = redis.call('DECRBY', bytesKey, #old)
    count = count - 1
  end
  redis.call('PEXPIRE', key, ARGV[3])
  redis.call('PEXPIRE', bytesKey, ARGV[3])
end
evict(KEYS[1], KEYS[2], KEYS[3], tonumber(ARGV[5]))
return #KEYS - 3
`;

/**
 * KEYS: wide index, entry, addressee set, log index, byte counter. ARGV: id, entry, ttl ms, index cap,
 * addressees as a JSON array (one argument, not 10,000), user bytes, total bytes.
 */
const APPEND_WIDE_SCRIPT = `${EVICT_FUNCTION}
if #ARGV[2] > tonumber(ARGV[6]) then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
local to = cjson.decode(ARGV[5])
for i = 1, #to, 5000 do
  redis.call('SADD', KEYS[3], unpack(to, i, math.min(i + 4999, #to)))
end
redis.call('PEXPIRE', KEYS[3], ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -tonumber(ARGV[4]) - 1)
local len = #ARGV[2] + #ARGV[5]
redis.call('ZADD', KEYS[4], ARGV[1], 'W ' .. ARGV[1] .. ' ' .. len .. ' ' .. KEYS[2])
redis.call('INCRBY', KEYS[5], len)
evict(KEYS[4], KEYS[5], KEYS[1], tonumber(ARGV[7]))
return 1
`;

/**
 * KEYS: the user's list, the wide index. ARGV: after id, user id, size, user bytes. Entry and set
 * keys are the index key's children. Newest first, and no further than the first expired entry
 * (every entry lives `ttl`, so the older ones are gone too), `size` matches or `user bytes`: a
 * resume after a long absence does not walk the whole index.
 */
const SINCE_SCRIPT = `
local out = redis.call('LRANGE', KEYS[1], 0, -1)
local ids = redis.call('ZREVRANGEBYSCORE', KEYS[2], '+inf', '(' .. ARGV[1])
local found = 0
local bytes = 0
for _, id in ipairs(ids) do
  local entry = redis.call('GET', KEYS[2] .. ':' .. id)
  if not entry then break end
  if redis.call('SISMEMBER', KEYS[2] .. ':' .. id .. ':to', ARGV[2]) == 1 then
    out[#out + 1] = entry
    found = found + 1
    bytes = bytes + #entry
    if found >= tonumber(ARGV[3]) or bytes >= tonumber(ARGV[4]) then break end
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
/** Every logged entry by id, with its size; and the sum of the sizes. */
export const REDIS_LOG_INDEX_KEY = 'sse:log-index';
export const REDIS_LOG_BYTES_KEY = 'sse:log-bytes';
const wideEntryKey = (id: number) => `${REDIS_WIDE_INDEX_KEY}:${id}`;
const wideAudienceKey = (id: number) => `${REDIS_WIDE_INDEX_KEY}:${id}:to`;

/** The events of a resume: the newest ones, at most `size` of them and `bytes` in all, oldest first. */
export function newestWithin<T extends { frame: string }>(events: T[], size: number, bytes: number): T[] {
  let used = 0;
  let first = events.length;
  while (first > 0 && events.length - first < size) {
    const cost = Buffer.byteLength(events[first - 1].frame);
    if (used + cost > bytes) break;
    used += cost;
    first -= 1;
  }
  return events.slice(first);
}

export class RedisEventLog implements EventLog {
  private readonly userBytes: number;
  private readonly totalBytes: number;

  /** `redis` may carry a keyPrefix (applied to the keys by ioredis); `channelPrefix` is the bus's, for the PUBLISH. */
  constructor(private readonly redis: Redis, private readonly options: EventLogOptions, private readonly channelPrefix = '') {
    this.userBytes = options.userBytes ?? DEFAULT_LOG_USER_BYTES;
    this.totalBytes = options.totalBytes ?? DEFAULT_LOG_TOTAL_BYTES;
    redis.defineCommand('pongPublishEvent', { lua: PUBLISH_SCRIPT, numberOfKeys: 1 });
    redis.defineCommand('pongAppendEvent', { lua: APPEND_SCRIPT });
    redis.defineCommand('pongAppendWideEvent', { lua: APPEND_WIDE_SCRIPT, numberOfKeys: 5 });
    redis.defineCommand('pongEventsSince', { lua: SINCE_SCRIPT, numberOfKeys: 2 });
  }

  async publish(channel: string, delivery: LogDelivery): Promise<number> {
    const commands = this.redis as unknown as Record<string, (...args: unknown[]) => Promise<number>>;
    let id: number;
    try {
      if (this.redis.status !== 'ready') await whenReady(this.redis, 2000);
      id = Number(await commands.pongPublishEvent.call(this.redis, REDIS_EVENT_ID_KEY, this.channelPrefix + channel, JSON.stringify(delivery), firstEventId()));
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
        this.redis, REDIS_WIDE_INDEX_KEY, wideEntryKey(id), wideAudienceKey(id), REDIS_LOG_INDEX_KEY, REDIS_LOG_BYTES_KEY,
        id, entry, this.options.ttlMs, WIDE_INDEX_CAP, JSON.stringify(delivery.to), this.userBytes, this.totalBytes,
      ));
    } else {
      // All batches in flight at once (Redis runs them one after the other).
      for (let i = 0; i < delivery.to.length; i += APPEND_BATCH) {
        const keys = delivery.to.slice(i, i + APPEND_BATCH).map(redisLogKey);
        batches.push(commands.pongAppendEvent.call(
          this.redis, keys.length + 3, REDIS_LOG_INDEX_KEY, REDIS_LOG_BYTES_KEY, REDIS_WIDE_INDEX_KEY, ...keys,
          entry, this.options.size, this.options.ttlMs, this.userBytes, this.totalBytes,
        ));
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
    const entries = await commands.pongEventsSince.call(this.redis, redisLogKey(userId), REDIS_WIDE_INDEX_KEY, afterId, userId, this.options.size, this.userBytes);
    const events: LoggedEvent[] = [];
    for (const entry of entries) {
      const space = entry.indexOf(' ');
      const id = Number(entry.slice(0, space));
      if (id > afterId) events.push({ id, frame: entry.slice(space + 1) });
    }
    // Appends of concurrent publishers may land out of id order; wide events come after the user's list.
    events.sort((x, y) => x.id - y.id);
    return newestWithin(events, this.options.size, this.userBytes);
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

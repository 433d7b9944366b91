import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisEventLog, WIDE_AUDIENCE } from '../../src/features/events/event-log.js';
import { sleep } from '../support/cluster.js';

const redisUrl = process.env.TEST_REDIS_URL;
const frame = (n: number) => `event: lobby-update\ndata: {"n":${n}}\n\n`;
/** An audience big enough to be logged once for all (users 1000..), plus the given users. */
const wide = (...users: number[]) => [...users, ...Array.from({ length: WIDE_AUDIENCE + 1 }, (_, i) => 1000 + i)];

describe.skipIf(!redisUrl)('the Redis event log (real Redis)', () => {
  let redis: Redis;
  const prefix = `test-log-${randomBytes(4).toString('hex')}:`;
  const logOf = (size: number, ttlMs: number) => new RedisEventLog(redis, { size, ttlMs }, prefix);

  beforeAll(async () => {
    redis = new Redis(redisUrl!, { keyPrefix: prefix });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys.map((k) => k.slice(prefix.length)));
    redis.disconnect();
  });

  it('answers a user\'s events after an id in id order, from his own list and from events logged once for a wide audience', async () => {
    const log = logOf(100, 60_000);
    const a = await log.publish('c', { to: [1, 2], frame: frame(1), close: false });
    const b = await log.publish('c', { to: wide(1), frame: frame(2), close: false });
    const c = await log.publish('c', { to: [1], frame: frame(3), close: false });
    const d = await log.publish('c', { to: wide(2), frame: frame(4), close: false });
    expect(a < b && b < c && c < d).toBe(true);
    // The wide events were not appended to 500 lists.
    expect(await redis.exists(`sse:log:1000`)).toBe(0);

    expect(await log.since(1, a - 1)).toEqual([{ id: a, frame: frame(1) }, { id: b, frame: frame(2) }, { id: c, frame: frame(3) }]);
    expect((await log.since(1, a)).map((e) => e.id)).toEqual([b, c]);
    expect((await log.since(2, a - 1)).map((e) => e.id)).toEqual([a, d]);
    expect((await log.since(1000, a - 1)).map((e) => e.id)).toEqual([b, d]);
    expect(await log.since(3, 0)).toEqual([]);
    expect(await log.since(1, d)).toEqual([]);
  });

  it('gives back at most `size` events, the most recent ones, whatever their kind', async () => {
    const log = logOf(3, 60_000);
    const ids: number[] = [];
    for (let n = 0; n < 6; n++) ids.push(await log.publish('c', { to: n % 2 ? wide(7) : [7], frame: frame(n), close: false }));
    expect((await log.since(7, 0)).map((e) => e.id)).toEqual(ids.slice(-3));
  });

  it('forgets wide events `ttl` after they were published', async () => {
    const log = logOf(100, 300);
    const id = await log.publish('c', { to: wide(9), frame: frame(0), close: false });
    expect((await log.since(9, id - 1)).map((e) => e.id)).toEqual([id]);
    // Redis expires keys on its own clock: the injectable clock cannot move it.
    await sleep(400);
    expect(await log.since(9, id - 1)).toEqual([]);
  });
});

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

  it('keeps its ids growing when Redis loses its data: a client resuming with an id from before gets what came after', async () => {
    const log = logOf(100, 60_000);
    const before = await log.publish('c', { to: [7], frame: frame(1), close: false });
    // Redis loses everything this deployment had (a restart without persistence).
    const keys = await redis.keys(`${prefix}*`);
    await redis.del(...keys.map((k) => k.slice(prefix.length)));
    const after = await log.publish('c', { to: [7], frame: frame(2), close: false });
    expect(after).toBeGreaterThan(before);
    expect(await log.since(7, before)).toEqual([{ id: after, frame: frame(2) }]);
  });

  it('gives back at most `size` events, the most recent ones, whatever their kind', async () => {
    const log = logOf(3, 60_000);
    const ids: number[] = [];
    for (let n = 0; n < 6; n++) ids.push(await log.publish('c', { to: n % 2 ? wide(7) : [7], frame: frame(n), close: false }));
    expect((await log.since(7, 0)).map((e) => e.id)).toEqual(ids.slice(-3));
  });

  describe('byte budgets', () => {
    /** A frame of exactly `bytes` bytes. */
    const sized = (n: number, bytes: number) => {
      const head = `event: receive-message\ndata: {"n":${n},"pad":"`;
      const tail = '"}\n\n';
      return head + 'x'.repeat(bytes - head.length - tail.length) + tail;
    };
    let own: Redis;
    const ownPrefix = `test-log-budget-${randomBytes(4).toString('hex')}:`;
    beforeAll(() => {
      own = new Redis(redisUrl!, { keyPrefix: ownPrefix });
    });
    afterAll(async () => {
      const keys = await own.keys(`${ownPrefix}*`);
      if (keys.length) await own.del(...keys.map((k) => k.slice(ownPrefix.length)));
      own.disconnect();
    });
    const entryBytes = (id: number) => `${id} `.length + 1000;

    it('keeps per user the newest events that fit his byte budget, and no more', async () => {
      const log = new RedisEventLog(own, { size: 100, ttlMs: 60_000, userBytes: 3 * 1020, totalBytes: 1 << 30 }, ownPrefix);
      const ids: number[] = [];
      for (let n = 0; n < 10; n++) ids.push(await log.publish('c', { to: [1], frame: sized(n, 1000), close: false }));
      expect((await log.since(1, 0)).map((e) => e.id)).toEqual(ids.slice(-3));
      expect(await own.llen('sse:log:1')).toBe(3);
      expect(Number(await own.get('sse:log:1:bytes'))).toBe(ids.slice(-3).reduce((sum, id) => sum + entryBytes(id), 0));
      // A resume of wide events too is cut to the budget, newest kept.
      for (let n = 0; n < 4; n++) ids.push(await log.publish('c', { to: wide(1), frame: sized(10 + n, 1000), close: false }));
      expect((await log.since(1, 0)).map((e) => e.id)).toEqual(ids.slice(-3));
    });

    it('keeps the logs of all users within the total budget, dropping the oldest entries first', async () => {
      await own.del('sse:log-index', 'sse:log-bytes');
      const total = 5 * 1020;
      const log = new RedisEventLog(own, { size: 100, ttlMs: 60_000, userBytes: 1 << 20, totalBytes: total }, ownPrefix);
      const ids: number[] = [];
      for (let n = 0; n < 12; n++) ids.push(await log.publish('c', { to: [100 + (n % 3)], frame: sized(n, 1000), close: false }));
      expect(Number(await own.get('sse:log-bytes'))).toBeLessThanOrEqual(total);
      const kept = (await Promise.all([100, 101, 102].map((u) => log.since(u, 0)))).flat().map((e) => e.id).sort((a, b) => a - b);
      expect(kept).toEqual(ids.slice(-5));
      // A wide event counts once and pushes out the oldest lists' entries.
      const w = await log.publish('c', { to: wide(100), frame: sized(99, 1000), close: false });
      expect(Number(await own.get('sse:log-bytes'))).toBeLessThanOrEqual(total);
      expect((await log.since(100, 0)).map((e) => e.id)).toContain(w);
      expect(await own.zcard('sse:log-index')).toBeLessThanOrEqual(5);
    });
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

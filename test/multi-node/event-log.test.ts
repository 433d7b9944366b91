import { describe, expect, it } from 'vitest';
import { MemoryBus } from '../../src/platform/bus/memory.js';
import { BoundedUserLog, ENTRY_OVERHEAD_BYTES } from '../../src/features/events/bounded-log.js';
import { MemoryEventLog, type BusDelivery, type EventLog, type LogDelivery, type LoggedEvent } from '../../src/features/events/event-log.js';
import { framedWithId, SSE_CHANNEL, StreamHub, type StreamSink } from '../../src/features/events/stream-hub.js';
import { ManualClock } from '../../src/platform/clock.js';

function setup(options = { size: 5, ttlMs: 60_000 }) {
  const bus = new MemoryBus();
  let now = 1_000_000;
  const log = new MemoryEventLog(bus, options, () => now, 100);
  return { bus, log, advance: (ms: number) => { now += ms; } };
}

const frame = (n: number) => `event: lobby-update\ndata: {"n":${n}}\n\n`;

describe('the in-memory event log', () => {
  it('gives increasing ids and publishes each delivery with its id, after logging it', async () => {
    const { bus, log } = setup();
    const seen: BusDelivery[] = [];
    await bus.subscribe('c', (message) => {
      const delivery = JSON.parse(message) as BusDelivery;
      seen.push(delivery);
      // Already in the log when the bus hands it over: a stream reading the log after registering misses nothing.
      void log.since(1, delivery.id - 1).then((events) => expect(events.map((e) => e.id)).toContain(delivery.id));
    });
    const a = await log.publish('c', { to: [1, 2], frame: frame(1), close: false });
    const b = await log.publish('c', { to: [1], frame: frame(2), close: false });
    expect(a).toBe(101);
    expect(b).toBe(102);
    expect(seen).toEqual([{ id: 101, to: [1, 2], frame: frame(1), close: false }, { id: 102, to: [1], frame: frame(2), close: false }]);
  });

  it('answers a user\'s events after an id, oldest first, and only his', async () => {
    const { log } = setup();
    for (let n = 0; n < 4; n++) await log.publish('c', { to: n % 2 ? [1] : [1, 2], frame: frame(n), close: false });
    expect((await log.since(1, 0)).map((e) => e.frame)).toEqual([frame(0), frame(1), frame(2), frame(3)]);
    expect((await log.since(1, 102)).map((e) => e.id)).toEqual([103, 104]);
    expect((await log.since(2, 0)).map((e) => e.id)).toEqual([101, 103]);
    expect(await log.since(3, 0)).toEqual([]);
    expect(await log.since(1, 104)).toEqual([]);
  });

  it('keeps the last `size` events of each user', async () => {
    const { log } = setup({ size: 3, ttlMs: 60_000 });
    for (let n = 0; n < 10; n++) await log.publish('c', { to: [1], frame: frame(n), close: false });
    expect((await log.since(1, 0)).map((e) => e.id)).toEqual([108, 109, 110]);
  });

  it('forgets a user\'s log `ttl` after his last event', async () => {
    const { log, advance } = setup({ size: 100, ttlMs: 5000 });
    await log.publish('c', { to: [1], frame: frame(0), close: false });
    await log.publish('c', { to: [2], frame: frame(1), close: false });
    advance(3000);
    await log.publish('c', { to: [1], frame: frame(2), close: false });
    advance(2500);
    expect((await log.since(1, 0)).map((e) => e.id)).toEqual([101, 103]);
    expect(await log.since(2, 0)).toEqual([]);
    expect(log.userCount).toBe(1);
    advance(3000);
    expect(await log.since(1, 0)).toEqual([]);
    expect(log.userCount).toBe(0);
  });
});

describe('the stream hub on the in-memory log', () => {
  function sink() {
    const frames: string[] = [];
    const s: StreamSink & { frames: string[]; ended: boolean } = { frames, ended: false, write: (f) => frames.push(String(f)), end: () => { s.ended = true; } };
    return s;
  }
  const ids = (s: { frames: string[] }) => s.frames.filter((f) => f.startsWith('id: ')).map((f) => Number(/^id: (\d+)/.exec(f)![1]));

  it('writes `id:` before `event:`, pings without id, and resumes after Last-Event-ID without gap or duplicate', async () => {
    const bus = new MemoryBus();
    const clock = new ManualClock();
    const log = new MemoryEventLog(bus, { size: 100, ttlMs: 60_000 }, () => clock.now(), 0);
    const hub = new StreamHub(bus, clock, 2000, log);
    await hub.start();
    const first = sink();
    await hub.open(7, first);
    for (let n = 0; n < 3; n++) await hub.publish({ to: [7], frame: frame(n), close: false });
    expect(first.frames[0]).toMatch(/^event: ping\n/);
    expect(first.frames[1]).toBe(framedWithId(1, frame(0)));
    expect(first.frames[1].startsWith('id: 1\nevent: lobby-update\ndata: ')).toBe(true);
    await hub.close(7, first);
    for (let n = 3; n < 6; n++) await hub.publish({ to: [7], frame: frame(n), close: false });

    // A delivery published while the replay is being read arrives once, after the replayed ones.
    const second = sink();
    const opening = hub.open(7, second, 3);
    await hub.publish({ to: [7], frame: frame(6), close: false });
    await opening;
    await hub.publish({ to: [7], frame: frame(7), close: false });
    expect(ids(second)).toEqual([4, 5, 6, 7, 8]);
    expect(second.frames[0]).toMatch(/^event: ping\n/);
    expect(hub.stats.replayed).toBe(3);
    await hub.stop();
    expect(second.ended).toBe(true);
  });
});

/**
 * The Redis log publishes first and appends after; and the log can be read
 * by one node before its bus has handed over a delivery another node
 * published. A log whose appends and bus deliveries the test releases by hand.
 */
class HeldLog implements EventLog {
  private lastId = 0;
  private logs = new Map<number, LoggedEvent[]>();
  private unlogged: BusDelivery[] = [];
  private unsent: BusDelivery[] = [];
  constructor(private readonly bus: MemoryBus) {}
  async publish(channel: string, delivery: LogDelivery, hold: { log?: boolean; bus?: boolean } = {}): Promise<number> {
    const d: BusDelivery = { id: ++this.lastId, ...delivery };
    if (hold.log) this.unlogged.push(d);
    else this.append(d);
    if (hold.bus) this.unsent.push(d);
    else await this.bus.publish(channel, JSON.stringify(d));
    return d.id;
  }
  private append(d: BusDelivery) {
    for (const u of d.to) this.logs.set(u, [...(this.logs.get(u) ?? []), { id: d.id, frame: d.frame }]);
  }
  flushLog() {
    for (const d of this.unlogged.splice(0)) this.append(d);
  }
  async releaseBus() {
    for (const d of this.unsent.splice(0)) await this.bus.publish(SSE_CHANNEL, JSON.stringify(d));
  }
  async since(userId: number, afterId: number) {
    return (this.logs.get(userId) ?? []).filter((e) => e.id > afterId);
  }
  async close() {}
}

describe('the stream hub when the log and the bus disagree', () => {
  function sink() {
    const frames: string[] = [];
    return { frames, write: (f: string) => { frames.push(f); }, end: () => {} };
  }
  const ids = (s: { frames: string[] }) => s.frames.filter((f) => f.startsWith('id: ')).map((f) => Number(/^id: (\d+)/.exec(f)![1]));
  const ev = (n: number): LogDelivery => ({ to: [7], frame: frame(n), close: false });

  it('resumes with events delivered live but not yet logged (from the window of recent deliveries), once each', async () => {
    const bus = new MemoryBus();
    const log = new HeldLog(bus);
    const hub = new StreamHub(bus, new ManualClock(), 60_000, log, { size: 100, windowMs: 60_000 });
    await hub.start();
    const first = sink();
    await hub.open(7, first);
    for (let n = 0; n < 3; n++) await log.publish(SSE_CHANNEL, ev(n));
    await hub.close(7, first);
    // Published (other nodes' streams have them) but not in the log yet.
    await log.publish(SSE_CHANNEL, ev(3), { log: true });
    await log.publish(SSE_CHANNEL, ev(4), { log: true });
    const second = sink();
    await hub.open(7, second, 3);
    expect(ids(second)).toEqual([4, 5]);
    log.flushLog();
    await log.publish(SSE_CHANNEL, ev(5));
    expect(ids(second)).toEqual([4, 5, 6]);
    // A third resume after the log caught up: the log and the window overlap, nothing twice.
    const third = sink();
    await hub.open(7, third, 2);
    expect(ids(third)).toEqual([3, 4, 5, 6]);
    await hub.stop();
  });

  it('waits for its bus to reach the highest logged id before replaying, so a later event never overtakes an earlier one', async () => {
    const bus = new MemoryBus();
    const log = new HeldLog(bus);
    const hub = new StreamHub(bus, new ManualClock(), 60_000, log, { size: 100, windowMs: 60_000 });
    await hub.start();
    await log.publish(SSE_CHANNEL, ev(0));
    // 2 is published but neither logged nor handed over yet; 3 is logged, its delivery in flight too.
    await log.publish(SSE_CHANNEL, ev(1), { log: true, bus: true });
    await log.publish(SSE_CHANNEL, ev(2), { bus: true });
    const s = sink();
    const opening = hub.open(7, s, 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(ids(s)).toEqual([]);
    await log.releaseBus();
    await opening;
    await log.publish(SSE_CHANNEL, ev(3));
    expect(ids(s)).toEqual([2, 3, 4]);
    await hub.stop();
  });
});

describe('byte budgets of the resume memory (bounded-log.ts)', () => {
  /** A frame of exactly `bytes` bytes (as counted: UTF-8). */
  const sized = (n: number, bytes: number) => {
    const head = `event: receive-message\ndata: {"n":${n},"pad":"`;
    const tail = '"}\n\n';
    return head + 'x'.repeat(bytes - head.length - tail.length) + tail;
  };
  const cost = (bytes: number, addressees = 1) => bytes + 8 * addressees + ENTRY_OVERHEAD_BYTES * addressees;

  it('keeps per user the newest events that fit his byte budget, oldest dropped first', () => {
    const log = new BoundedUserLog({ perUserCount: 100, perUserBytes: 3 * cost(1000), totalBytes: 1 << 30 });
    for (let n = 1; n <= 10; n++) log.append(n, sized(n, 1000), [1], 0);
    expect(log.since(1, 0, 0).map((e) => e.id)).toEqual([8, 9, 10]);
    // A smaller event makes room for itself only: the oldest go first.
    log.append(11, sized(11, 500), [1], 0);
    expect(log.since(1, 0, 0).map((e) => e.id)).toEqual([9, 10, 11]);
    log.append(12, sized(12, 1000), [1], 0);
    expect(log.since(1, 0, 0).map((e) => e.id)).toEqual([10, 11, 12]);
    // One user's budget does not touch another's.
    log.append(13, sized(13, 1000), [2], 0);
    expect(log.since(1, 0, 0).map((e) => e.id)).toEqual([10, 11, 12]);
    expect(log.since(2, 0, 0).map((e) => e.id)).toEqual([13]);
  });

  it('does not keep an event larger than a user\'s whole budget', () => {
    const log = new BoundedUserLog({ perUserCount: 100, perUserBytes: 2000, totalBytes: 1 << 30 });
    log.append(1, sized(1, 500), [1], 0);
    log.append(2, sized(2, 5000), [1], 0);
    expect(log.since(1, 0, 0).map((e) => e.id)).toEqual([1]);
    expect(log.entryCount).toBe(1);
  });

  it('keeps all users within the process budget, dropping the oldest events everywhere first', () => {
    const log = new BoundedUserLog({ perUserCount: 100, perUserBytes: 1 << 20, totalBytes: 5 * cost(1000) });
    for (let n = 1; n <= 8; n++) log.append(n, sized(n, 1000), [n % 3], 0);
    expect(log.bytes).toBeLessThanOrEqual(5 * cost(1000));
    expect(log.entryCount).toBe(5);
    const kept = [0, 1, 2].flatMap((u) => log.since(u, 0, 0).map((e) => e.id)).sort((a, b) => a - b);
    expect(kept).toEqual([4, 5, 6, 7, 8]);
  });

  it('counts a frame addressed to many users once, and drops it from all of them together', () => {
    const log = new BoundedUserLog({ perUserCount: 100, perUserBytes: 1 << 20, totalBytes: cost(1000, 3) + cost(1000, 1) });
    log.append(1, sized(1, 1000), [1, 2, 3], 0);
    expect(log.bytes).toBe(cost(1000, 3));
    log.append(2, sized(2, 1000), [1], 0);
    expect([1, 2, 3].map((u) => log.since(u, 0, 0).map((e) => e.id))).toEqual([[1, 2], [1], [1]]);
    log.append(3, sized(3, 1000), [2], 0);
    expect([1, 2, 3].map((u) => log.since(u, 0, 0).map((e) => e.id))).toEqual([[2], [3], []]);
    expect(log.bytes).toBe(2 * cost(1000));
    expect(log.userCount).toBe(2);
  });

  it('frees the bytes of what it drops by count, by idle time and by age', () => {
    const byCount = new BoundedUserLog({ perUserCount: 2, perUserBytes: 1 << 20, totalBytes: 1 << 30 });
    for (let n = 1; n <= 50; n++) byCount.append(n, sized(n, 1000), [1, 2], 0);
    expect(byCount.bytes).toBe(2 * cost(1000, 2));
    const idle = new BoundedUserLog({ perUserCount: 100, perUserBytes: 1 << 20, totalBytes: 1 << 30, idleTtlMs: 1000 });
    idle.append(1, sized(1, 1000), [1], 0);
    idle.append(2, sized(2, 1000), [2], 600);
    expect(idle.since(1, 0, 1100)).toEqual([]);
    expect(idle.bytes).toBe(cost(1000));
    const aged = new BoundedUserLog({ perUserCount: 100, perUserBytes: 1 << 20, totalBytes: 1 << 30, maxAgeMs: 1000 });
    aged.append(1, sized(1, 1000), [1], 0);
    aged.append(2, sized(2, 1000), [1], 600);
    expect(aged.since(1, 0, 1100).map((e) => e.id)).toEqual([2]);
    expect(aged.bytes).toBe(cost(1000));
  });

  it('stays within its budgets under a long stream of appends to many users (memory does not grow)', () => {
    const total = 200 * cost(1000);
    const log = new BoundedUserLog({ perUserCount: 50, perUserBytes: 10 * cost(1000), totalBytes: total });
    for (let n = 1; n <= 50_000; n++) {
      log.append(n, sized(n, 1000), n % 7 === 0 ? [n % 100, (n + 1) % 100] : [n % 100], 0);
      if (n % 997 === 0) expect(log.bytes).toBeLessThanOrEqual(total);
    }
    for (let u = 0; u < 100; u++) {
      const ids = log.since(u, 0, 0).map((e) => e.id);
      expect(ids.length).toBeLessThanOrEqual(10);
      // The newest of each user, in order.
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      if (ids.length > 0) expect(ids.at(-1)).toBeGreaterThan(49_000);
    }
  });

  it('the in-memory event log applies them: per user and per process', async () => {
    const bus = new MemoryBus();
    const log = new MemoryEventLog(bus, { size: 100, ttlMs: 60_000, userBytes: 3 * cost(1000), totalBytes: 4 * cost(1000) }, () => 0, 0);
    for (let n = 1; n <= 6; n++) await log.publish('c', { to: [1], frame: sized(n, 1000), close: false });
    expect((await log.since(1, 0)).map((e) => e.id)).toEqual([4, 5, 6]);
    await log.publish('c', { to: [2], frame: sized(7, 1000), close: false });
    await log.publish('c', { to: [2], frame: sized(8, 1000), close: false });
    // Four fit in all: the 8th pushes out the process's oldest, user 1's 4th.
    expect((await log.since(1, 0)).map((e) => e.id)).toEqual([5, 6]);
    expect((await log.since(2, 0)).map((e) => e.id)).toEqual([7, 8]);
    expect(log.bytes).toBeLessThanOrEqual(4 * cost(1000));
  });

  it('a resume gives back the newest events within the user budget, from the log, the window and the live buffer together', async () => {
    const bus = new MemoryBus();
    const log = new HeldLog(bus);
    const userBytes = 3 * cost(1000);
    const hub = new StreamHub(bus, new ManualClock(), 60_000, log, { size: 100, windowMs: 60_000, userBytes });
    await hub.start();
    for (let n = 1; n <= 5; n++) await log.publish(SSE_CHANNEL, { to: [7], frame: sized(n, 1000), close: false });
    const s = { frames: [] as string[], write(f: string) { this.frames.push(String(f)); }, end() {} };
    const opening = hub.open(7, s, 0);
    // Live during the replay: more than the budget; the newest are kept.
    for (let n = 6; n <= 9; n++) void log.publish(SSE_CHANNEL, { to: [7], frame: sized(n, 1000), close: false });
    await opening;
    const replayed = s.frames.filter((f) => f.startsWith('id: ')).map((f) => Number(/^id: (\d+)/.exec(f)![1]));
    expect(replayed).toEqual([7, 8, 9]);
    expect(hub.windowBytes).toBeLessThanOrEqual(userBytes);
    await hub.stop();
  });

  it('the window of recent deliveries is bounded per user and in total', async () => {
    const bus = new MemoryBus();
    const log = new HeldLog(bus);
    const hub = new StreamHub(bus, new ManualClock(), 60_000, log, { size: 100, windowMs: 60_000, userBytes: 3 * cost(1000), windowTotalBytes: 5 * cost(1000) });
    await hub.start();
    for (let n = 1; n <= 40; n++) await log.publish(SSE_CHANNEL, { to: [n % 4], frame: sized(n, 1000), close: false });
    expect(hub.windowBytes).toBeLessThanOrEqual(5 * cost(1000));
    expect(hub.windowBytes).toBeGreaterThan(0);
    await hub.stop();
  });
});

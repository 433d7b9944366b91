import { describe, expect, it } from 'vitest';
import { MemoryBus } from '../../src/platform/bus/memory.js';
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

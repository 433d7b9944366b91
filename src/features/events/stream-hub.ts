import type { Clock, TimerHandle } from '../../platform/clock.js';
import type { EventBus } from '../../platform/bus/index.js';
import { PING_FRAME } from './envelope.js';
import { BoundedUserLog, frameBytes, type BoundedEntry } from './bounded-log.js';
import { DEFAULT_WRITE_BUDGET, StreamWriteBudget, type WriteBudgetOptions } from './write-budget.js';
import { DEFAULT_LOG_USER_BYTES, MemoryEventLog, newestWithin, type BusDelivery, type EventLog, type LogDelivery } from './event-log.js';

/** One open SSE response. */
export interface StreamSink {
  /** A delivery to many streams comes as one Buffer shared by all of them (encoded once). */
  write(frame: string | Uint8Array): void;
  end(): void;
}

export type { BusDelivery } from './event-log.js';

export const SSE_CHANNEL = 'sse:deliveries';

export interface StreamHubListener {
  streamOpened(userId: number, first: boolean): Promise<void> | void;
  lastStreamClosed(userId: number): Promise<void> | void;
}

/** One open stream; `pending` buffers live deliveries while it is being announced and its missed events replayed. */
interface Attached {
  sink: StreamSink;
  pending: BusDelivery[] | null;
  /** Bytes of the frames in `pending`: kept within the user's budget, oldest dropped first. */
  pendingBytes: number;
  /** Highest id written by the replay: a live delivery at or below it was already written. */
  maxReplayed: number;
  closeAfterReplay: boolean;
}

export interface StreamHubOptions {
  /** Events a resume gives back at most (the log's size). */
  size: number;
  /** How long this node remembers the deliveries it saw on the bus (0: not at all, the log is written before the bus). */
  windowMs: number;
  /** Bytes a resume gives back at most (the log's per-user budget); also each user's share of the window. Default DEFAULT_LOG_USER_BYTES. */
  userBytes?: number;
  /** Bytes the window of recent deliveries holds for all users together. Default DEFAULT_WINDOW_TOTAL_BYTES. */
  windowTotalBytes?: number;
  /** What the streams of this node may hold for clients that lag (write-budget.ts). Default DEFAULT_WRITE_BUDGET. */
  writeBudget?: WriteBudgetOptions;
}

/** The default of SSE_WINDOW_TOTAL_BYTES (README, configuration). */
export const DEFAULT_WINDOW_TOTAL_BYTES = 64 * 1024 * 1024;
/** Deliveries the window holds at most, whatever their size. */
const WINDOW_MAX_DELIVERIES = 50_000;

/**
 * The deliveries this node saw on the bus lately, per addressee (at most
 * `size` and `userBytes` each, `windowTotalBytes` in all), so that a resume
 * does not depend on the log having been written yet: with Redis, a
 * delivery is published before it is appended to the logs. Every node sees
 * every delivery, so every node has the same window.
 */
class RecentDeliveries {
  private readonly entries: BoundedUserLog;

  constructor(options: StreamHubOptions) {
    this.entries = new BoundedUserLog({
      perUserCount: options.size,
      perUserBytes: options.userBytes ?? DEFAULT_LOG_USER_BYTES,
      totalBytes: options.windowTotalBytes ?? DEFAULT_WINDOW_TOTAL_BYTES,
      maxEntries: WINDOW_MAX_DELIVERIES,
      maxAgeMs: options.windowMs,
    });
  }

  add(delivery: BusDelivery, now: number): void {
    this.entries.append(delivery.id, delivery.frame, delivery.to, now);
  }

  since(userId: number, afterId: number, now: number): BoundedEntry[] {
    return this.entries.since(userId, afterId, now);
  }

  get bytes(): number {
    return this.entries.bytes;
  }
}

/** The bytes of one event: the `id:` line comes before the `event:` line (see docs/events.md, Wire format). */
export function framedWithId(id: number, frame: string): string {
  return `id: ${id}\n${frame}`;
}

/**
 * The streams held by this node. Every node subscribes to one bus channel
 * and writes each delivery to the local streams of its addressees, in the
 * order the bus hands them over. Every delivery carries an id from the
 * event log; a stream opened with `Last-Event-ID` is registered first
 * (live deliveries are buffered), then the user's logged events after that
 * id are read; the log may be ahead of this node's bus (another node's
 * publish that has not arrived yet) or behind it (a delivery published but
 * not yet appended), so the hub first waits until its bus has reached the
 * highest logged id, then writes, in id order and once each, the union of
 * the logged events, the recent deliveries it saw (window) and the buffer.
 * Every id up to the bus position is in one of the three; every later one
 * arrives live: no gap, no duplicate.
 */
export class StreamHub {
  private streams = new Map<number, Map<StreamSink, Attached>>();
  private pingTimer: TimerHandle | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;
  private listeners: StreamHubListener[] = [];
  private readonly log: EventLog;
  private readonly recent: RecentDeliveries;
  /** Bytes a resume gives back at most. */
  private readonly userBytes: number;
  /** The sinks of this node's streams are made by it: their backlogs are bounded, each and in total. */
  readonly writeBudget: StreamWriteBudget;
  /** The highest id seen on the bus, and replays waiting for it to reach theirs. */
  private lastSeenId = 0;
  private waiters: Array<{ id: number; resolve: () => void }> = [];
  /** Counters read by /metrics. */
  readonly stats = { delivered: 0, replayed: 0, resumed: 0 };

  constructor(private readonly bus: EventBus, private readonly clock: Clock, private readonly pingMs: number, log?: EventLog, private readonly options: StreamHubOptions = { size: 100, windowMs: 60_000 }) {
    this.log = log ?? new MemoryEventLog(bus, { size: options.size, ttlMs: 5 * 60_000, userBytes: options.userBytes }, () => clock.now());
    this.recent = new RecentDeliveries(options);
    this.userBytes = options.userBytes ?? DEFAULT_LOG_USER_BYTES;
    this.writeBudget = new StreamWriteBudget(options.writeBudget ?? DEFAULT_WRITE_BUDGET);
  }

  /** Bytes held by the window of recent deliveries (metrics). */
  get windowBytes(): number {
    return this.recent.bytes;
  }

  /** Bytes held by the resume log in this process (0 when it lives in Redis; metrics). */
  get logBytes(): number {
    return this.log instanceof MemoryEventLog ? this.log.bytes : 0;
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(SSE_CHANNEL, (message) => this.deliver(JSON.parse(message) as BusDelivery));
    this.pingTimer = this.clock.setInterval(() => this.pingAll(), this.pingMs);
  }

  onPresence(listener: StreamHubListener): void {
    this.listeners.push(listener);
  }

  async publish(delivery: LogDelivery): Promise<void> {
    await this.log.publish(SSE_CHANNEL, delivery);
  }

  /**
   * Registers a stream; the first one of a user brings the user online.
   * With `lastEventId`, the events logged after it are written first.
   */
  async open(userId: number, sink: StreamSink, lastEventId: number | null = null): Promise<void> {
    let set = this.streams.get(userId);
    const first = !set || set.size === 0;
    if (!set) this.streams.set(userId, (set = new Map()));
    // Until the stream is announced, live deliveries wait in `pending` (and pings and pulses skip it).
    const attached: Attached = { sink, pending: [], pendingBytes: 0, maxReplayed: 0, closeAfterReplay: false };
    set.set(sink, attached);
    // The first frame tells the client it is live: only once the user is recorded online, or a request
    // that needs a stream (joining a queue), sent as soon as it arrives, could still be refused.
    for (const l of this.listeners) await l.streamOpened(userId, first);
    sink.write(PING_FRAME);
    if (lastEventId !== null) await this.replay(userId, attached, lastEventId);
    else this.writePending(attached);
  }

  /** The live deliveries that came while the stream was being announced, in order. */
  private writePending(attached: Attached): void {
    const pending = attached.pending ?? [];
    attached.pending = null;
    attached.pendingBytes = 0;
    for (const delivery of pending) attached.sink.write(framedWithId(delivery.id, delivery.frame));
    this.stats.delivered += pending.length;
    if (attached.closeAfterReplay) attached.sink.end();
  }

  private async replay(userId: number, attached: Attached, lastEventId: number): Promise<void> {
    let logged: Array<{ id: number; frame: string }> = [];
    try {
      logged = await this.log.since(userId, lastEventId);
    } catch {
      // The log is unreachable: the stream goes on with what this node saw.
    }
    const highestLogged = logged.reduce((max, e) => Math.max(max, e.id), 0);
    if (highestLogged > this.lastSeenId) await this.busReached(highestLogged, 1000);
    const pending = attached.pending ?? [];
    attached.pending = null;
    const missed = new Map<number, string>();
    for (const e of logged) missed.set(e.id, e.frame);
    for (const d of this.recent.since(userId, lastEventId, this.clock.now())) missed.set(d.id, d.frame);
    const live = new Set<number>();
    for (const d of pending) {
      if (d.id <= lastEventId) continue;
      missed.set(d.id, d.frame);
      live.add(d.id);
    }
    // No more than the log would give back (the newest events, within its count and bytes), unless more live
    // deliveries arrived meanwhile (their bytes are within the budget already).
    const keep = Math.max(this.options.size, live.size);
    const sorted = [...missed.keys()].sort((x, y) => x - y).map((id) => ({ id, frame: missed.get(id)! }));
    const chosen = newestWithin(sorted, keep, Math.max(this.userBytes, attached.pendingBytes));
    const ids = chosen.map((e) => e.id);
    for (const e of chosen) attached.sink.write(framedWithId(e.id, e.frame));
    attached.maxReplayed = Math.max(lastEventId, ids.at(-1) ?? 0);
    this.stats.resumed += 1;
    this.stats.replayed += ids.filter((id) => !live.has(id)).length;
    this.stats.delivered += ids.filter((id) => live.has(id)).length;
    if (attached.closeAfterReplay) attached.sink.end();
  }

  /** Resolves once this node's bus has delivered `id` (then every lower id too: the bus is in id order), or after `timeoutMs`. */
  private busReached(id: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const waiter = { id, resolve: () => { clearTimeout(timer); resolve(); } };
      // Real time, not the hub's clock: a safety net for a bus that is down, also under a manual test clock.
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  async close(userId: number, sink: StreamSink): Promise<void> {
    const set = this.streams.get(userId);
    if (!set || !set.delete(sink)) return;
    if (set.size === 0) {
      this.streams.delete(userId);
      for (const l of this.listeners) await l.lastStreamClosed(userId);
    }
  }

  localStreamCount(userId?: number): number {
    if (userId !== undefined) return this.streams.get(userId)?.size ?? 0;
    let total = 0;
    for (const set of this.streams.values()) total += set.size;
    return total;
  }

  localUserIds(): number[] {
    return [...this.streams.keys()];
  }

  private writeTo(attached: Attached, delivery: BusDelivery, frame: string | Uint8Array): void {
    if (attached.pending) {
      attached.pending.push(delivery);
      attached.pendingBytes += frameBytes(delivery.frame);
      // A replay waits a second at most, but many large events can come meanwhile: the newest that fit are kept.
      while (attached.pendingBytes > this.userBytes && attached.pending.length > 1) attached.pendingBytes -= frameBytes(attached.pending.shift()!.frame);
      return;
    }
    // Written by the replay already.
    if (delivery.id <= attached.maxReplayed) return;
    attached.sink.write(frame);
    this.stats.delivered += 1;
  }

  private deliver(delivery: BusDelivery): void {
    const text = framedWithId(delivery.id, delivery.frame);
    const frame = delivery.to.length > 1 ? Buffer.from(text) : text;
    for (const userId of delivery.to) {
      const set = this.streams.get(userId);
      if (!set) continue;
      for (const attached of set.values()) this.writeTo(attached, delivery, frame);
      if (delivery.close) {
        // The account is gone: no offline processing follows (see docs/events.md, Account deletion).
        this.streams.delete(userId);
        for (const attached of set.values()) {
          if (attached.pending) attached.closeAfterReplay = true;
          else attached.sink.end();
        }
      }
    }
    // After the writes: remembering is not on the delivery path.
    if (this.options.windowMs > 0) this.recent.add(delivery, this.clock.now());
    if (delivery.id > this.lastSeenId) this.lastSeenId = delivery.id;
    if (this.waiters.length > 0) {
      const reached = this.waiters.filter((w) => w.id <= this.lastSeenId);
      this.waiters = this.waiters.filter((w) => w.id > this.lastSeenId);
      for (const w of reached) w.resolve();
    }
  }

  /**
   * Writes one frame to every stream of this node, outside the event log:
   * no id, never replayed (the activity pulse, see docs/events.md). Streams
   * still replaying their missed events skip it, as they skip pings.
   */
  broadcastLocal(frame: string): number {
    const bytes = Buffer.from(frame);
    let written = 0;
    for (const set of this.streams.values()) {
      for (const attached of set.values()) {
        if (attached.pending) continue;
        attached.sink.write(bytes);
        written += 1;
      }
    }
    return written;
  }

  private pingAll(): void {
    for (const set of this.streams.values()) for (const attached of set.values()) if (!attached.pending) attached.sink.write(PING_FRAME);
  }

  async stop(): Promise<void> {
    this.pingTimer?.cancel();
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    await unsubscribe?.();
    for (const set of this.streams.values()) for (const attached of set.values()) attached.sink.end();
    this.streams.clear();
  }
}

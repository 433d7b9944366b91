import type { Clock, TimerHandle } from '../../platform/clock.js';
import type { EventBus } from '../../platform/bus/index.js';
import { PING_FRAME } from './envelope.js';
import { MemoryEventLog, type BusDelivery, type EventLog, type LogDelivery } from './event-log.js';

/** One open SSE response. */
export interface StreamSink {
  write(frame: string): void;
  end(): void;
}

export type { BusDelivery } from './event-log.js';

export const SSE_CHANNEL = 'sse:deliveries';

export interface StreamHubListener {
  streamOpened(userId: number, first: boolean): Promise<void> | void;
  lastStreamClosed(userId: number): Promise<void> | void;
}

/** One open stream; `pending` buffers live deliveries while the missed events are being replayed. */
interface Attached {
  sink: StreamSink;
  pending: BusDelivery[] | null;
  /** Ids written by the replay, skipped if they also arrive live. */
  replayed: Set<number> | null;
  maxReplayed: number;
  closeAfterReplay: boolean;
}

/** The bytes of one event: the `id:` line comes before the `event:` line (spec README). */
export function framedWithId(id: number, frame: string): string {
  return `id: ${id}\n${frame}`;
}

/**
 * The streams held by this node. Every node subscribes to one bus channel
 * and writes each delivery to the local streams of its addressees, in the
 * order the bus hands them over. Every delivery carries an id from the
 * event log; a stream opened with `Last-Event-ID` is registered first
 * (live deliveries are buffered), then the user's logged events after that
 * id are written, then the buffer minus what the replay already wrote: no
 * gap, no duplicate.
 */
export class StreamHub {
  private streams = new Map<number, Map<StreamSink, Attached>>();
  private pingTimer: TimerHandle | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;
  private listeners: StreamHubListener[] = [];
  private readonly log: EventLog;
  /** Counters read by /metrics. */
  readonly stats = { delivered: 0, replayed: 0, resumed: 0 };

  constructor(private readonly bus: EventBus, private readonly clock: Clock, private readonly pingMs: number, log?: EventLog) {
    this.log = log ?? new MemoryEventLog(bus, { size: 100, ttlMs: 5 * 60_000 }, () => clock.now());
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
    const attached: Attached = { sink, pending: lastEventId === null ? null : [], replayed: null, maxReplayed: 0, closeAfterReplay: false };
    set.set(sink, attached);
    sink.write(PING_FRAME);
    if (lastEventId !== null) {
      await this.replay(userId, attached, lastEventId);
      // The client left during the replay: its close already ran, the user must not come online now.
      if (!this.streams.get(userId)?.has(sink)) return;
    }
    for (const l of this.listeners) await l.streamOpened(userId, first);
  }

  private async replay(userId: number, attached: Attached, lastEventId: number): Promise<void> {
    let missed: Array<{ id: number; frame: string }> = [];
    try {
      missed = await this.log.since(userId, lastEventId);
    } catch {
      // The log is unreachable: the stream goes on as a fresh one.
    }
    const replayed = new Set<number>();
    for (const event of missed) {
      attached.sink.write(framedWithId(event.id, event.frame));
      replayed.add(event.id);
      attached.maxReplayed = Math.max(attached.maxReplayed, event.id);
    }
    this.stats.resumed += 1;
    this.stats.replayed += missed.length;
    const pending = attached.pending ?? [];
    attached.pending = null;
    attached.replayed = replayed.size > 0 ? replayed : null;
    for (const delivery of pending) this.writeTo(attached, delivery, framedWithId(delivery.id, delivery.frame));
    if (attached.closeAfterReplay) attached.sink.end();
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

  private writeTo(attached: Attached, delivery: BusDelivery, frame: string): void {
    if (attached.pending) {
      attached.pending.push(delivery);
      return;
    }
    if (attached.replayed) {
      if (attached.replayed.has(delivery.id)) return;
      // The bus hands deliveries over in id order: nothing older than the replay can come any more.
      if (delivery.id > attached.maxReplayed) attached.replayed = null;
    }
    attached.sink.write(frame);
    this.stats.delivered += 1;
  }

  private deliver(delivery: BusDelivery): void {
    const frame = framedWithId(delivery.id, delivery.frame);
    for (const userId of delivery.to) {
      const set = this.streams.get(userId);
      if (!set) continue;
      for (const attached of set.values()) this.writeTo(attached, delivery, frame);
      if (delivery.close) {
        // The account is gone: no offline processing follows (accounts-chat-sse.md §18.6).
        this.streams.delete(userId);
        for (const attached of set.values()) {
          if (attached.pending) attached.closeAfterReplay = true;
          else attached.sink.end();
        }
      }
    }
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

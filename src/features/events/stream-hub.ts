import type { Clock, TimerHandle } from '../../platform/clock.js';
import type { EventBus } from '../../platform/bus/index.js';
import { PING_FRAME } from './envelope.js';

/** One open SSE response. */
export interface StreamSink {
  write(frame: string): void;
  end(): void;
}

/** What travels on the bus: the frame is serialised once by the publisher and written as is by every node. */
export interface BusDelivery {
  to: number[];
  frame: string;
  /** Streams of these users are closed after the frame (delete-user). */
  close: boolean;
}

export const SSE_CHANNEL = 'sse:deliveries';

export interface StreamHubListener {
  streamOpened(userId: number, first: boolean): Promise<void> | void;
  lastStreamClosed(userId: number): Promise<void> | void;
}

/**
 * The streams held by this node. Every node subscribes to one bus channel
 * and writes each delivery to the local streams of its addressees, in the
 * order the bus hands them over.
 */
export class StreamHub {
  private streams = new Map<number, Set<StreamSink>>();
  private pingTimer: TimerHandle | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;
  private listeners: StreamHubListener[] = [];

  constructor(private readonly bus: EventBus, private readonly clock: Clock, private readonly pingMs: number) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(SSE_CHANNEL, (message) => this.deliver(JSON.parse(message) as BusDelivery));
    this.pingTimer = this.clock.setInterval(() => this.pingAll(), this.pingMs);
  }

  onPresence(listener: StreamHubListener): void {
    this.listeners.push(listener);
  }

  async publish(delivery: BusDelivery): Promise<void> {
    await this.bus.publish(SSE_CHANNEL, JSON.stringify(delivery));
  }

  /** Registers a stream; the first one of a user brings the user online. */
  async open(userId: number, sink: StreamSink): Promise<void> {
    let set = this.streams.get(userId);
    const first = !set || set.size === 0;
    if (!set) this.streams.set(userId, (set = new Set()));
    set.add(sink);
    sink.write(PING_FRAME);
    for (const l of this.listeners) await l.streamOpened(userId, first);
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

  private deliver(delivery: BusDelivery): void {
    for (const userId of delivery.to) {
      const set = this.streams.get(userId);
      if (!set) continue;
      for (const sink of set) sink.write(delivery.frame);
      if (delivery.close) {
        // The account is gone: no offline processing follows (accounts-chat-sse.md §18.6).
        this.streams.delete(userId);
        for (const sink of set) sink.end();
      }
    }
  }

  private pingAll(): void {
    for (const set of this.streams.values()) for (const sink of set) sink.write(PING_FRAME);
  }

  async stop(): Promise<void> {
    this.pingTimer?.cancel();
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    await unsubscribe?.();
    for (const set of this.streams.values()) for (const sink of set) sink.end();
    this.streams.clear();
  }
}

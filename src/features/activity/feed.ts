import type { Clock, TimerHandle } from '../../platform/clock.js';
import { buildEnvelope, frameOf } from '../events/envelope.js';
import { updateOf, type LiveBoard } from './board.js';
import { ACTIVITY_INTERVAL_MS } from './messages.js';

/** What the feed needs of the node's streams (StreamHub). */
export interface LocalStreams {
  localStreamCount(): number;
  broadcastLocal(frame: string): number;
}

/**
 * The `activity-update` event (docs/events.md): after a change, this node
 * writes the new counts and live-list version to each of its own streams,
 * at most once per ACTIVITY_INTERVAL_MS on the clock (changes meanwhile are
 * coalesced into the next one) and only when they differ from the last ones
 * it sent. Every node does the same from the same database, so every stream
 * gets the same figures; nothing goes through the bus or the resume logs.
 */
export class ActivityFeed {
  private lastPayload: string | null = null;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: TimerHandle | null = null;
  private running = false;
  private again = false;
  private stopped = false;

  constructor(private readonly board: LiveBoard, private readonly streams: LocalStreams, private readonly clock: Clock) {
    board.onInvalidated(() => this.poke());
  }

  /** Something changed: look again as soon as the interval allows (a node without streams has nobody to tell). */
  poke(): void {
    if (this.stopped || this.streams.localStreamCount() === 0) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    const wait = Math.max(this.lastSentAt + ACTIVITY_INTERVAL_MS, this.board.nextAt) - this.clock.now();
    if (wait <= 0) {
      void this.run();
      return;
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      void this.run();
    }, wait);
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      const update = updateOf(await this.board.current());
      const payload = JSON.stringify(update);
      if (payload !== this.lastPayload && !this.stopped) {
        this.streams.broadcastLocal(frameOf(buildEnvelope('activity-update', update, null, new Map())));
        this.lastPayload = payload;
        this.lastSentAt = this.clock.now();
      }
    } catch {
      // The database is away: the board stays stale and the next look retries.
    } finally {
      this.running = false;
    }
    if (this.again || this.board.stale) {
      this.again = false;
      this.poke();
    }
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
  }
}

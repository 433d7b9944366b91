import type { Clock, TimerHandle } from '../../platform/clock.js';
import type { StreamHubListener } from './stream-hub.js';

/** What the grace stands in front of: Presence, which records the close at the moment it happened. */
export interface GracedPresence {
  streamOpened(userId: number, first: boolean): Promise<void> | void;
  lastStreamClosed(userId: number, closedAt: number): Promise<void> | void;
}

/**
 * A browser reload closes a user's last stream and opens a new one a moment
 * later: treated as going offline, it would cost him his queue entry, his
 * lobby and his tournament seat, and send leave events to everybody. So the
 * close is only passed on once `graceMs` have gone by on the clock without a
 * new stream of his on this node. The presence write it then makes is the
 * decision for all nodes: the user goes offline, and leaves everything,
 * only if no other node holds a stream of his (a reload that landed on
 * another node keeps his seat). Until then he stays online: his friends see
 * no flicker and the events sent meanwhile still reach his log for a resume.
 */
export class StreamGrace implements StreamHubListener {
  private waiting = new Map<number, TimerHandle>();
  /** The closes passed on and not yet written, for `settled`. */
  private running = new Set<Promise<void>>();

  constructor(
    private readonly presence: GracedPresence,
    private readonly clock: Clock,
    private readonly graceMs: number,
    /** Whether this node holds a stream of the user, even one still replaying its missed events (not announced yet). */
    private readonly hasLocalStream: (userId: number) => boolean,
  ) {}

  streamOpened(userId: number, first: boolean): Promise<void> | void {
    this.waiting.get(userId)?.cancel();
    this.waiting.delete(userId);
    return this.presence.streamOpened(userId, first);
  }

  lastStreamClosed(userId: number): Promise<void> | void {
    const closedAt = this.clock.now();
    if (this.graceMs <= 0) return this.presence.lastStreamClosed(userId, closedAt);
    this.waiting.get(userId)?.cancel();
    this.waiting.set(userId, this.clock.setTimeout(() => {
      this.waiting.delete(userId);
      if (this.hasLocalStream(userId)) return;
      const run = Promise.resolve(this.presence.lastStreamClosed(userId, closedAt)).catch(() => {}).finally(() => this.running.delete(run));
      this.running.add(run);
    }, this.graceMs));
  }

  /** Resolves once every close whose grace ran out has been written, with its offline effects (tests). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /**
   * Shutdown: the closes still waiting are dropped, like the streams the hub
   * ends without a close; this node's presence rows of those users expire
   * with the node (a single node resets presence when it starts).
   */
  stop(): void {
    for (const timer of this.waiting.values()) timer.cancel();
    this.waiting.clear();
  }
}

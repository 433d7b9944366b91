import type { Clock, TimerHandle } from '../../platform/clock.js';

interface Entry {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * One timer for the ticks of every room of a process (issue 4): rooms ask
 * for a run at a planned instant; a single timer on the injected clock is
 * armed for the earliest instant and, when it fires, runs every room due by
 * then (earliest first, then in request order). Instants are kept exactly,
 * so a room ticks when it did with a timer of its own, without a timer
 * object, a closure and a timer-list entry per room per tick.
 *
 * Timers wake on whole milliseconds: a batch also runs the rooms due within
 * the next millisecond (WAKE_RESOLUTION_MS), which a timer armed for them
 * would only reach a millisecond or more late.
 *
 * A run requested while the scheduler is running (a room behind its plan
 * asking for "now") waits for the next turn of the timer, as a 0 ms timer
 * did: sockets are read between two batches.
 */
/** The precision of a timer's wake-up: rooms due sooner than this after a batch's start run in it. */
export const WAKE_RESOLUTION_MS = 1;

export class TickScheduler {
  private heap: Entry[] = [];
  private seq = 0;
  private timer: TimerHandle | null = null;
  private armedAt = Infinity;
  private running = false;
  private live = 0;
  /** Runs requested during a batch: they join the heap when the batch is over. */
  private deferred: Entry[] = [];

  constructor(private readonly clock: Clock) {}

  /** Runs `fn` at the instant `at` (clock ms, fractional allowed), or as soon as possible if it is past. */
  at(at: number, fn: () => void): TimerHandle {
    const entry: Entry = { at, seq: this.seq++, fn, cancelled: false };
    if (this.running) this.deferred.push(entry);
    else this.push(entry);
    this.live++;
    if (!this.running && at < this.armedAt) this.arm();
    return {
      cancel: () => {
        if (entry.cancelled) return;
        entry.cancelled = true;
        this.live--;
        if (this.live === 0 && !this.running) this.disarm();
      },
    };
  }

  /** Pending runs (tests, metrics). */
  get size(): number {
    return this.live;
  }

  private fire(): void {
    this.timer = null;
    this.armedAt = Infinity;
    this.running = true;
    const horizon = this.clock.now() + WAKE_RESOLUTION_MS;
    try {
      for (;;) {
        const top = this.heap[0];
        if (!top || top.at >= horizon) break;
        this.pop();
        if (top.cancelled) continue;
        top.cancelled = true;
        this.live--;
        // A throw surfaces as it did from a room's own timer; the rest of the batch runs on the next turn.
        top.fn();
      }
    } finally {
      this.running = false;
      for (const entry of this.deferred) if (!entry.cancelled) this.push(entry);
      this.deferred.length = 0;
      this.arm();
    }
  }

  /** (Re)arms the one timer for the earliest pending run, dropping cancelled entries on top. */
  private arm(): void {
    while (this.heap.length && this.heap[0].cancelled) this.pop();
    const top = this.heap[0];
    if (!top) {
      this.disarm();
      return;
    }
    if (this.timer && this.armedAt <= top.at) return;
    this.timer?.cancel();
    this.armedAt = top.at;
    this.timer = this.clock.setTimeout(() => this.fire(), Math.max(0, top.at - this.clock.now()));
  }

  private disarm(): void {
    this.timer?.cancel();
    this.timer = null;
    this.armedAt = Infinity;
    this.heap.length = 0;
  }

  private static before(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!TickScheduler.before(entry, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || !last) return top;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && TickScheduler.before(heap[r], heap[l]) ? r : l;
      if (!TickScheduler.before(heap[child], last)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

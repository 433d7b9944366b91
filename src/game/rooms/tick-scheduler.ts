import type { Clock, TimerHandle } from '../../platform/clock.js';

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
 *
 * A room keeps one `ScheduledRun` for its whole life and moves it from tick
 * to tick (issue 20: nothing is allocated per tick); the heap knows where
 * each run sits, so a cancelled run leaves it at once.
 */
/** The precision of a timer's wake-up: rooms due sooner than this after a batch's start run in it. */
export const WAKE_RESOLUTION_MS = 1;

const IDLE = -1;
const DEFERRED = -2;

/** A run of one function, scheduled again and again (a room's ticks). */
export class ScheduledRun implements TimerHandle {
  /** The planned instant (clock ms, fractional allowed). */
  at = 0;
  seq = 0;
  /** Where it sits in the heap, or IDLE, or DEFERRED (requested during a batch). */
  slot = IDLE;

  constructor(private readonly scheduler: TickScheduler, readonly fn: () => void) {}

  /** Runs `fn` at `at`, or as soon as possible if it is past; a run already planned moves there. */
  schedule(at: number): void {
    this.at = at;
    this.scheduler.reschedule(this);
  }

  cancel(): void {
    this.scheduler.unschedule(this);
  }

  get pending(): boolean {
    return this.slot !== IDLE;
  }
}

export class TickScheduler {
  private heap: ScheduledRun[] = [];
  private seq = 0;
  private timer: TimerHandle | null = null;
  private armedAt = Infinity;
  private running = false;
  /** Runs requested during a batch: they join the heap when the batch is over. */
  private deferred: ScheduledRun[] = [];
  private readonly fireNow = (): void => this.fire();

  constructor(private readonly clock: Clock) {}

  /** A reusable run of `fn`, not yet scheduled. */
  run(fn: () => void): ScheduledRun {
    return new ScheduledRun(this, fn);
  }

  /** Runs `fn` once at the instant `at` (clock ms, fractional allowed), or as soon as possible if it is past. */
  at(at: number, fn: () => void): TimerHandle {
    const run = new ScheduledRun(this, fn);
    run.schedule(at);
    return run;
  }

  /** Pending runs (tests, metrics). */
  get size(): number {
    let deferred = 0;
    for (const run of this.deferred) if (run.slot === DEFERRED) deferred++;
    return this.heap.length + deferred;
  }

  /** Plans `run` for `run.at` (moved there if it was planned already). */
  reschedule(run: ScheduledRun): void {
    const at = run.at;
    if (run.slot >= 0) this.removeAt(run.slot);
    run.seq = this.seq++;
    if (this.running) {
      if (run.slot !== DEFERRED) {
        run.slot = DEFERRED;
        this.deferred.push(run);
      }
      return;
    }
    this.push(run);
    if (at < this.armedAt) this.arm();
  }

  unschedule(run: ScheduledRun): void {
    if (run.slot >= 0) this.removeAt(run.slot);
    run.slot = IDLE;
    if (!this.running && this.heap.length === 0) this.disarm();
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
        this.removeAt(0);
        top.slot = IDLE;
        // A throw surfaces as it did from a room's own timer; the rest of the batch runs on the next turn.
        top.fn();
      }
    } finally {
      this.running = false;
      const deferred = this.deferred;
      for (let i = 0; i < deferred.length; i++) {
        const run = deferred[i];
        if (run.slot === DEFERRED) this.push(run);
      }
      deferred.length = 0;
      this.arm();
    }
  }

  /** (Re)arms the one timer for the earliest pending run. */
  private arm(): void {
    const top = this.heap[0];
    if (!top) {
      this.disarm();
      return;
    }
    if (this.timer && this.armedAt <= top.at) return;
    this.timer?.cancel();
    this.armedAt = top.at;
    this.timer = this.clock.setTimeout(this.fireNow, Math.max(0, top.at - this.clock.now()));
  }

  private disarm(): void {
    this.timer?.cancel();
    this.timer = null;
    this.armedAt = Infinity;
  }

  private static before(a: ScheduledRun, b: ScheduledRun): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(run: ScheduledRun): void {
    this.heap.push(run);
    this.up(this.heap.length - 1, run);
  }

  private place(i: number, run: ScheduledRun): void {
    this.heap[i] = run;
    run.slot = i;
  }

  private up(i: number, run: ScheduledRun): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!TickScheduler.before(run, heap[parent])) break;
      this.place(i, heap[parent]);
      i = parent;
    }
    this.place(i, run);
  }

  private down(i: number, run: ScheduledRun): void {
    const heap = this.heap;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && TickScheduler.before(heap[r], heap[l]) ? r : l;
      if (!TickScheduler.before(heap[child], run)) break;
      this.place(i, heap[child]);
      i = child;
    }
    this.place(i, run);
  }

  /** Takes the run at heap position `i` out, keeping the heap ordered. */
  private removeAt(i: number): void {
    const heap = this.heap;
    const removed = heap[i];
    const last = heap.pop()!;
    removed.slot = IDLE;
    if (last === removed) return;
    if (i > 0 && TickScheduler.before(last, heap[(i - 1) >> 1])) this.up(i, last);
    else this.down(i, last);
  }
}

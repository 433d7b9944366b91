import type { Clock } from './clock.js';

/**
 * A value computed from a slow source (the database) and kept between
 * reads. It is recomputed only after `invalidate()`, and never more often
 * than once per `minIntervalMs` on the clock: a burst of changes costs one
 * computation per interval, whatever their number. Readers arriving during
 * a computation share it.
 */
export class ThrottledCache<T> {
  private value: T | null = null;
  private generation = 0;
  private computedGeneration = -1;
  private startedAt = Number.NEGATIVE_INFINITY;
  private running: Promise<T> | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly minIntervalMs: number,
    private readonly compute: () => Promise<T>,
  ) {}

  /** Something the value depends on changed. */
  invalidate(): void {
    this.generation += 1;
  }

  /** Whether a change came after the value was computed (or nothing was computed yet). */
  get stale(): boolean {
    return this.computedGeneration !== this.generation;
  }

  /** The earliest clock time the next computation may start. */
  get nextAt(): number {
    return this.startedAt + this.minIntervalMs;
  }

  /** The value; recomputed first when stale and the interval allows it, or whatever the interval with `force`. */
  get(force = false): Promise<T> {
    if (this.running) return this.running;
    const fresh = this.value !== null && (!this.stale || (!force && this.clock.now() < this.nextAt));
    return fresh ? Promise.resolve(this.value as T) : this.refresh();
  }

  private refresh(): Promise<T> {
    const generation = this.generation;
    this.startedAt = this.clock.now();
    const run = this.compute().then((value) => {
      this.value = value;
      this.computedGeneration = generation;
      return value;
    });
    this.running = run;
    // Cleared whether it succeeded or not: the next reader tries again.
    void run.then(() => { this.running = null; }, () => { this.running = null; });
    return run;
  }
}

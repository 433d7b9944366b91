import type { Clock } from '../../platform/clock.js';

/** Frames one connection may send per second; a flood beyond it is dropped, the room never sees it. */
export const FRAMES_PER_SECOND = 300;

export class FrameBudget {
  private windowStart = 0;
  private used = 0;

  constructor(private readonly clock: Clock, private readonly perSecond = FRAMES_PER_SECOND) {}

  take(): boolean {
    const now = this.clock.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.used = 0;
    }
    this.used += 1;
    return this.used <= this.perSecond;
  }

  /** Twice the budget within one second: not a client out of step but a flood; its sender is disconnected. */
  flooding(): boolean {
    return this.used > 2 * this.perSecond;
  }
}

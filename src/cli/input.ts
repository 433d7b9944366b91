import type { Direction } from '../game/engine/index.js';

/**
 * Which way the player holds the paddle. Terminals report presses, and
 * (with the kitty keyboard protocol) releases — often only for some keys
 * (arrows, not letters). Keys of a `source` that never reported a release
 * hold their direction for `firstHoldMs` after a press (bridging the
 * auto-repeat delay) and `holdMs` after each repeat; Space stops at once.
 * Keys whose source does report releases hold until released. Both
 * directions held at once mean stop, as in the web client.
 */
export class HeldDirection {
  private readonly releasing = new Set<string>();
  private readonly held = new Map<Direction, { until: number; source: string }>();

  constructor(private readonly holdMs = 150, private readonly firstHoldMs = 300) {}

  press(direction: -1 | 1, now: number, source = 'key', repeat = false): void {
    const releases = this.releasing.has(source);
    if (!releases) {
      // Without releases, pressing one direction lets go of the other.
      this.held.delete((direction === -1 ? 1 : -1) as Direction);
    }
    const already = this.held.get(direction);
    const hold = already || repeat ? this.holdMs : this.firstHoldMs;
    this.held.set(direction, { until: releases ? Number.POSITIVE_INFINITY : now + hold, source });
  }

  release(direction: -1 | 1, source = 'key'): void {
    this.releasing.add(source);
    if (this.held.get(direction)?.source === source) this.held.delete(direction);
  }

  stop(): void {
    this.held.clear();
  }

  direction(now: number): Direction {
    for (const [direction, { until }] of this.held) if (until <= now) this.held.delete(direction);
    const up = this.held.has(-1);
    const down = this.held.has(1);
    return up === down ? 0 : up ? -1 : 1;
  }
}

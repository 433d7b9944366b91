import type { Redis } from 'ioredis';
import type { Clock } from '../../platform/clock.js';
import { countersFor, type CounterStore } from '../../platform/counters.js';
import { throttledFor } from '../../platform/http/errors.js';

/** The window of the message limit: long enough to stop a burst, short enough that a person who hits it waits a few seconds. */
export const FLOOD_WINDOW_MS = 10_000;

/**
 * How many messages one author may post in one chat per 10-second window
 * (docs/api.md, Throttling): a person never notices it, a script flooding
 * someone's conversation gets 429 "Request was throttled." with
 * `Retry-After`. Per chat, so that talking to several friends at once is
 * never slowed down. With Redis the count is shared by every node; when
 * Redis does not answer the message goes through, like the other throttles.
 */
export class MessageFloodGuard {
  private readonly store: CounterStore;

  constructor(private readonly options: { perWindow: number; clock: Clock; redis: Redis | null }) {
    this.store = countersFor(options);
  }

  /** Counts one message of `authorId` in `chatId`; throws the 429 when the window's budget is spent. */
  async take(authorId: number, chatId: number): Promise<void> {
    const now = this.options.clock.now();
    const window = Math.floor(now / FLOOD_WINDOW_MS);
    let taken: boolean;
    try {
      taken = await this.store.take([`chatflood:${authorId}:${chatId}:${window}`], this.options.perWindow, 2 * FLOOD_WINDOW_MS);
    } catch {
      return;
    }
    if (taken) return;
    throw throttledFor((window + 1) * FLOOD_WINDOW_MS - now);
  }
}

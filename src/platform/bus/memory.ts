import type { BusHandler, EventBus } from './bus.js';

/** In-process bus: delivery is synchronous, in publish order. */
export class MemoryBus implements EventBus {
  private handlers = new Map<string, Set<BusHandler>>();

  async publish(channel: string, message: string): Promise<void> {
    for (const handler of this.handlers.get(channel) ?? []) handler(message);
  }

  async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    return async () => { set!.delete(handler); };
  }

  isReady(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}

/**
 * The port every live notification goes through. One node uses the memory
 * adapter; many nodes share the Redis adapter so that an event published on
 * one node reaches streams held by another.
 */
export type BusHandler = (message: string) => void;

export interface EventBus {
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once the subscription is active; returns the function that removes it. */
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
  /** True while the bus can deliver (used by health checks). */
  isReady(): boolean;
  close(): Promise<void>;
}

export class BusUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('event bus unavailable', { cause });
  }
}

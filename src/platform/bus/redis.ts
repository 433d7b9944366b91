import { Redis } from 'ioredis';
import { BusUnavailableError, type BusHandler, type EventBus } from './bus.js';

/**
 * Redis pub/sub bus. Publishing goes through one connection and subscribing
 * through another (a subscribed Redis connection cannot publish). Redis keeps
 * the order of messages published on one connection.
 */
export class RedisBus implements EventBus {
  private publisher: Redis;
  private subscriber: Redis;
  private handlers = new Map<string, Set<BusHandler>>();

  constructor(url: string, private readonly prefix = '') {
    const options = { maxRetriesPerRequest: 1, enableOfflineQueue: false };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, { ...options, enableOfflineQueue: true, maxRetriesPerRequest: null });
    // Connection errors surface as failed publishes; ioredis reconnects by itself.
    this.publisher.on('error', () => {});
    this.subscriber.on('error', () => {});
    this.subscriber.on('message', (channel: string, message: string) => {
      if (!channel.startsWith(this.prefix)) return;
      for (const handler of this.handlers.get(channel.slice(this.prefix.length)) ?? []) handler(message);
    });
  }

  async publish(channel: string, message: string): Promise<void> {
    try {
      await this.publisher.publish(this.prefix + channel, message);
    } catch (error) {
      throw new BusUnavailableError(error);
    }
  }

  async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    let set = this.handlers.get(channel);
    if (!set) {
      this.handlers.set(channel, (set = new Set()));
      // A SUBSCRIBE queued before the connection is ready can be lost; ioredis re-subscribes by itself after later reconnects.
      await whenReady(this.subscriber);
      await this.subscriber.subscribe(this.prefix + channel);
    }
    set.add(handler);
    return async () => {
      set!.delete(handler);
      if (set!.size === 0) {
        this.handlers.delete(channel);
        await this.subscriber.unsubscribe(this.prefix + channel).catch(() => {});
      }
    };
  }

  isReady(): boolean {
    return this.publisher.status === 'ready' && this.subscriber.status === 'ready';
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}

function whenReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => redis.once('ready', () => resolve()));
}

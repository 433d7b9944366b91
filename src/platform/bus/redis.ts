import { Redis, type RedisOptions } from 'ioredis';
import { BusUnavailableError, type BusHandler, type EventBus } from './bus.js';

/** A Redis command not answered within this fails (503) instead of hanging its request. */
export const REDIS_COMMAND_TIMEOUT_MS = 3000;
/** How often each connection checks that Redis still answers. */
const WATCH_INTERVAL_MS = 1500;

/**
 * A Redis connection that never hangs a caller and heals itself: commands
 * time out, connecting times out, connection errors are reported as failed
 * commands (ioredis reconnects by itself), and a watchdog PING replaces a
 * connection that went silent (a network black hole is not a closed socket:
 * without it the connection would look ready and time out for ever).
 */
export function resilientRedis(url: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, { commandTimeout: REDIS_COMMAND_TIMEOUT_MS, connectTimeout: REDIS_COMMAND_TIMEOUT_MS, ...options });
  redis.on('error', () => {});
  let checking = false;
  const timer = setInterval(() => {
    if (checking || redis.status !== 'ready') return;
    checking = true;
    redis.ping().then(
      () => { checking = false; },
      () => {
        checking = false;
        if (redis.status === 'ready') redis.disconnect(true);
      },
    );
  }, WATCH_INTERVAL_MS);
  timer.unref();
  redis.once('end', () => clearInterval(timer));
  return redis;
}

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
    // Connection errors surface as failed publishes; ioredis reconnects by itself.
    this.publisher = resilientRedis(url, options);
    this.subscriber = resilientRedis(url, { ...options, enableOfflineQueue: true, maxRetriesPerRequest: null });
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

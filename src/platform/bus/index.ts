import type { EventBus } from './bus.js';
import { MemoryBus } from './memory.js';
import { RedisBus } from './redis.js';

export type { EventBus } from './bus.js';
export { BusUnavailableError } from './bus.js';

/** `prefix` namespaces the Redis channels (deployments, or test clusters, sharing one Redis). */
export function createBus(redisUrl: string | null, prefix = ''): EventBus {
  return redisUrl ? new RedisBus(redisUrl, prefix) : new MemoryBus();
}

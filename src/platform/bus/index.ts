import type { EventBus } from './bus.js';
import { MemoryBus } from './memory.js';

export type { EventBus } from './bus.js';
export { BusUnavailableError } from './bus.js';

/**
 * `prefix` namespaces the Redis channels (deployments, or test clusters, sharing one Redis).
 * The Redis client is loaded only when one is configured: a single node does without its memory.
 */
export async function createBus(redisUrl: string | null, prefix = ''): Promise<EventBus> {
  if (!redisUrl) return new MemoryBus();
  const { RedisBus } = await import('./redis.js');
  return new RedisBus(redisUrl, prefix);
}

import type { EventBus } from './bus.js';
import { MemoryBus } from './memory.js';
import { RedisBus } from './redis.js';

export type { EventBus } from './bus.js';
export { BusUnavailableError } from './bus.js';

export function createBus(redisUrl: string | null): EventBus {
  return redisUrl ? new RedisBus(redisUrl) : new MemoryBus();
}

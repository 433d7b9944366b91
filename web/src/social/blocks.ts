import type { BlockEntry } from '@client/types.js';
import { fetchAllPages } from '../api/client';

/**
 * The caller's own block of `userId`, if he has one. The server words every
 * refusal a block causes the same way, whoever blocked whom; the caller's
 * list tells him when it was his own doing.
 */
export async function myBlockOf(userId: number): Promise<BlockEntry | undefined> {
  const entries = await fetchAllPages<BlockEntry>('/api/users/me/blocked/?limit=50&offset=0', (items) => items.some((entry) => entry.blocked.id === userId));
  return entries.find((entry) => entry.blocked.id === userId);
}

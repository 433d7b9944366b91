import type { PublicUser } from '../api/types';

/** "online", "in a game" or "offline", from a user's `status` (its `game_playing` is a match code, not words). */
export function presenceText(status: PublicUser['status']): string {
  if (!status.is_online) return 'offline';
  return status.game_playing ? 'in a game' : 'online';
}

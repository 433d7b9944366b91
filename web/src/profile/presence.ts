import type { PublicUser } from '../api/types';

/** "online", "playing duel" or "offline", from a user's `status`. */
export function presenceText(status: PublicUser['status']): string {
  if (!status.is_online) return 'offline';
  return status.game_playing ? `playing ${status.game_playing}` : 'online';
}

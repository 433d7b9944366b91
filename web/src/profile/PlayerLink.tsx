import type { SmallPicture } from '../api/types';
import { Link } from '../lib/router';
import { playerName, type ComputerLevel } from '../play/computer';
import { UserChip } from '../ui/bits';

interface Linkable {
  id: number;
  username?: string | null;
  profile_picture?: SmallPicture | null;
  computer?: ComputerLevel;
}

/** Where a player's name leads: his page, or the viewer's own profile. */
export const playerHref = (id: number, viewerId: number | null) => (id === viewerId ? '/profile' : `/players/${id}`);

/** A player's picture and name, opening his page (/players/<id>); computer players and deleted accounts are not links. */
export function PlayerLink({ player, viewerId }: { player: Linkable; viewerId: number | null }) {
  const chip = <UserChip user={player.username ? { username: playerName(player), profile_picture: player.profile_picture! } : null} />;
  if (!player.username || player.computer) return chip;
  return (
    <Link className="player-link" href={playerHref(player.id, viewerId)}>
      {chip}
    </Link>
  );
}

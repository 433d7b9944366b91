import { useEffect, useState } from 'react';
import type { GameModel } from '@client/game-model.js';
import type { Team } from '@shared/engine/index.js';
import { api } from '../api/client';
import type { MatchObject } from '../api/types';
import { useGameStatus } from './online';

export interface PlayerNames {
  /** A server-frame team's player names, in list order. */
  teamName(team: Team): string[];
  nameOf(userId: number): string;
}

/**
 * Names of the people in a game: players know them from `game-start`; a
 * spectator learns the seated ids from `rackets` and looks their names up.
 */
export function usePlayerNames(game: GameModel, match: MatchObject | null): PlayerNames {
  const { roster } = useGameStatus(game);
  const [fetched, setFetched] = useState<Record<number, string>>({});
  useEffect(() => {
    if (match) return;
    const missing = roster.filter((id) => !(id in fetched));
    if (missing.length === 0) return;
    let live = true;
    void Promise.all(missing.map((id) => api<{ username: string }>('GET', `/api/users/${id}/`).then((r) => [id, r.ok ? r.data.username : 'a player'] as const)))
      .then((pairs) => live && setFetched((known) => ({ ...known, ...Object.fromEntries(pairs) })));
    return () => {
      live = false;
    };
  }, [roster, match, fetched]);

  const known: Record<number, string> = { ...fetched };
  for (const team of ['a', 'b'] as const) for (const p of match?.teams[team].players ?? []) known[p.id] = p.username ?? 'a player';
  const nameOf = (userId: number) => known[userId] ?? 'a player';
  return {
    nameOf,
    teamName: (team) => (match ? match.teams[team].players.map((p) => nameOf(p.id)) : game.playersOf(team).map(nameOf)),
  };
}

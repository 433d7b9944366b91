import { useEffect, useState } from 'react';
import type { GameModel } from '@client/game-model.js';
import type { Team } from '@shared/engine/index.js';
import { api } from '../api/client';
import type { LiveMatch, MatchObject, Page } from '../api/types';
import { playerName } from '../play/computer';
import { useGameStatus } from './online';

export interface PlayerNames {
  /** A server-frame team's player names, in list order. */
  teamName(team: Team): string[];
  nameOf(userId: number): string;
}

/** The names in the live list's entry of a match (computer players by level), by user id; empty if not listed. */
async function liveNames(code: string): Promise<Record<number, string>> {
  const result = await api<Page<LiveMatch>>('GET', `/api/game/live/?code=${encodeURIComponent(code)}`);
  const names: Record<number, string> = {};
  const entry = result.ok ? result.data.results[0] : undefined;
  for (const team of ['a', 'b'] as const) for (const p of entry?.teams[team] ?? []) names[p.id] = playerName(p);
  return names;
}

/**
 * Names of the people in a game: players know them from `game-start`; a
 * spectator (`spectateCode`) learns the seated ids from `rackets` and reads
 * their names in the live list's entry of the match, where computer players
 * are marked; an id not found there (a private lobby's game) is looked up.
 */
export function usePlayerNames(game: GameModel, match: MatchObject | null, spectateCode?: string | null): PlayerNames {
  const { roster } = useGameStatus(game);
  const [fetched, setFetched] = useState<Record<number, string>>({});
  useEffect(() => {
    if (match) return;
    const missing = roster.filter((id) => !(id in fetched));
    if (missing.length === 0) return;
    let live = true;
    void (async () => {
      const listed = spectateCode ? await liveNames(spectateCode) : {};
      const looked = await Promise.all(missing.filter((id) => !(id in listed)).map((id) =>
        api<{ username: string }>('GET', `/api/users/${id}/`).then((r) => [id, r.ok ? r.data.username : 'a player'] as const)));
      if (live) setFetched((known) => ({ ...known, ...listed, ...Object.fromEntries(looked) }));
    })();
    return () => {
      live = false;
    };
  }, [roster, match, fetched, spectateCode]);

  const known: Record<number, string> = { ...fetched };
  for (const team of ['a', 'b'] as const) for (const p of match?.teams[team].players ?? []) known[p.id] = playerName(p);
  const nameOf = (userId: number) => known[userId] ?? 'a player';
  return {
    nameOf,
    teamName: (team) => (match ? match.teams[team].players.map((p) => nameOf(p.id)) : game.playersOf(team).map(nameOf)),
  };
}

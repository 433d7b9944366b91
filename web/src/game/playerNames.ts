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

const RETRY_MS = 1000;

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
  // A lookup that failed (a busy server, a network hiccup) is tried again a second later.
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (match) return;
    const missing = roster.filter((id) => !(id in fetched));
    if (missing.length === 0) return;
    let live = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    void (async () => {
      const listed = spectateCode ? await liveNames(spectateCode) : {};
      const asked = missing.filter((id) => !(id in listed));
      // A user who is not there (404: deleted) stays "a player"; any other failure is tried again.
      const looked = await Promise.all(asked.map((id) =>
        api<{ username: string }>('GET', `/api/users/${id}/`).then((r) =>
          (r.ok ? [[id, r.data.username] as const] : r.status === 404 ? [[id, 'a player'] as const] : []))));
      if (!live) return;
      const learnt = { ...listed, ...Object.fromEntries(looked.flat()) };
      if (Object.keys(learnt).length > 0) setFetched((known) => ({ ...known, ...learnt }));
      if (looked.flat().length < asked.length) retry = setTimeout(() => setAttempt((n) => n + 1), RETRY_MS);
    })();
    return () => {
      live = false;
      if (retry) clearTimeout(retry);
    };
  }, [roster, match, fetched, spectateCode, attempt]);

  const known: Record<number, string> = { ...fetched };
  for (const team of ['a', 'b'] as const) for (const p of match?.teams[team].players ?? []) known[p.id] = playerName(p);
  const nameOf = (userId: number) => known[userId] ?? 'a player';
  return {
    nameOf,
    teamName: (team) => (match ? match.teams[team].players.map((p) => nameOf(p.id)) : game.playersOf(team).map(nameOf)),
  };
}

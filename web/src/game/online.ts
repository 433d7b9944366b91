import { useSyncExternalStore } from 'react';
import { GameModel, type GameStatus, type Perspective, type Send } from '@client/game-model.js';
import type { Team } from '@shared/engine/index.js';
import type { MatchObject } from '../api/types';

/** The shared game model as the pages use it: built from a match (or a code to spectate), read from React. */

function teamOf(match: MatchObject, userId: number): Team | null {
  if (match.teams.a.players.some((p) => p.id === userId)) return 'a';
  if (match.teams.b.players.some((p) => p.id === userId)) return 'b';
  return null;
}

/** A player of `match` plays; anybody else, or anybody given a code to spectate, watches. */
export function perspectiveOf(match: MatchObject | null, myId: number, spectateCode?: string): Perspective {
  const myTeam = match ? teamOf(match, myId) : null;
  return myTeam && !spectateCode ? { kind: 'player', myId, myTeam } : { kind: 'spectator' };
}

export function createOnlineGame(match: MatchObject | null, perspective: Perspective, send: Send): GameModel {
  return new GameModel({
    perspective,
    send,
    layout: match?.match_type === '3v3' ? 'clash' : 'normal',
    teams: match ? { a: match.teams.a.players.map((p) => p.id), b: match.teams.b.players.map((p) => p.id) } : null,
  });
}

/** The game's status; the component renders again on each change. */
export function useGameStatus(game: GameModel): GameStatus {
  const read = () => game.status;
  return useSyncExternalStore(game.onChange, read, read);
}

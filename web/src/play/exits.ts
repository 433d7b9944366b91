import { api } from '../api/client';
import { storedLobbyCode, storedTournamentCode } from '../lib/storage';

/**
 * The side effects of leaving a lobby or a tournament page,
 * decided from the new path. Pages that enter a lobby or tournament wait for
 * `exitsDone()` so that a leave is never overtaken by the next join.
 */
let pending: Promise<unknown> = Promise.resolve();

const keepsLobby = (path: string) => path.startsWith('/lobby') || path.startsWith('/game/') || path.startsWith('/spectate/');
const keepsTournament = (path: string) => /^\/tournament\/\d+$/.test(path) || path === '/game/tournament' || path.startsWith('/spectate/');

export function leavePlacesFor(path: string): void {
  const calls: Promise<unknown>[] = [];
  const lobby = storedLobbyCode.load();
  if (lobby && !keepsLobby(path)) {
    storedLobbyCode.clear();
    calls.push(api('DELETE', `/api/play/lobby/${lobby}/`));
  }
  const tournament = storedTournamentCode.load();
  if (tournament && !keepsTournament(path)) {
    storedTournamentCode.clear();
    calls.push(api('DELETE', `/api/play/tournament/${tournament}/`));
  }
  if (calls.length) pending = Promise.allSettled([pending, ...calls]);
}

export function exitsDone(): Promise<unknown> {
  return pending;
}

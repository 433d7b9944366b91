import type { Lobby, LobbyMember, Page, Tournament, TournamentSearchItem } from '../../client/types.js';
import type { ItemOf, MatchObject } from '../../client/types.js';
import type { Api } from '../api.js';

/**
 * The play endpoints the terminal client uses beyond the queues (docs/api.md,
 * docs/events.md): lobbies, tournaments and their computer players, the
 * game against the computer, the live matches. Every failure is the `Api`'s
 * `ApiError`, whose message is the status line text.
 */

export type ComputerLevel = 'easy' | 'medium' | 'hard';
export const COMPUTER_LEVELS: readonly ComputerLevel[] = ['easy', 'medium', 'hard'];
export type LobbyMode = 'custom_game' | 'clash';
export type LobbyTeam = 'a' | 'b' | 'spectator';
export type LiveMatch = ItemOf<'/api/game/live/'>;
export type TournamentSize = 4 | 8 | 16;

const code = (value: string) => encodeURIComponent(value.trim());

export class PlayApi {
  constructor(private readonly api: () => Api) {}

  // --- lobbies ---------------------------------------------------------------------

  createLobby(gameMode: LobbyMode, matchType: '1v1' | '3v3' = '1v1'): Promise<Lobby> {
    return this.api().call('POST', '/api/play/lobby/', gameMode === 'clash' ? { game_mode: 'clash' } : { game_mode: gameMode, match_type: matchType });
  }

  /** The caller's lobby (404 when he is in none). */
  myLobby(): Promise<Lobby> {
    return this.api().call('GET', '/api/play/lobby/');
  }

  joinLobby(lobbyCode: string): Promise<LobbyMember> {
    return this.api().call('POST', `/api/play/lobby/${code(lobbyCode)}/`);
  }

  /** One's own membership: `is_ready`, `team`. */
  updateMembership(lobbyCode: string, change: { is_ready?: boolean; team?: LobbyTeam }): Promise<LobbyMember> {
    return this.api().call('PATCH', `/api/play/lobby/${code(lobbyCode)}/`, change);
  }

  /** The lobby's settings (creator of a custom game): `match_type`, `bot`. */
  updateLobby(change: { match_type?: '1v1' | '3v3'; bot?: boolean }): Promise<Lobby> {
    return this.api().call('PATCH', '/api/play/lobby/', change);
  }

  async leaveLobby(lobbyCode: string): Promise<void> {
    await this.api().call('DELETE', `/api/play/lobby/${code(lobbyCode)}/`);
  }

  // --- tournaments -------------------------------------------------------------------

  createTournament(name: string, size: TournamentSize, isPrivate = false): Promise<Tournament> {
    return this.api().call('POST', '/api/play/tournament/', { name, size, private: isPrivate });
  }

  /** The caller's tournament (404 when he is in none). */
  myTournament(): Promise<Tournament> {
    return this.api().call('GET', '/api/play/tournament/');
  }

  async joinTournament(tournamentCode: string): Promise<void> {
    await this.api().call('POST', `/api/play/tournament/${code(tournamentCode)}/`);
  }

  async leaveTournament(tournamentCode: string): Promise<void> {
    await this.api().call('DELETE', `/api/play/tournament/${code(tournamentCode)}/`);
  }

  /** Seats computer players in empty seats (the creator, before the start); answers the tournament. */
  addTournamentBots(tournamentCode: string, count: number, level: ComputerLevel): Promise<Tournament> {
    return this.api().call('POST', `/api/play/tournament/${code(tournamentCode)}/bots/`, { count, level });
  }

  async removeTournamentBot(tournamentCode: string, userId: number): Promise<void> {
    await this.api().call('DELETE', `/api/play/tournament/${code(tournamentCode)}/bots/${userId}/`);
  }

  /** Open tournaments whose name contains `query` (public ones, and the caller's). */
  async searchTournaments(query: string): Promise<TournamentSearchItem[]> {
    const answer = await this.api().call<TournamentSearchItem[] | Page<TournamentSearchItem>>('GET', `/api/play/tournament/search/?q=${encodeURIComponent(query)}`);
    return Array.isArray(answer) ? answer : answer.results;
  }

  // --- the computer, live matches ------------------------------------------------------

  /** An unranked 1v1 against a computer player at `level`; the game comes with `game-start`. */
  playComputer(level: ComputerLevel): Promise<MatchObject> {
    return this.api().call('POST', '/api/play/computer/', { level });
  }

  /** The first page of the live matches the caller may watch, newest first. */
  liveMatches(limit: number): Promise<Page<LiveMatch>> {
    return this.api().call('GET', `/api/game/live/?limit=${limit}&offset=0`);
  }

  /** A page by its pagination link. */
  page<T>(link: string): Promise<Page<T>> {
    return this.api().page<T>(link);
  }
}

import type { Lobby, LobbyMember } from '../../client/types.js';
import type { LobbyTeam } from './play-api.js';

/**
 * A lobby as the terminal keeps it: the answer of `GET /api/play/lobby/`,
 * then changed by the live events of its members (docs/events.md, Lobbies).
 * Pure functions, no I/O: the controller feeds them, the screen draws them.
 */

/** What became of the lobby after an event: still there (maybe changed), or gone for this user (and why). */
export type LobbyChange =
  | { kind: 'lobby'; lobby: Lobby }
  | { kind: 'gone'; reason: 'banned' | 'destroyed' }
  /** The custom game started and this member is on the bench: he watches it. */
  | { kind: 'spectate'; lobby: Lobby; code: string };

/** Seats per team: 1 in a 1v1, 3 in a 3v3 (a clash lobby is one team of up to 3). */
export const seatsPerTeam = (lobby: Pick<Lobby, 'match_type'>) => (lobby.match_type === '3v3' ? 3 : 1);

/** A member's team: `a`, `b` or `spectator` (the bench), whatever the spelling. */
export function teamOf(member: Pick<LobbyMember, 'team'>): LobbyTeam {
  const team = String(member.team ?? '').toLowerCase();
  if (team === 'a' || team === 'team a') return 'a';
  if (team === 'b' || team === 'team b') return 'b';
  return 'spectator';
}

export function membersOf(lobby: Lobby, team: LobbyTeam): LobbyMember[] {
  return lobby.participants.filter((member) => teamOf(member) === team);
}

/** Applies one live event of the lobby's stream to it. Unknown events change nothing. */
export function applyLobbyEvent(lobby: Lobby, event: string, data: unknown): LobbyChange {
  const record = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const id = typeof record.id === 'number' ? record.id : null;
  switch (event) {
    case 'lobby-join': {
      if (id === null) break;
      const member = record as unknown as LobbyMember;
      return { kind: 'lobby', lobby: { ...lobby, participants: [...lobby.participants.filter((p) => p.id !== id), member] } };
    }
    case 'lobby-leave':
      if (id === null) break;
      return { kind: 'lobby', lobby: { ...lobby, participants: lobby.participants.filter((p) => p.id !== id) } };
    case 'lobby-update-participant': {
      if (id === null) break;
      const { id: _id, ...change } = record;
      return { kind: 'lobby', lobby: { ...lobby, participants: lobby.participants.map((p) => (p.id === id ? { ...p, ...change } as LobbyMember : p)) } };
    }
    case 'lobby-update':
      return { kind: 'lobby', lobby: { ...lobby, ...pick(record, ['match_type', 'bot']) } as Lobby };
    case 'lobby-banned':
      return { kind: 'gone', reason: 'banned' };
    case 'lobby-destroy':
      return { kind: 'gone', reason: 'destroyed' };
    case 'lobby-spectate-game':
      if (typeof record.code === 'string') return { kind: 'spectate', lobby: { ...lobby, game_playing: record.code }, code: record.code };
      break;
    default:
  }
  return { kind: 'lobby', lobby };
}

function pick(record: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => key in record).map((key) => [key, record[key]]));
}

/** My membership in the lobby, if any. */
export const meIn = (lobby: Lobby, myId: number | undefined) => lobby.participants.find((p) => p.id === myId) ?? null;

/** Whether `myId` created the lobby (the creator changes its settings). */
export const isCreator = (lobby: Lobby, myId: number | undefined) => meIn(lobby, myId)?.creator === true;

/**
 * Why the game has not started yet, in a sentence (null: everything is in place, it is starting).
 * A custom game starts when both teams are full (or computer players take the free seats) and every
 * player in them is ready; a clash lobby enters the public pool once all its members are ready.
 */
export function waitingFor(lobby: Lobby): string | null {
  if (lobby.game_playing) return null;
  if (lobby.game_mode === 'clash') {
    const notReady = lobby.participants.filter((p) => !p.is_ready).length;
    if (notReady > 0) return `Waiting for ${notReady} player${notReady === 1 ? '' : 's'} to be ready; then the team looks for opponents in the clash pool.`;
    return 'Everyone is ready: looking for opponents in the clash pool…';
  }
  const size = seatsPerTeam(lobby);
  const players = [...membersOf(lobby, 'a'), ...membersOf(lobby, 'b')];
  const free = 2 * size - players.length;
  const notReady = players.filter((p) => !p.is_ready).length;
  if (players.length === 0) return 'Nobody is in a team yet: take a seat in team A or B.';
  if (free > 0 && !lobby.bot) return `${free} free seat${free === 1 ? '' : 's'}: waiting for players (or computer players: creator's g).`;
  if (notReady > 0) return `Waiting for ${notReady} player${notReady === 1 ? '' : 's'} to be ready.`;
  return 'Everyone is ready: the game starts…';
}

/** "Computer (medium)" for a computer player, the name otherwise. */
export function playerName(player: { username?: string; computer?: string | null } | null | undefined): string {
  if (!player) return '—';
  if (player.computer) return `Computer (${player.computer})`;
  return player.username ?? 'a deleted player';
}

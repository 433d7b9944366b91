import { randomInt } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { ApiError, conflict, forbidden, methodNotAllowed, notFound } from '../../platform/http/errors.js';
import type { UserRow } from '../../platform/http/request-context.js';
import type { EventsService } from '../events/service.js';
import type { MatchRecord } from '../matches/model.js';
import type { NewMatchInput } from '../matches/validation.js';
import type { Activities, ActivityParticipant, DropReason } from '../play/activity.js';
import type { UsersService } from '../users/service.js';
import type { ComputerPlayers } from '../computer/players.js';
import { DEFAULT_COMPUTER_LEVEL } from '../computer/messages.js';
import {
  CLASH_CAPACITY, CODE_ATTEMPTS, CUSTOM_CAPACITY, inviteEventOf, LobbyMessages as M, teamSize, type LobbyTeam,
} from './messages.js';
import type { LobbyRepo, LobbyRow, MemberRow } from './repo.js';
import { parseContent, parseCreate, parseMembership, parseSettings } from './validation.js';
import { Outbox } from '../events/outbox.js';

export interface LobbyDeps {
  repo: LobbyRepo;
  clock: Clock;
  users: UsersService;
  events: EventsService;
  activities: Activities;
  /** Friendship and blocks, through their features. */
  social: {
    areFriends(a: number, b: number): Promise<boolean>;
    hasBlocked(blocker: number, blocked: number): Promise<boolean>;
  };
  /** The matches feature: stores the match and sends `game-start` to its players. */
  createMatch(input: NewMatchInput): Promise<MatchRecord>;
  bots: ComputerPlayers;
}


type Pool = Array<{ lobby: LobbyRow; members: MemberRow[] }>;

/**
 * Whether a lobby is ready: a clash lobby when every member is ready; a custom
 * game when both teams are full and every player in them is ready (with the
 * bot flag, computer players take the seats no member holds).
 */
export function isLobbyReady(lobby: Pick<LobbyRow, 'game_mode' | 'match_type' | 'bot'>, members: Pick<MemberRow, 'team' | 'is_ready'>[]): boolean {
  if (lobby.game_mode === 'clash') return members.length > 0 && members.every((m) => m.is_ready === 1);
  const size = teamSize(lobby.match_type);
  const a = members.filter((m) => m.team === 'a');
  const b = members.filter((m) => m.team === 'b');
  if (![...a, ...b].every((m) => m.is_ready === 1)) return false;
  if (lobby.bot === 1) return a.length + b.length > 0 && a.length <= size && b.length <= size;
  return a.length === size && b.length === size;
}

const ids = (members: Pick<MemberRow, 'user_id'>[]) => members.map((m) => m.user_id);

/**
 * Lobbies: clash lobbies of up to 3 that are
 * matched against each other, custom games of 1v1 or 3v3 with spectators.
 * Every change runs in one transaction holding the lobby's row lock
 * (PostgreSQL) and sends its events, in order, once committed.
 */
export class LobbyService implements ActivityParticipant {
  readonly name = 'lobby';
  readonly rank = 30;
  private playingMembersListeners: Array<() => void> = [];

  constructor(private readonly deps: LobbyDeps) {}

  /** Told once somebody joined or left a lobby that is playing its game (who may see the game: the live list). */
  onPlayingMembersChanged(listener: () => void): void {
    this.playingMembersListeners.push(listener);
  }

  private playingMembersChanged(lobby: Pick<LobbyRow, 'game_playing'>): void {
    if (!lobby.game_playing) return;
    for (const listener of this.playingMembersListeners) {
      try {
        listener();
      } catch {
        // The membership is committed; a listener's failure changes nothing to it.
      }
    }
  }

  // --- representations ---------------------------------------------------

  private async cards(members: MemberRow[]): Promise<Map<number, UserRow>> {
    const rows = await this.deps.users.findManyByIds(ids(members));
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** A lobby member as the API shows it: SmallUser + `creator`, `join_at`, `is_ready`, and `team` in a custom game. */
  private memberView(lobby: Pick<LobbyRow, 'game_mode'>, member: MemberRow, user: Pick<UserRow, 'id' | 'username' | 'profile_picture_id'> | undefined) {
    const small = user ? this.deps.users.smallUser(user) : { id: member.user_id, username: null, profile_picture: null };
    return {
      ...small,
      creator: member.creator === 1,
      join_at: member.join_at,
      is_ready: member.is_ready === 1,
      ...(lobby.game_mode === 'custom_game' ? { team: member.team as LobbyTeam } : {}),
    };
  }

  /** A lobby as the API shows it, `is_full` and `bot` included. Members unknown to the user directory are left out. */
  async lobbyView(lobby: LobbyRow, given?: MemberRow[]) {
    const members = given ?? (await this.deps.repo.members(lobby.id));
    const users = await this.cards(members);
    return {
      id: lobby.id,
      code: lobby.code,
      participants: members.filter((m) => users.has(m.user_id)).map((m) => this.memberView(lobby, m, users.get(m.user_id))),
      is_full: members.length >= lobby.max_participants,
      max_participants: lobby.max_participants,
      created_at: lobby.created_at,
      game_mode: lobby.game_mode,
      match_type: lobby.match_type,
      is_ready: isLobbyReady(lobby, members),
      game_playing: lobby.game_playing,
      bot: lobby.bot === 1,
    };
  }

  // --- queries other features use -----------------------------------------

  /** The lobby the user is a member of, if any. */
  async lobbyOf(userId: number): Promise<LobbyRow | undefined> {
    const member = await this.deps.repo.membershipOf(userId);
    return member ? this.deps.repo.findById(member.lobby_id) : undefined;
  }

  // --- endpoints ------------------------------------------------------------

  /** Creates a lobby under a fresh 4-digit code, the caller its creator and only member. */
  async create(caller: UserRow, body: Record<string, unknown>) {
    const input = parseCreate(body);
    await this.deps.activities.enter(caller.id, 'lobby-create');
    const clash = input.game_mode === 'clash';
    const now = isoAt(this.deps.clock.now());
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      const code = String(randomInt(0, 10_000)).padStart(4, '0');
      if (await this.deps.repo.codeTaken(code)) continue;
      try {
        const { lobby, member } = await this.deps.repo.transaction(async (trx) => {
          const lobby = await this.deps.repo.insertLobby(trx, {
            code,
            game_mode: input.game_mode,
            match_type: clash ? '3v3' : (input.match_type ?? '1v1'),
            max_participants: clash ? CLASH_CAPACITY : CUSTOM_CAPACITY,
            created_at: now,
            bot: !clash && input.bot ? 1 : 0,
          });
          const member = await this.deps.repo.insertMember(trx, {
            lobby_id: lobby.id, user_id: caller.id, creator: 1, is_guest: caller.is_guest, is_ready: 0, team: clash ? null : 'a', join_at: now,
          });
          return { lobby, member };
        });
        return this.lobbyView(lobby, [member]);
      } catch (error) {
        // A code taken meanwhile: draw again. The caller joining elsewhere meanwhile: 429 (a lost unique-key race).
        if (!isUniqueViolation(error) || (await this.deps.repo.membershipOf(caller.id))) throw error;
      }
    }
    throw new ApiError(500, { detail: M.codeGenerationFailed });
  }

  /** The caller's lobby. */
  async mine(caller: UserRow) {
    const lobby = await this.lobbyOf(caller.id);
    if (!lobby) throw notFound(M.noLobby);
    return this.lobbyView(lobby);
  }

  /** `PATCH`/`PUT /api/play/lobby/`: the creator changes `match_type` (and `bot`). */
  async updateSettings(caller: UserRow, body: Record<string, unknown>, method: string) {
    const member = await this.deps.repo.membershipOf(caller.id);
    const current = member && (await this.deps.repo.findById(member.lobby_id));
    if (!member || !current) throw notFound(M.noLobby);
    if (member.creator !== 1) throw forbidden(M.onlyCreatorUpdates);
    if (current.game_mode === 'clash') throw methodNotAllowed(method);
    const input = parseSettings(body, method);
    if (current.game_playing) throw forbidden(M.playing);
    const out = new Outbox();
    const lobby = await this.deps.repo.transaction(async (trx) => {
      const lobby = await this.deps.repo.lock(trx, current.id);
      if (!lobby) throw notFound(M.noLobby);
      const members = await this.deps.repo.members(lobby.id, trx);
      const everyone = ids(members);
      if (input.match_type === '1v1' && lobby.match_type === '3v3') {
        for (const team of ['a', 'b'] as const) {
          for (const moved of members.filter((m) => m.team === team).slice(1)) {
            await this.deps.repo.updateMember(trx, moved.id, { team: 'spectator', is_ready: 0 });
            out.push(everyone, 'lobby-update-participant', { team: 'spectator', ...(moved.is_ready === 1 ? { is_ready: false } : {}), id: moved.user_id });
          }
        }
      }
      const change = { ...(input.match_type ? { match_type: input.match_type } : {}), ...(input.bot !== undefined ? { bot: input.bot ? 1 : 0 } : {}) };
      if (Object.keys(change).length > 0) await this.deps.repo.updateLobby(trx, lobby.id, change);
      out.push(everyone.filter((id) => id !== caller.id), 'lobby-update', input);
      return { ...lobby, ...change };
    });
    await out.flush(this.deps.events);
    return this.lobbyView(lobby);
  }

  /** Joins the lobby with this code; answers the new participant. */
  async join(caller: UserRow, code: string) {
    const lobby = await this.deps.repo.findByCode(code);
    if (!lobby) throw notFound(M.lobbyNotFound);
    const mine = await this.deps.repo.membershipOf(caller.id);
    if (mine?.lobby_id === lobby.id) throw conflict(M.alreadyJoined);
    if (await this.deps.repo.isBanned(lobby.id, caller.id)) throw notFound(M.lobbyNotFound);
    const members = await this.deps.repo.members(lobby.id);
    const creator = members.find((m) => m.creator === 1);
    if (creator && (await this.blockBetween(creator.user_id, caller.id))) throw notFound(M.lobbyNotFound);
    if (members.length >= lobby.max_participants) throw forbidden(M.full);
    await this.deps.activities.enter(caller.id, 'lobby-join');

    const out = new Outbox();
    const { fresh, member } = await this.deps.repo.transaction(async (trx) => {
      const fresh = await this.deps.repo.lock(trx, lobby.id);
      if (!fresh) throw notFound(M.lobbyNotFound);
      const present = await this.deps.repo.members(fresh.id, trx);
      if (present.length >= fresh.max_participants) throw forbidden(M.full);
      let team: LobbyTeam | null = null;
      if (fresh.game_mode === 'custom_game') {
        const size = teamSize(fresh.match_type);
        team = (['a', 'b'] as const).find((t) => present.filter((m) => m.team === t).length < size) ?? 'spectator';
      }
      const member = await this.deps.repo.insertMember(trx, {
        lobby_id: fresh.id, user_id: caller.id, creator: 0, is_guest: caller.is_guest, is_ready: 0, team, join_at: isoAt(this.deps.clock.now()),
      });
      // A clash lobby waiting in the pool leaves it with a newcomer who is not ready.
      if (fresh.ready === 1 && !isLobbyReady(fresh, [...present, member])) await this.deps.repo.updateLobby(trx, fresh.id, { ready: 0 });
      out.push(ids(present), 'lobby-join', this.memberView(fresh, member, caller), { username: caller.id });
      return { fresh, member };
    });
    this.playingMembersChanged(fresh);
    await out.flush(this.deps.events);
    return this.memberView(fresh, member, caller);
  }

  /** Updates the caller's own membership (`team`, `is_ready`); answers the participant with the values just written. */
  async updateMembership(caller: UserRow, code: string, body: Record<string, unknown>) {
    const lobby = await this.deps.repo.findByCode(code);
    const mine = await this.deps.repo.membershipOf(caller.id);
    if (!lobby || mine?.lobby_id !== lobby.id) throw forbidden(M.notMember);
    const input = parseMembership(body);
    const out = new Outbox();
    const result = await this.deps.repo.transaction(async (trx) => {
      const fresh = await this.deps.repo.lock(trx, lobby.id);
      const members = fresh ? await this.deps.repo.members(fresh.id, trx) : [];
      const me = members.find((m) => m.user_id === caller.id);
      if (!fresh || !me) throw forbidden(M.notMember);
      if (fresh.game_playing) throw forbidden(M.playing);
      if (input.team !== undefined) {
        if (fresh.game_mode === 'clash') throw forbidden(M.clashTeam);
        if (input.team === me.team) throw conflict(M.sameTeam);
        if (input.team !== 'spectator' && members.filter((m) => m.team === input.team).length >= teamSize(fresh.match_type)) throw forbidden(M.teamFull);
      }
      if (input.is_ready !== undefined && (me.team === 'spectator' || input.team === 'spectator')) throw forbidden(M.spectatorReady);
      const change = {
        ...(input.team !== undefined ? { team: input.team } : {}),
        ...(input.is_ready !== undefined ? { is_ready: input.is_ready ? 1 : 0 } : {}),
      };
      if (Object.keys(change).length > 0) await this.deps.repo.updateMember(trx, me.id, change);
      const updated: MemberRow = { ...me, ...change };
      out.push(ids(members).filter((id) => id !== caller.id), 'lobby-update-participant', { ...input, id: caller.id });
      const ready = isLobbyReady(fresh, members.map((m) => (m.id === me.id ? updated : m)));
      if (ready !== (fresh.ready === 1)) await this.deps.repo.updateLobby(trx, fresh.id, { ready: ready ? 1 : 0 });
      return { lobby: fresh, member: updated, ready };
    });
    await out.flush(this.deps.events);
    if (result.ready) {
      if (result.lobby.game_mode === 'custom_game') await this.startCustom(result.lobby.id);
      else await this.assembleClash(result.lobby.id);
    }
    return this.memberView(result.lobby, result.member, caller);
  }

  /** Leaves the lobby. */
  async leave(caller: UserRow, code: string): Promise<void> {
    const lobby = await this.deps.repo.findByCode(code);
    if (!lobby || !(await this.removeMember(caller.id, { lobbyId: lobby.id }))) throw forbidden(M.notMember);
  }

  /** Bans a member (creator only): recorded ban, `lobby-banned` to the banned user, then his removal. */
  async ban(caller: UserRow, code: string, userId: number): Promise<void> {
    if (userId === caller.id) throw forbidden(M.banSelf);
    const lobby = await this.deps.repo.findByCode(code);
    if (!lobby) throw forbidden(M.notMember);
    const mine = await this.deps.repo.membershipOf(caller.id);
    if (mine?.lobby_id !== lobby.id) throw forbidden(M.notMember);
    if (mine.creator !== 1) throw forbidden(M.onlyCreatorBans);
    const target = await this.deps.repo.membershipOf(userId);
    if (target?.lobby_id !== lobby.id) throw notFound(M.targetNotMember);
    if (!(await this.removeMember(userId, { lobbyId: lobby.id, banned: true, recordBan: true }))) throw notFound(M.targetNotMember);
  }

  /** Invites a friend to the lobby (creator only): he gets the lobby's invitation event. */
  async invite(caller: UserRow, code: string, userId: number): Promise<void> {
    if (userId === caller.id) throw forbidden(M.inviteSelf);
    const lobby = await this.deps.repo.findByCode(code);
    if (!lobby) throw forbidden(M.notMember);
    const mine = await this.deps.repo.membershipOf(caller.id);
    if (mine?.lobby_id !== lobby.id) throw forbidden(M.notMember);
    if (mine.creator !== 1) throw forbidden(M.onlyCreatorInvites);
    if ((await this.deps.repo.membershipOf(userId))?.lobby_id === lobby.id) throw conflict(M.targetInside);
    if (!(await this.deps.social.areFriends(caller.id, userId))) throw forbidden(M.onlyFriends);
    await this.deps.events.notify([userId], inviteEventOf(lobby.game_mode, lobby.match_type), { id: caller.id, code: lobby.code }, { username: caller.id });
  }

  /** A message to the lobby: not stored, pushed to the other members. */
  async message(caller: UserRow, code: string, body: Record<string, unknown>) {
    const content = parseContent(body);
    const lobby = await this.deps.repo.findByCode(code);
    const mine = await this.deps.repo.membershipOf(caller.id);
    if (!lobby || mine?.lobby_id !== lobby.id) throw forbidden(M.notMember);
    const others = ids(await this.deps.repo.members(lobby.id)).filter((id) => id !== caller.id);
    await this.deps.events.notify(others, 'lobby-message', {}, { username: caller.id, message: content });
    return { id: caller.id, content };
  }

  // --- triggers from other features ------------------------------------------

  /** A block between two members of one lobby removes the creator's counterpart (no ban recorded). */
  async userBlocked(blockerId: number, blockedId: number): Promise<void> {
    const blocker = await this.deps.repo.membershipOf(blockerId);
    const blocked = await this.deps.repo.membershipOf(blockedId);
    if (!blocker || !blocked || blocker.lobby_id !== blocked.lobby_id) return;
    const removed = blocker.creator === 1 ? blockedId : blocked.creator === 1 ? blockerId : null;
    if (removed !== null) await this.removeMember(removed, { lobbyId: blocker.lobby_id, banned: true });
  }

  /**
   * The game of a clash or custom lobby ended (or was discarded): its lobbies can start again. A member
   * whose stream closed during the game stayed for it (`drop`); now it is over he leaves, as he would have
   * from a lobby waiting: otherwise he holds his seat, never ready, and the lobby cannot start again.
   */
  async matchEnded(match: Pick<MatchRecord, 'id'>): Promise<void> {
    for (const lobbyId of await this.deps.repo.clearPlaying(match.id)) {
      const members = await this.deps.repo.members(lobbyId);
      const offline = await this.deps.users.idsWithPresence(members.map((m) => m.user_id), false);
      for (const userId of offline) await this.removeMember(userId, { lobbyId, unlessPlaying: true });
    }
  }

  /** The "one activity at a time" rule: entering another activity ends the caller's membership as by a leave. */
  async release(userId: number): Promise<void> {
    if (await this.deps.repo.membershipOf(userId)) await this.removeMember(userId, {});
  }

  /** The user went offline or his account is gone; a user whose stream closed stays in a lobby that is playing (only not-started lobbies are left). */
  async drop(userId: number, reason: DropReason): Promise<void> {
    if (!(await this.deps.repo.membershipOf(userId))) return;
    await this.removeMember(userId, { unlessPlaying: reason === 'offline' });
  }

  // --- rules -------------------------------------------------------------------

  private async blockBetween(a: number, b: number): Promise<boolean> {
    return (await this.deps.social.hasBlocked(a, b)) || (await this.deps.social.hasBlocked(b, a));
  }

  /**
   * Member removal, in one transaction: `lobby-banned` first when it is
   * a ban, `lobby-leave` to the others, then the creator hand-over to the
   * earliest-joined registered member, or `lobby-destroy` to the remaining
   * guests and the lobby's deletion. Answers false when the user was not a
   * member (of `lobbyId`, when given).
   */
  private async removeMember(userId: number, options: { lobbyId?: number; banned?: boolean; recordBan?: boolean; unlessPlaying?: boolean }): Promise<boolean> {
    const out = new Outbox();
    let from: LobbyRow | null = null;
    const removed = await this.deps.repo.transaction(async (trx) => {
      const first = await this.deps.repo.membershipOf(userId, trx);
      if (!first || (options.lobbyId !== undefined && first.lobby_id !== options.lobbyId)) return false;
      const lobby = await this.deps.repo.lock(trx, first.lobby_id);
      const member = await this.deps.repo.membershipOf(userId, trx);
      if (!lobby || !member || member.lobby_id !== lobby.id) return false;
      if (options.unlessPlaying && lobby.game_playing) return false;
      if (options.recordBan) await this.deps.repo.ban(trx, lobby.id, userId);
      if (options.banned) out.push([userId], 'lobby-banned');
      await this.removeInTransaction(trx, lobby, member, out);
      from = lobby;
      return true;
    });
    if (from) this.playingMembersChanged(from);
    await out.flush(this.deps.events);
    return removed;
  }

  private async removeInTransaction(trx: Transaction<Database>, lobby: LobbyRow, member: MemberRow, out: Outbox): Promise<void> {
    const others = (await this.deps.repo.members(lobby.id, trx)).filter((m) => m.id !== member.id);
    out.push(ids(others), 'lobby-leave', { id: member.user_id }, { username: member.user_id });
    await this.deps.repo.deleteMember(trx, member.id);
    if (member.creator !== 1) return;
    const heir = others.find((m) => m.is_guest !== 1);
    if (heir) {
      await this.deps.repo.updateMember(trx, heir.id, { creator: 1 });
      out.push(ids(others), 'lobby-update-participant', { creator: true, id: heir.user_id });
      return;
    }
    out.push(ids(others), 'lobby-destroy');
    await this.deps.repo.deleteLobby(trx, lobby.id);
  }

  /**
   * Starts a ready custom game: it is claimed (its ready flag cleared) so that
   * one request starts it; the match is created with Team A and Team B —
   * empty seats taken by bots when the lobby asks for them —, then the lobby
   * plays it and the spectators get `lobby-spectate-game`. A refused
   * creation leaves the lobby unstarted, silently.
   */
  private async startCustom(lobbyId: number): Promise<void> {
    const claim = await this.deps.repo.transaction(async (trx) => {
      const lobby = await this.deps.repo.lock(trx, lobbyId);
      if (!lobby || lobby.game_playing || lobby.ready !== 1) return null;
      const members = await this.deps.repo.members(lobbyId, trx);
      if (!isLobbyReady(lobby, members)) return null;
      await this.deps.repo.updateLobby(trx, lobbyId, { ready: 0 });
      return { lobby, members };
    });
    if (!claim) return;
    const { lobby, members } = claim;
    const size = teamSize(lobby.match_type);
    const a = ids(members.filter((m) => m.team === 'a'));
    const b = ids(members.filter((m) => m.team === 'b'));
    const bots = lobby.bot === 1 ? await this.deps.bots.reserve(2 * size - a.length - b.length) : [];
    // Lobby bots play at the default level (bots.launch): the match records it on their seats.
    const seats = (team: number[], from: number) => [
      ...team.map((id) => ({ id })), ...bots.slice(from, from + size - team.length).map((id) => ({ id, computer: DEFAULT_COMPUTER_LEVEL })),
    ];
    let match: MatchRecord;
    try {
      match = await this.deps.createMatch({ game_mode: 'custom_game', teams: { a: seats(a, 0), b: seats(b, size - a.length) } });
    } catch {
      this.deps.bots.release(bots);
      return;
    }
    this.deps.bots.release(bots);
    await this.deps.repo.transaction((trx) => this.deps.repo.markPlaying(trx, [lobbyId], match.code!, match.id));
    this.deps.bots.launch(bots);
    const spectators = ids(members.filter((m) => m.team === 'spectator'));
    await this.deps.events.notify(spectators, 'lobby-spectate-game', { code: match.code });
  }

  /**
   * Assembles a clash match: team A = the lobby that became ready; each team is filled from the
   * pool with the biggest lobby that fits and has no block with the team's
   * players. The plan is made outside any transaction (blocks are read
   * through the blocking feature), then claimed in one transaction that
   * checks the chosen lobbies did not change; a lost race plans again.
   */
  private async assembleClash(lobbyId: number): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const pool = await this.deps.repo.transaction((trx) => this.deps.repo.pool(trx));
      const plan = await this.planClash(lobbyId, pool);
      if (!plan) return;
      const chosen = pool.filter((p) => plan.lobbies.includes(p.lobby.id));
      const claimed = await this.deps.repo.transaction(async (trx) => {
        await this.deps.repo.lockClashPool(trx);
        for (const { lobby, members } of chosen) {
          const fresh = await this.deps.repo.lock(trx, lobby.id);
          const now = await this.deps.repo.members(lobby.id, trx);
          const same = now.length === members.length && now.every((m, i) => m.user_id === members[i].user_id && m.is_ready === 1);
          if (!fresh || fresh.ready !== 1 || fresh.game_playing || !same) return false;
        }
        for (const { lobby } of chosen) await this.deps.repo.updateLobby(trx, lobby.id, { ready: 0 });
        return true;
      });
      if (!claimed) continue;
      let match: MatchRecord;
      try {
        match = await this.deps.createMatch({ game_mode: 'clash', teams: { a: plan.a.map((id) => ({ id })), b: plan.b.map((id) => ({ id })) } });
      } catch {
        // A refused match changes nothing: the lobbies go back to the pool.
        await this.deps.repo.transaction(async (trx) => {
          for (const { lobby } of chosen) {
            const fresh = await this.deps.repo.lock(trx, lobby.id);
            if (fresh && !fresh.game_playing) await this.deps.repo.updateLobby(trx, lobby.id, { ready: 1 });
          }
        });
        return;
      }
      await this.deps.repo.transaction((trx) => this.deps.repo.markPlaying(trx, plan.lobbies, match.code!, match.id));
      return;
    }
  }

  private async planClash(lobbyId: number, pool: Pool): Promise<{ a: number[]; b: number[]; lobbies: number[] } | null> {
    const start = pool.find((p) => p.lobby.id === lobbyId);
    if (!start || start.members.length === 0 || start.members.length > CLASH_CAPACITY) return null;
    const used = new Set([lobbyId]);
    const known = new Map<string, boolean>();
    const blocked = async (x: number, y: number) => {
      const key = x < y ? `${x}:${y}` : `${y}:${x}`;
      if (!known.has(key)) known.set(key, await this.blockBetween(x, y));
      return known.get(key)!;
    };
    const fill = async (team: number[]): Promise<boolean> => {
      while (team.length < CLASH_CAPACITY) {
        let best: Pool[number] | null = null;
        for (const candidate of pool) {
          const size = candidate.members.length;
          if (used.has(candidate.lobby.id) || size === 0 || size > CLASH_CAPACITY - team.length) continue;
          if (best && size <= best.members.length) continue;
          if (!candidate.members.every((m) => m.is_ready === 1)) continue;
          let clean = true;
          for (const m of candidate.members) for (const p of team) if (clean && (await blocked(m.user_id, p))) clean = false;
          if (clean) best = candidate;
        }
        if (!best) return false;
        used.add(best.lobby.id);
        team.push(...ids(best.members));
      }
      return true;
    };
    const a = ids(start.members);
    if (!(await fill(a))) return null;
    const b: number[] = [];
    if (!(await fill(b))) return null;
    return { a, b, lobbies: [...used] };
  }
}

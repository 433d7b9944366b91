import { randomInt } from 'node:crypto';
import type { Clock, TimerHandle } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import { ApiError, badRequest, conflict, forbidden, notFound, throttled } from '../../platform/http/errors.js';
import type { UserRow } from '../../platform/http/request-context.js';
import type { EventsService } from '../events/service.js';
import type { MatchRecord } from '../matches/model.js';
import type { NotPlayedInput, TournamentArchive } from '../matches/service.js';
import type { NewMatchInput } from '../matches/validation.js';
import type { Activities, ActivityIntent, ActivityParticipant, DropReason } from '../play/activity.js';
import { PlayMessages } from '../play/messages.js';
import type { UsersService } from '../users/service.js';
import type { BotLevel } from '../../game/bot/index.js';
import {
  FIRST_COUNTER, firstRound, launchKindOf, nextRoundPairs, seedOrder, stagesFor, startThreshold, STAGE_LABELS,
} from './bracket.js';
import {
  BRACKET_DELAY_MS, CODE_ATTEMPTS, DEADLINE_POLL_MS, finishReasonSuffix, NO_GAME_SCORE, RESUME_LAUNCH_DELAY_MS, ROUND_DELAY_MS, START_COUNTDOWN_MS,
  TournamentMessages as M, WALKOVER_SCORE,
} from './messages.js';
import type { BracketRow, DeadlineKind, RecordRow, Snapshot, TournamentRepo, TournamentRow } from './repo.js';
import { parseContent, parseCreate, throwIfAny } from './validation.js';
import { Outbox } from '../events/outbox.js';

export interface TournamentDeps {
  repo: TournamentRepo;
  clock: Clock;
  users: UsersService;
  events: EventsService;
  activities: Activities;
  /** Friendship and blocks, through their features. */
  social: {
    areFriends(a: number, b: number): Promise<boolean>;
    hasBlocked(blocker: number, blocked: number): Promise<boolean>;
  };
  /** The matches feature: games, "not played" matches, the archive. */
  matches: {
    createMatch(input: NewMatchInput): Promise<MatchRecord>;
    recordNotPlayed(input: NotPlayedInput): Promise<unknown>;
    archiveTournament(input: TournamentArchive): Promise<unknown>;
    findMatch(id: number): Promise<MatchRecord | null>;
  };
  /** The winner's `tournament_wins` and pictures. */
  stats: { recordTournamentWin(winnerId: number): Promise<void> };
  /** One node alone on its database: a restart may reset launches it had in flight. */
  singleNode: boolean;
  /** Starts the computer players of a game this node just created (the bot accounts seated by bots.ts). */
  players?: { launch(botIds: number[], level: BotLevel): void };
  random?: () => number;
}


type Card = { id: number; username: string; profile_picture: unknown };
type Cards = Map<number, Card>;

/** How a bracket match was decided: a game, a bye or walkover, or no game. */
type Outcome =
  | { kind: 'game'; winner: number; loser: number; scoreWinner: number; scoreLooser: number; reason: string }
  | { kind: 'walkover'; winner: number }
  | { kind: 'no-game' };

const connectedIds = (records: RecordRow[]) => records.filter((r) => r.connected === 1).map((r) => r.user_id);
/** A computer player's seat shows its level (`computer`); a person's has no such key. */
const computerOf = (record: Pick<RecordRow, 'bot_level'>) => (record.bot_level ? { computer: record.bot_level } : {});

/**
 * Tournaments: sign-up, the countdown, the
 * seeded bracket, rounds opened as results arrive, walkovers, the end.
 * Every state change runs in one transaction holding the tournament's row
 * lock (PostgreSQL) and sends its events, in order, once committed. The
 * three waits (20 s countdown, 3 s before the first games, 3 s between
 * rounds) are deadlines stored with the tournament: the node that set one
 * arms a timer on the injected clock, every node polls for due ones once a
 * second, and the one whose conditional UPDATE clears it acts — once, even
 * with several nodes, and after a restart.
 */
export class TournamentService implements ActivityParticipant {
  readonly name = 'tournament';
  readonly rank = 10;
  private readonly timers = new Map<number, TimerHandle>();
  private readonly inflight = new Set<Promise<unknown>>();
  private poll: TimerHandle | null = null;
  private sweeping = false;
  private stopped = false;
  private readonly random: () => number;
  private openListeners: Array<() => void> = [];

  constructor(private readonly deps: TournamentDeps) {
    this.random = deps.random ?? Math.random;
  }

  /** Told once the set of tournaments not started yet changed (created, started, deleted): the activity counts. */
  onOpenChanged(listener: () => void): void {
    this.openListeners.push(listener);
  }

  private openChanged(): void {
    for (const listener of this.openListeners) {
      try {
        listener();
      } catch {
        // The change is committed; a listener's failure changes nothing to it.
      }
    }
  }

  // --- representations ---------------------------------------------------------

  private async cards(userIds: number[]): Promise<Cards> {
    if (userIds.length === 0) return new Map();
    const rows = await this.deps.users.findManyByIds([...new Set(userIds)]);
    return new Map(rows.map((row) => [row.id, this.deps.users.smallUser(row) as Card]));
  }

  /** TournamentParticipant merged with the SmallUser (the join answer and the `tournament-join` data). */
  private participantView(tournament: Pick<TournamentRow, 'id'>, record: RecordRow, card: Card | undefined) {
    return {
      ...(card ?? { id: record.user_id, username: null, profile_picture: null }),
      tournament: tournament.id,
      stage: record.stage_id,
      seed: record.seed,
      still_in: record.still_in === 1,
      creator: record.creator === 1,
      join_at: record.join_at,
      ...computerOf(record),
    };
  }

  /**
   * A tournament as the API shows it: `is_started`,
   * `participants` always, `matches` once started. `overrides` shows records
   * as they were just before a result was applied (for `tournament-match-finish`).
   */
  private tournamentView(snapshot: Snapshot, cards: Cards, overrides = new Map<number, Partial<RecordRow>>(), liveScores = new Map<number, { a: number; b: number }>()) {
    const { tournament: t, stages, matches } = snapshot;
    const records = snapshot.records.map((r) => ({ ...r, ...overrides.get(r.user_id) }));
    const byUser = new Map(records.map((r) => [r.user_id, r]));
    const view: Record<string, unknown> = {
      id: t.id,
      code: t.code,
      name: t.name,
      participants: records.filter((r) => cards.has(r.user_id)).map((r) => ({ ...cards.get(r.user_id)!, creator: r.creator === 1, join_at: r.join_at, ...computerOf(r) })),
      size: t.size,
      private: t.private === 1,
      is_started: t.started === 1,
      start_at: t.start_at,
      created_at: t.created_at,
      created_by: t.created_by,
    };
    if (t.started === 1) {
      const player = (userId: number | null) => {
        const record = userId === null ? undefined : byUser.get(userId);
        const card = userId === null ? undefined : cards.get(userId);
        return record && card ? this.participantView(t, record, card) : null;
      };
      const rounds: Record<string, unknown[]> = {};
      for (const label of STAGE_LABELS) {
        const stage = stages.find((s) => s.label === label);
        if (!stage) continue;
        rounds[label] = matches.filter((m) => m.stage_id === stage.id).sort((a, b) => a.n - b.n).map((m) => {
          const live = m.finished === 0 && m.match_id !== null ? liveScores.get(m.match_id) : undefined;
          return {
            id: m.id,
            n: m.n,
            match_code: m.match_code,
            ...(m.match_id !== null ? { match_id: m.match_id } : {}),
            // user_1 plays team a, user_2 team b.
            ...(live ? { live_score: { user_1: live.a, user_2: live.b } } : {}),
            ...(m.winner !== null ? { winner: m.winner } : {}),
            score_winner: m.score_winner,
            score_looser: m.score_looser,
            finish_reason: m.finish_reason,
            finished: m.finished === 1,
            user_1: player(m.user_1),
            user_2: player(m.user_2),
          };
        });
      }
      view.matches = rounds;
    }
    return view;
  }

  private async viewOf(snapshot: Snapshot, overrides?: Map<number, Partial<RecordRow>>) {
    return this.tournamentView(snapshot, await this.cards(snapshot.records.map((r) => r.user_id)), overrides);
  }

  /** What GET answers: the games being played carry their score so far (`live_score`; events do not). */
  private async currentView(tournamentId: number) {
    const snapshot = await this.deps.repo.snapshot(tournamentId);
    if (!snapshot) throw notFound(M.noTournament);
    const playing = snapshot.matches.filter((m) => m.finished === 0 && m.match_id !== null).map((m) => m.match_id!);
    const [cards, liveScores] = await Promise.all([this.cards(snapshot.records.map((r) => r.user_id)), this.deps.repo.liveScores(playing)]);
    return this.tournamentView(snapshot, cards, undefined, liveScores);
  }

  // --- endpoints -----------------------------------------------------------------

  /** Creates a tournament under a fresh 4-digit code, the caller its creator and first participant. */
  async create(caller: UserRow, body: Record<string, unknown>) {
    const { input, errors } = parseCreate(body);
    if (input.name !== undefined && (await this.deps.repo.nameTaken(input.name))) errors.name = [M.nameTaken];
    throwIfAny(errors);
    const { name, size } = input as { name: string; size: number };
    await this.deps.activities.enter(caller.id, 'tournament-create');
    const now = isoAt(this.deps.clock.now());
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      const code = String(randomInt(0, 10_000)).padStart(4, '0');
      if (await this.deps.repo.codeTaken(code)) continue;
      try {
        const id = await this.deps.repo.transaction(async (trx) => {
          const tournament = await this.deps.repo.insertTournament(trx, {
            code, name, size, private: input.private ? 1 : 0, created_by: caller.id, created_at: now,
          });
          await this.deps.repo.insertRecord(trx, { tournament_id: tournament.id, user_id: caller.id, trophies: caller.trophies, creator: 1, join_at: now });
          return tournament.id;
        });
        this.openChanged();
        return this.currentView(id);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // A race: the same name created meanwhile (400), the caller joined elsewhere (429), or the code (draw again).
        if (await this.deps.repo.nameTaken(name)) throw badRequest({ name: [M.nameTaken] });
        if (await this.deps.repo.connectedRecordOf(caller.id)) throw throttled();
      }
    }
    throw new ApiError(500, { detail: M.codeGenerationFailed });
  }

  /** The caller's tournament. */
  async mine(caller: UserRow) {
    const record = await this.deps.repo.connectedRecordOf(caller.id);
    const tournament = record && (await this.deps.repo.findById(record.tournament_id));
    // A finished tournament is about to be deleted: it is already gone for its participants.
    if (!tournament || tournament.finished === 1) throw notFound(M.noTournament);
    return this.currentView(tournament.id);
  }

  /** Joins the tournament with this code; answers the new participant; a disconnected record reconnects. */
  async join(caller: UserRow, code: string) {
    const tournament = await this.deps.repo.findByCode(code);
    if (!tournament || tournament.finished === 1) throw notFound(M.notFound);
    const mine = await this.deps.repo.recordIn(tournament.id, caller.id);
    if (mine && mine.connected === 0) return this.reconnect(caller, tournament, mine);
    if (mine) throw conflict(M.alreadyJoined);
    if ((await this.deps.repo.isBanned(tournament.id, caller.id)) || (await this.blockBetween(tournament.created_by, caller.id))) {
      throw notFound(M.notFound);
    }
    if (tournament.started === 1) throw forbidden(M.alreadyStarted);
    if ((await this.deps.repo.records(tournament.id)).length >= tournament.size) throw forbidden(M.full);
    await this.deps.activities.enter(caller.id, 'tournament-join');
    let record: RecordRow;
    try {
      record = await this.admit(tournament, caller, null);
    } catch (error) {
      if (isUniqueViolation(error)) throw throttled();
      throw error;
    }
    return this.participantView(tournament, record, this.deps.users.smallUser(caller) as Card);
  }

  /**
   * Seats a newcomer — a person who joins, or a computer player of
   * `botLevel` the creator adds (bots.ts) — in one transaction: his record,
   * `tournament-join` to the others, the countdown when the count reaches
   * the threshold (computer players count like anyone), and the start when
   * he fills the tournament. A lost unique-key race (the same user seated
   * elsewhere meanwhile) is thrown as the database reported it.
   */
  async admit(tournament: TournamentRow, entrant: UserRow, botLevel: string | null): Promise<RecordRow> {
    const out = new Outbox();
    const inserted = await this.deps.repo.transaction(async (trx) => {
      const fresh = await this.deps.repo.lock(trx, tournament.id);
      if (!fresh) throw notFound(M.notFound);
      if (fresh.started === 1) throw forbidden(M.alreadyStarted);
      const present = await this.deps.repo.records(fresh.id, trx);
      if (present.length >= fresh.size) throw forbidden(M.full);
      const record = await this.deps.repo.insertRecord(trx, {
        tournament_id: fresh.id, user_id: entrant.id, trophies: entrant.trophies,
        creator: fresh.created_by === entrant.id ? 1 : 0, join_at: isoAt(this.deps.clock.now()), bot_level: botLevel,
      });
      const card = this.deps.users.smallUser(entrant) as Card;
      out.push(connectedIds(present), 'tournament-join', this.participantView(fresh, record, card), { username: entrant.id });
      const count = present.length + 1;
      const full = count >= fresh.size;
      let deadline: number | null = null;
      if (!full && count >= startThreshold(fresh.size) && fresh.start_at === null) {
        deadline = this.deadlineIn(START_COUNTDOWN_MS);
        const startAt = isoAt(deadline);
        await this.deps.repo.updateTournament(trx, fresh.id, { start_at: startAt, deadline_kind: 'start', deadline_ms: deadline });
        out.push([...connectedIds(present), entrant.id], 'tournament-start-at', { id: fresh.id, start_at: startAt }, { name: fresh.name });
      }
      return { record, full, deadline };
    });
    await out.flush(this.deps.events);
    if (inserted.deadline !== null) this.arm(tournament.id, inserted.deadline);
    // The entrant who fills the tournament starts it at once.
    if (inserted.full) await this.start(tournament.id, null);
    return inserted.record;
  }

  /** A reconnection after the start: no other check, no event; the record stays eliminated. */
  private async reconnect(caller: UserRow, tournament: TournamentRow, record: RecordRow) {
    const elsewhere = await this.deps.repo.connectedRecordOf(caller.id);
    if (elsewhere) await this.removeRecord(caller.id, {});
    try {
      await this.deps.repo.updateRecord(this.db, record.id, { connected: 1, connected_user_id: caller.id });
    } catch (error) {
      if (isUniqueViolation(error)) throw throttled();
      throw error;
    }
    return this.participantView(tournament, { ...record, connected: 1 }, this.deps.users.smallUser(caller) as Card);
  }

  private get db() {
    return this.deps.repo.db;
  }

  /** Leaves the tournament. */
  async leave(caller: UserRow, code: string): Promise<void> {
    const tournament = await this.deps.repo.findByCode(code);
    if (!tournament || !(await this.removeRecord(caller.id, { tournamentId: tournament.id }))) throw forbidden(M.notMember);
  }

  /** Removes a user's connected record of this tournament as by a leave (bots.ts: a computer player the creator takes back). */
  dismiss(userId: number, tournamentId: number): Promise<boolean> {
    return this.removeRecord(userId, { tournamentId });
  }

  /** Bans a participant (creator only, before the start). */
  async ban(caller: UserRow, code: string, userId: number): Promise<void> {
    if (userId === caller.id) throw forbidden(M.banSelf);
    const tournament = await this.deps.repo.findByCode(code);
    if (!tournament) throw forbidden(M.notMember);
    if (tournament.started === 1) throw forbidden(M.banAfterStart);
    const mine = await this.deps.repo.connectedRecordOf(caller.id);
    if (mine?.tournament_id !== tournament.id) throw forbidden(M.notMember);
    if (tournament.created_by !== caller.id) throw forbidden(M.onlyCreatorBans);
    const target = await this.deps.repo.recordIn(tournament.id, userId);
    if (!target) throw notFound(M.targetNotMember);
    if (!(await this.removeRecord(userId, { tournamentId: tournament.id, banned: true, recordBan: true }))) throw notFound(M.targetNotMember);
  }

  /** Invites a friend to the tournament (before the start; a private one by its creator only). */
  async invite(caller: UserRow, code: string, userId: number): Promise<void> {
    if (userId === caller.id) throw forbidden(M.inviteSelf);
    const tournament = await this.deps.repo.findByCode(code);
    if (!tournament) throw forbidden(M.notMember);
    const mine = await this.deps.repo.connectedRecordOf(caller.id);
    if (mine?.tournament_id !== tournament.id) throw forbidden(M.notMember);
    if (tournament.private === 1 && tournament.created_by !== caller.id) throw forbidden(M.onlyCreatorInvites);
    if (await this.deps.repo.recordIn(tournament.id, userId)) throw conflict(M.targetInside);
    if (!(await this.deps.social.areFriends(caller.id, userId))) throw forbidden(M.onlyFriends);
    if (tournament.started === 1) throw forbidden(M.inviteAfterStart);
    await this.deps.events.notify([userId], 'invite-tournament', { id: caller.id, code: tournament.code }, { username: caller.id });
  }

  /** A message to the tournament: not stored, pushed to the other connected records. */
  async message(caller: UserRow, code: string, body: Record<string, unknown>) {
    const content = parseContent(body);
    const tournament = await this.deps.repo.findByCode(code);
    const mine = await this.deps.repo.connectedRecordOf(caller.id);
    if (!tournament || mine?.tournament_id !== tournament.id) throw forbidden(M.notMember);
    const others = connectedIds(await this.deps.repo.records(tournament.id)).filter((id) => id !== caller.id);
    await this.deps.events.notify(others, 'tournament-message', {}, { username: caller.id, message: content });
    return { id: caller.id, content };
  }

  /** The search: each item with its `id`, `created_by` (the creator's username) and `private`; tournaments of a creator with a block between him and the caller are hidden. */
  async search(caller: UserRow, q: string) {
    const rows = await this.deps.repo.search(q, caller.id);
    const hidden = new Set<number>();
    for (const creator of new Set(rows.map((r) => r.created_by))) {
      if (creator !== caller.id && (await this.blockBetween(creator, caller.id))) hidden.add(creator);
    }
    const visible = rows.filter((r) => !hidden.has(r.created_by));
    const counts = await this.deps.repo.countRecords(visible.map((r) => r.id));
    const creators = await this.cards(visible.map((r) => r.created_by));
    return visible.map((r) => ({
      id: r.id,
      name: r.name,
      code: r.code,
      private: r.private === 1,
      n_participants: counts.get(r.id) ?? 0,
      size: r.size,
      created_by: creators.get(r.created_by)?.username ?? 'DeleteUser',
    }));
  }

  // --- the "one activity at a time" rule and other triggers -------------------------------

  async refuse(userId: number, intent: ActivityIntent): Promise<void> {
    const record = await this.deps.repo.connectedRecordOf(userId);
    if (record && record.still_in === 1) {
      const tournament = await this.deps.repo.findById(record.tournament_id);
      if (tournament?.started === 1 && tournament.finished === 0) throw conflict(PlayMessages.alreadyInTournament);
    }
    // Whoever created a tournament that still exists cannot create another, even after leaving it.
    if (intent === 'tournament-create' && (await this.deps.repo.createdBy(userId))) throw forbidden(M.secondTournament);
  }

  /** The caller's connected record ends as by a leave: deleted before the start, disconnected after it. */
  async release(userId: number): Promise<void> {
    if (await this.deps.repo.connectedRecordOf(userId)) await this.removeRecord(userId, {});
  }

  /** The user's last stream closed or his account is gone. */
  async drop(userId: number, _reason: DropReason): Promise<void> {
    if (await this.deps.repo.connectedRecordOf(userId)) await this.removeRecord(userId, {});
  }

  /** A block between two participants removes the creator's counterpart (`tournament-banned`, no ban recorded). */
  async userBlocked(blockerId: number, blockedId: number): Promise<void> {
    const blocker = await this.deps.repo.connectedRecordOf(blockerId);
    if (!blocker) return;
    const blocked = await this.deps.repo.recordIn(blocker.tournament_id, blockedId);
    const tournament = await this.deps.repo.findById(blocker.tournament_id);
    if (!blocked || !tournament) return;
    const removed = tournament.created_by === blockerId ? blockedId : tournament.created_by === blockedId ? blockerId : null;
    if (removed !== null) await this.removeRecord(removed, { tournamentId: tournament.id, banned: true });
  }

  /** A game's result: the matches feature reports every finished tournament game. */
  async matchFinished(match: MatchRecord): Promise<void> {
    if (match.gameMode !== 'tournament' || !match.finished) return;
    const slot = await this.deps.repo.matchOfGame({ id: match.id, stageId: match.tournamentStageId, n: match.tournamentN });
    if (!slot || slot.finished === 1 || (match.tournamentId !== null && slot.tournament_id !== match.tournamentId)) return;
    const won = match.winner ?? 'a';
    const lost = won === 'a' ? 'b' : 'a';
    const winner = match.players.find((p) => p.team === won)?.userId;
    const loser = match.players.find((p) => p.team === lost)?.userId;
    if (winner === undefined || loser === undefined) return;
    await this.recordResult(slot.id, {
      kind: 'game', winner, loser, scoreWinner: match.score[won], scoreLooser: match.score[lost], reason: match.finishReason ?? 'normal-end',
    });
  }

  // --- rules ----------------------------------------------------------------------------------

  private async blockBetween(a: number, b: number): Promise<boolean> {
    return (await this.deps.social.hasBlocked(a, b)) || (await this.deps.social.hasBlocked(b, a));
  }

  /**
   * Record removal, in one transaction: `tournament-banned` first for
   * a ban or the block rule; before the start the record is deleted
   * (`tournament-leave` to the others, the countdown cancelled below the
   * threshold, the tournament deleted with its last record); after it the
   * record is disconnected and eliminated, silently.
   */
  private async removeRecord(userId: number, options: { tournamentId?: number; banned?: boolean; recordBan?: boolean }): Promise<boolean> {
    const out = new Outbox();
    let cancelled: number | null = null;
    let deleted = false;
    const removed = await this.deps.repo.transaction(async (trx) => {
      const first = await this.deps.repo.connectedRecordOf(userId, trx);
      if (!first || (options.tournamentId !== undefined && first.tournament_id !== options.tournamentId)) return false;
      const tournament = await this.deps.repo.lock(trx, first.tournament_id);
      const record = await this.deps.repo.connectedRecordOf(userId, trx);
      if (!tournament || !record || record.tournament_id !== tournament.id) return false;
      if (options.recordBan) await this.deps.repo.ban(trx, tournament.id, userId);
      if (options.banned) out.push([userId], 'tournament-banned');
      if (tournament.started === 1) {
        await this.deps.repo.updateRecord(trx, record.id, { connected: 0, still_in: 0, connected_user_id: null });
        return true;
      }
      await this.deps.repo.deleteRecord(trx, record.id);
      const others = await this.deps.repo.records(tournament.id, trx);
      // Computer players alone would wait for nobody: the tournament goes with its last person.
      if (others.every((r) => r.bot_level !== null)) {
        await this.deps.repo.deleteTournament(trx, tournament.id);
        cancelled = tournament.id;
        deleted = true;
        return true;
      }
      out.push(connectedIds(others), 'tournament-leave', { id: userId }, { username: userId });
      if (tournament.start_at !== null && others.length < startThreshold(tournament.size)) {
        await this.deps.repo.updateTournament(trx, tournament.id, { start_at: null, deadline_kind: null, deadline_ms: null });
        out.push(connectedIds(others), 'tournament-start-cancel', { id: tournament.id, start_at: null });
        cancelled = tournament.id;
      }
      return true;
    });
    await out.flush(this.deps.events);
    if (cancelled !== null) this.disarm(cancelled);
    if (deleted) this.openChanged();
    return removed;
  }

  /**
   * The start: seeds by trophy snapshot (ties drawn once), the rounds, the first
   * round with its byes, `tournament-start`, and the 3 s deadline of the
   * first launches. `claim`: the countdown's deadline this start consumes
   * (null for the join that fills the tournament, which abandons any countdown).
   */
  private async start(tournamentId: number, claim: number | null): Promise<void> {
    const now = this.deps.clock.now();
    const launchAt = this.deadlineIn(BRACKET_DELAY_MS);
    const started = await this.deps.repo.transaction(async (trx) => {
      const tournament = await this.deps.repo.lock(trx, tournamentId);
      if (!tournament || tournament.started === 1) return false;
      if (claim !== null && !(await this.deps.repo.claimDeadline(trx, tournamentId, 'start', claim))) return false;
      const records = await this.deps.repo.records(tournamentId, trx);
      if (records.length === 0) return false;
      const stages = [];
      for (const plan of stagesFor(tournament.size)) stages.push(await this.deps.repo.insertStage(trx, { tournament_id: tournamentId, ...plan }));
      const first = stages[0];
      const seeded = seedOrder(records.map((r) => ({ ...r, userId: r.user_id })), this.random);
      for (const [index, record] of seeded.entries()) {
        await this.deps.repo.updateRecord(trx, record.id, { seed: index + 1, stage_id: first.id });
      }
      for (const slot of firstRound(tournament.size, seeded.length)) {
        await this.deps.repo.insertMatch(trx, {
          tournament_id: tournamentId, stage_id: first.id, n: slot.n, position: slot.pair,
          user_1: seeded[slot.seed1 - 1].user_id, user_2: slot.seed2 === null ? null : seeded[slot.seed2 - 1].user_id,
        });
      }
      await this.deps.repo.updateTournament(trx, tournamentId, {
        started: 1, start_at: isoAt(now), current_stage_id: first.id, counter: FIRST_COUNTER, deadline_kind: 'launch', deadline_ms: launchAt,
      });
      return true;
    });
    if (!started) return;
    this.openChanged();
    this.disarm(tournamentId);
    const snapshot = await this.deps.repo.snapshot(tournamentId);
    if (snapshot) {
      await this.deps.events.notify(connectedIds(snapshot.records), 'tournament-start', await this.viewOf(snapshot), { name: snapshot.tournament.name });
    }
    this.arm(tournamentId, launchAt);
  }

  /** Launches the first round's matches, in pair order. */
  private async launchFirstRound(tournamentId: number, claim: number): Promise<void> {
    if (!(await this.deps.repo.claimDeadline(this.db, tournamentId, 'launch', claim))) return;
    await this.launchPending(tournamentId);
  }

  /** Launches every not-yet-launched match of the current round, in launch order. */
  private async launchPending(tournamentId: number): Promise<void> {
    const tournament = await this.deps.repo.findById(tournamentId);
    if (!tournament || tournament.current_stage_id === null) return;
    const pending = (await this.deps.repo.matches(tournamentId))
      .filter((m) => m.stage_id === tournament.current_stage_id && m.launched === 0)
      .sort((a, b) => a.position - b.position);
    for (const match of pending) await this.launch(match.id);
  }

  /** Launches one bracket match (a game, a bye or walkover, or no game), once (the launch is claimed in the database). */
  private async launch(bracketId: number): Promise<void> {
    if (!(await this.deps.repo.claimLaunch(bracketId))) return;
    const slot = await this.deps.repo.matchById(bracketId);
    if (!slot) return;
    const first = slot.user_1 === null ? undefined : await this.deps.repo.recordIn(slot.tournament_id, slot.user_1);
    const kind = launchKindOf(slot.user_1, slot.user_2, first?.still_in === 1);
    const slotOf = (userId: number): NotPlayedInput => ({
      user_id: userId, tournament_id: slot.tournament_id, tournament_stage_id: slot.stage_id, tournament_n: slot.n,
    });
    if (kind === 'game') {
      // A computer player's seat carries its level into the match (its history, the live list, its replay).
      const second = await this.deps.repo.recordIn(slot.tournament_id, slot.user_2!);
      const seat = (id: number, record: RecordRow | undefined) => ({ id, ...(record?.bot_level ? { computer: record.bot_level } : {}) });
      let game: MatchRecord;
      try {
        game = await this.deps.matches.createMatch({
          game_mode: 'tournament',
          teams: { a: [seat(slot.user_1!, first)], b: [seat(slot.user_2!, second)] },
          tournament_id: slot.tournament_id, tournament_stage_id: slot.stage_id, tournament_n: slot.n,
        });
      } catch {
        // A refused game is a "no game" result.
        await this.recordResult(bracketId, { kind: 'no-game' });
        return;
      }
      await this.deps.repo.attachGame(bracketId, game.id, game.code);
      await this.startComputers(slot.tournament_id, [slot.user_1!, slot.user_2!]);
      return;
    }
    if (kind === 'walkover' || kind === 'bye') {
      const winner = kind === 'walkover' ? slot.user_2! : slot.user_1!;
      await this.deps.matches.recordNotPlayed(slotOf(winner)).catch(() => {});
      await this.recordResult(bracketId, { kind: 'walkover', winner });
      return;
    }
    await this.recordResult(bracketId, { kind: 'no-game' });
  }

  /** The computer players among a just-created game's players start playing it, each at its seat's level. */
  private async startComputers(tournamentId: number, userIds: number[]): Promise<void> {
    for (const userId of userIds) {
      const record = await this.deps.repo.recordIn(tournamentId, userId);
      if (record?.bot_level) this.deps.players?.launch([userId], record.bot_level as BotLevel);
    }
  }

  /**
   * Records a result: the match finished (once: a second report is ignored), the
   * winner's stage advanced, the loser eliminated, `tournament-match-finish`
   * showing the bracket just before those two changes; then the end of the
   * tournament, its deletion without a winner, or — when the round
   * is complete — the 3 s deadline of the next round.
   */
  private async recordResult(bracketId: number, outcome: Outcome): Promise<boolean> {
    const game = outcome.kind === 'game' ? outcome : null;
    const winner = outcome.kind === 'no-game' ? null : outcome.winner;
    const loser = game ? game.loser : null;
    const result = await this.deps.repo.transaction(async (trx) => {
      const before = await this.deps.repo.matchById(bracketId, trx);
      if (!before) return null;
      const tournament = await this.deps.repo.lock(trx, before.tournament_id);
      const slot = await this.deps.repo.matchById(bracketId, trx);
      if (!tournament || !slot || slot.finished === 1) return null;
      const stages = await this.deps.repo.stages(tournament.id, trx);
      const stage = stages.find((s) => s.id === slot.stage_id);
      if (!stage) return null;
      const isFinal = stage.stage === 0;
      await this.deps.repo.updateMatch(trx, slot.id, {
        finished: 1, launched: 1, winner, match_code: null,
        score_winner: game ? game.scoreWinner : null, score_looser: game ? game.scoreLooser : null, finish_reason: game ? game.reason : null,
      });
      const overrides = new Map<number, Partial<RecordRow>>();
      if (winner !== null && !isFinal) {
        const next = stages.find((s) => s.stage === stage.stage - 1)!;
        const record = await this.deps.repo.recordIn(tournament.id, winner, trx);
        if (record) {
          overrides.set(winner, { stage_id: record.stage_id });
          await this.deps.repo.updateRecord(trx, record.id, { stage_id: next.id });
        }
      }
      if (loser !== null) {
        const record = await this.deps.repo.recordIn(tournament.id, loser, trx);
        if (record) {
          overrides.set(loser, { still_in: record.still_in });
          await this.deps.repo.updateRecord(trx, record.id, { still_in: 0 });
        }
      }
      let deadline: number | null = null;
      if (isFinal) {
        if (winner !== null) await this.deps.repo.updateTournament(trx, tournament.id, { finished: 1 });
      } else if (slot.stage_id === tournament.current_stage_id && tournament.deadline_kind === null) {
        const round = (await this.deps.repo.matches(tournament.id, trx)).filter((m) => m.stage_id === slot.stage_id);
        if (round.every((m) => m.id === slot.id || m.finished === 1)) {
          deadline = this.deadlineIn(ROUND_DELAY_MS);
          await this.deps.repo.setDeadline(trx, tournament.id, 'round', deadline);
        }
      }
      return { tournamentId: tournament.id, isFinal, deadline, overrides };
    });
    if (!result) return false;
    const snapshot = await this.deps.repo.snapshot(result.tournamentId);
    if (!snapshot) return true;
    const score = game ? { winner: game.scoreWinner, looser: game.scoreLooser } : winner !== null ? WALKOVER_SCORE : NO_GAME_SCORE;
    const reason = game ? game.reason : winner !== null ? 'game-not-played' : 'no-game';
    await this.deps.events.notify(connectedIds(snapshot.records), 'tournament-match-finish', await this.viewOf(snapshot, result.overrides), {
      winner, looser: loser ?? 'nobody', score_winner: score.winner, score_looser: score.looser, finish_reason: finishReasonSuffix(reason),
    });
    // A computer player that lost has nothing left to do here: it leaves (silently, as after the start), free for other games.
    if (loser !== null && snapshot.records.some((r) => r.user_id === loser && r.bot_level !== null)) {
      await this.removeRecord(loser, { tournamentId: result.tournamentId });
    }
    if (result.isFinal && winner === null) {
      // A final without a winner deletes the tournament, without `tournament-finish`.
      await this.deps.repo.deleteTournament(this.db, result.tournamentId);
      this.disarm(result.tournamentId);
    } else if (result.isFinal && winner !== null) {
      await this.finish(snapshot, winner);
    } else if (result.deadline !== null) {
      this.arm(result.tournamentId, result.deadline);
    }
    return true;
  }

  /** The end of the tournament: archive, `tournament-finish`, the winner's statistics and pictures, deletion; failures of the first and third are ignored. */
  private async finish(snapshot: Snapshot, winner: number): Promise<void> {
    const { tournament: t, stages } = snapshot;
    await this.deps.matches.archiveTournament({
      id: t.id, name: t.name, size: t.size, created_at: t.created_at, start_at: t.start_at ?? t.created_at,
      finish_at: isoAt(this.deps.clock.now()), created_by: t.created_by,
      stages: stages.map((s) => ({ id: s.id, label: s.label, stage: s.stage })),
    }).catch(() => {});
    await this.deps.events.notify(connectedIds(snapshot.records), 'tournament-finish', { id: t.id }, { name: t.name, username: winner });
    await this.deps.stats.recordTournamentWin(winner).catch(() => {});
    await this.deps.repo.deleteTournament(this.db, t.id);
    this.disarm(t.id);
  }

  /**
   * Opens the next round: its matches (winners of the current round paired by
   * `n`), each launched in turn, then `tournament-available-spectate-matches`
   * to the eliminated connected records. A round decided without any game
   * completes itself through `recordResult`, which sets the next deadline.
   */
  private async openRound(tournamentId: number, claim: number): Promise<void> {
    const created = await this.deps.repo.transaction(async (trx) => {
      const tournament = await this.deps.repo.lock(trx, tournamentId);
      if (!tournament || tournament.started !== 1 || tournament.finished === 1) return null;
      if (!(await this.deps.repo.claimDeadline(trx, tournamentId, 'round', claim))) return null;
      const stages = await this.deps.repo.stages(tournamentId, trx);
      const current = stages.find((s) => s.id === tournament.current_stage_id);
      const next = current && stages.find((s) => s.stage === current.stage - 1);
      if (!current || !next) return null;
      const round = (await this.deps.repo.matches(tournamentId, trx)).filter((m) => m.stage_id === current.id);
      if (!round.every((m) => m.finished === 1)) return null;
      let counter = tournament.counter;
      const ids: number[] = [];
      for (const [index, pair] of nextRoundPairs(round).entries()) {
        counter += 1;
        const match = await this.deps.repo.insertMatch(trx, {
          tournament_id: tournamentId, stage_id: next.id, n: counter, position: index + 1, user_1: pair.user1, user_2: pair.user2,
        });
        ids.push(match.id);
      }
      await this.deps.repo.updateTournament(trx, tournamentId, { current_stage_id: next.id, counter });
      return ids;
    });
    if (!created) return;
    for (const id of created) await this.launch(id);
    const snapshot = await this.deps.repo.snapshot(tournamentId);
    if (!snapshot) return;
    const codes = Object.fromEntries(created.map((id) => [String(id), snapshot.matches.find((m) => m.id === id)?.match_code ?? null]));
    const eliminated = snapshot.records.filter((r) => r.connected === 1 && r.still_in === 0).map((r) => r.user_id);
    await this.deps.events.notify(eliminated, 'tournament-available-spectate-matches', codes);
  }

  // --- deadlines ----------------------------------------------------------------------------

  /** A deadline `ms` from now, in whole milliseconds (stored as an integer). */
  private deadlineIn(ms: number): number {
    return Math.ceil(this.deps.clock.now() + ms);
  }

  /** Acts on the tournament's deadline if it is due; the claim inside each action makes it happen once. */
  private async fireDue(tournamentId: number): Promise<void> {
    if (this.stopped) return;
    const tournament = await this.deps.repo.findById(tournamentId);
    if (!tournament || tournament.deadline_ms === null || tournament.deadline_ms > this.deps.clock.now()) return;
    const kind = tournament.deadline_kind as DeadlineKind;
    if (kind === 'start') await this.start(tournamentId, tournament.deadline_ms);
    else if (kind === 'launch') await this.launchFirstRound(tournamentId, tournament.deadline_ms);
    else if (kind === 'round') await this.openRound(tournamentId, tournament.deadline_ms);
  }

  private arm(tournamentId: number, atMs: number): void {
    if (this.stopped) return;
    this.disarm(tournamentId);
    const handle = this.deps.clock.setTimeout(() => {
      if (this.timers.get(tournamentId) === handle) this.timers.delete(tournamentId);
      this.track(this.fireDue(tournamentId));
    }, Math.max(0, atMs - this.deps.clock.now()));
    this.timers.set(tournamentId, handle);
  }

  private disarm(tournamentId: number): void {
    this.timers.get(tournamentId)?.cancel();
    this.timers.delete(tournamentId);
  }

  private track(work: Promise<unknown>): void {
    const guarded = work.catch(() => {
      // The database is unavailable: the deadline stays stored, the next poll tries again.
    });
    this.inflight.add(guarded);
    void guarded.finally(() => this.inflight.delete(guarded));
  }

  /** Every deadline that is due, whoever set it (another node, a previous life of this one). */
  private async sweep(): Promise<void> {
    if (this.sweeping || this.stopped) return;
    this.sweeping = true;
    try {
      for (const due of await this.deps.repo.dueDeadlines(Math.floor(this.deps.clock.now()))) await this.fireDue(due.id);
    } finally {
      this.sweeping = false;
    }
  }

  /**
   * At start-up: the stored deadlines are armed again; in running
   * tournaments, a game that finished unseen is recorded, and a launch that
   * was interrupted or a game that vanished with a previous run (discarded
   * unfinished) is launched again 5 s later. Then the poll starts.
   */
  async resume(): Promise<void> {
    for (const pending of await this.deps.repo.pendingDeadlines()) this.arm(pending.id, pending.deadline_ms!);
    for (const tournament of await this.deps.repo.runningWithoutDeadline()) {
      const current = (await this.deps.repo.matches(tournament.id)).filter((m) => m.stage_id === tournament.current_stage_id && m.finished === 0);
      for (const slot of current) await this.recover(slot);
      const fresh = await this.deps.repo.findById(tournament.id);
      const unlaunched = (await this.deps.repo.matches(tournament.id)).some((m) => m.stage_id === fresh?.current_stage_id && m.launched === 0);
      if (fresh && fresh.deadline_kind === null && unlaunched) {
        // Launched again a little later, so that the players' game-start reaches their new streams.
        const at = this.deadlineIn(RESUME_LAUNCH_DELAY_MS);
        await this.deps.repo.setDeadline(this.db, tournament.id, 'launch', at);
        this.arm(tournament.id, at);
      }
    }
    this.poll ??= this.deps.clock.setInterval(() => this.track(this.sweep()), DEADLINE_POLL_MS);
  }

  private async recover(slot: BracketRow): Promise<void> {
    if (slot.launched !== 1) return;
    if (slot.match_id === null) {
      // Claimed but never created: only a single node knows nobody else is creating it right now.
      if (this.deps.singleNode) await this.deps.repo.unclaimLaunch(slot.id);
      return;
    }
    const game = await this.deps.matches.findMatch(slot.match_id);
    if (!game) await this.deps.repo.resetLaunch(slot.id, slot.match_id);
    else if (game.finished) await this.matchFinished(game);
  }

  /** Resolves once every deadline action started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  stop(): void {
    this.stopped = true;
    this.poll?.cancel();
    this.poll = null;
    for (const handle of this.timers.values()) handle.cancel();
    this.timers.clear();
  }
}

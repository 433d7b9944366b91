import type { Clock } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import { ApiError, badRequest, conflict, forbidden, notFound } from '../../platform/http/errors.js';
import { SerialQueue } from '../../platform/serial-queue.js';
import type { EventsService } from '../events/service.js';
import type { UsersService } from '../users/service.js';
import { MatchFinisher, type FinishListeners } from './finisher.js';
import { CODE_ATTEMPTS, MatchMessages as M, PLAYERS_TIMEOUT_MS, type ForfeitReason } from './messages.js';
import { otherTeam, playerOf, type MatchRecord, type Team } from './model.js';
import type { LiveMatchObserver, LobbyMatchListener, MatchResultSink, PlayingMarker, TournamentMatchListener } from './ports.js';
import { presentMatch, presentTournament, userIdsOf, type UserCards } from './present.js';
import type { MatchesRepo } from './repo.js';
import { checkModeRules, checkTeams, codeCandidates } from './rules.js';
import type { NewMatchInput } from './validation.js';

export interface NotPlayedInput {
  user_id: number;
  tournament_id: number;
  tournament_stage_id: number;
  tournament_n: number;
}

export interface TournamentArchive {
  id: number;
  name: string;
  size: number;
  created_at?: string | null;
  start_at: string;
  finish_at: string;
  created_by: number;
  stages: Array<{ id: number; label: string; stage: number }>;
}

export interface MatchesDeps {
  repo: MatchesRepo;
  clock: Clock;
  users: UsersService;
  events: EventsService;
  playing: PlayingMarker;
  sink: MatchResultSink;
}

/**
 * Matches and archived tournaments: the rules behind the
 * public and private endpoints, and what the play feature, the tournament
 * engine and the game rooms call in-process.
 */
export class MatchesService {
  private readonly finisher: MatchFinisher;
  private readonly perMatch = new SerialQueue();
  private live: LiveMatchObserver | null = null;
  private tournamentListener: TournamentMatchListener | null = null;
  private lobbyListener: LobbyMatchListener | null = null;

  constructor(private readonly deps: MatchesDeps) {
    const listeners = (): FinishListeners => ({ sink: deps.sink, live: this.live, tournament: this.tournamentListener, lobby: this.lobbyListener });
    this.finisher = new MatchFinisher(deps.repo, deps.users, deps.clock, listeners);
  }

  setLiveObserver(observer: LiveMatchObserver): void { this.live = observer; }
  setTournamentListener(listener: TournamentMatchListener): void { this.tournamentListener = listener; }
  setLobbyListener(listener: LobbyMatchListener): void { this.lobbyListener = listener; }

  /** Creates a match: checks, stores, sets the players' `game_playing`, sends `game-start` and arms the 5 s players timeout. */
  async createMatch(input: NewMatchInput): Promise<MatchRecord> {
    const matchType = checkTeams(input);
    const ids = [...input.teams.a, ...input.teams.b].map((seat) => seat.id);
    if ((await this.deps.repo.livePlayers(ids)).length > 0) throw conflict(M.alreadyInGame);
    checkModeRules(input, matchType);
    if ((await this.deps.users.findManyByIds(ids)).length !== ids.length) throw notFound(M.usersNotFound);
    const id = await this.insertWithFreshCode(input, matchType, ids);
    const match = (await this.deps.repo.find(id))!;
    await this.deps.playing.markPlaying(ids, match.code!);
    await this.deps.events.notify(ids, 'game-start', await this.present(match));
    this.deps.clock.setTimeout(() => void this.playersTimeout(id).catch(() => {}), PLAYERS_TIMEOUT_MS);
    return match;
  }

  private async insertWithFreshCode(input: NewMatchInput, matchType: string, ids: number[]): Promise<number> {
    const tournament = input.game_mode === 'tournament';
    for (let attempt = 0; ; attempt++) {
      const code = await this.freshCode();
      try {
        return await this.deps.repo.transaction((trx) => this.deps.repo.insertMatch(trx, {
          code,
          game_mode: input.game_mode,
          match_type: matchType,
          created_at: isoAt(this.deps.clock.now()),
          tournament_id: tournament ? input.tournament_id! : null,
          tournament_stage_id: tournament ? input.tournament_stage_id! : null,
          tournament_n: tournament ? input.tournament_n! : null,
        }, (['a', 'b'] as const).flatMap((team) => input.teams[team].map((seat, position) => ({
          user_id: seat.id, team, position, trophies: input.game_mode === 'ranked' ? seat.trophies ?? null : null, live: true,
          bot_level: seat.computer ?? null,
        })))));
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // Lost a race: either somebody else took a player, or the code.
        if ((await this.deps.repo.livePlayers(ids)).length > 0) throw conflict(M.alreadyInGame);
        if (attempt >= 5) throw error;
      }
    }
  }

  /**
   * A match code: four random digits no unfinished match holds. Candidates are
   * checked 16 at a time, so the cost does not grow with the number of live
   * matches (the unique index settles a race).
   */
  private async freshCode(): Promise<string> {
    for (let drawn = 0; drawn < CODE_ATTEMPTS; drawn += 16) {
      const candidates = codeCandidates(16);
      const taken = await this.deps.repo.codesTaken(candidates);
      const free = candidates.find((code) => !taken.has(code));
      if (free) return free;
    }
    throw new ApiError(500, { detail: M.codeGenerationFailed });
  }

  /** The players timeout: nobody connected within 5 s of the creation. */
  private async playersTimeout(id: number): Promise<void> {
    const match = await this.deps.repo.find(id);
    if (!match || match.finished || match.gameStart) return;
    if (match.gameMode === 'tournament') {
      await this.finisher.finish(match, { reason: 'players-timeout', score: { a: 0, b: 0 } });
      return;
    }
    if (!(await this.deps.repo.deleteUnfinished(id))) return;
    // A room a spectator opened for it (nobody else can have) closes.
    this.live?.matchDiscarded?.(id);
    await this.deps.playing.clearPlaying(match.players.map((p) => p.userId));
    // A discarded lobby game frees its lobby too.
    if (match.gameMode === 'clash' || match.gameMode === 'custom_game') await this.lobbyListener?.matchFinished(match).catch(() => {});
  }

  /** A tournament participant advancing without a game. */
  async recordNotPlayed(input: NotPlayedInput) {
    const now = isoAt(this.deps.clock.now());
    const id = await this.deps.repo.transaction((trx) => this.deps.repo.insertMatch(trx, {
      code: null, game_mode: 'tournament', match_type: '1v1', created_at: now,
      tournament_id: input.tournament_id, tournament_stage_id: input.tournament_stage_id, tournament_n: input.tournament_n,
      finished: 1, finished_at: now, finish_reason: 'game-not-played', score_a: 0, score_b: 0, winner: 'a', looser: null,
    }, [{ user_id: input.user_id, team: 'a', position: 0, trophies: null, live: false }]));
    return {
      id, game_mode: 'tournament', created_at: now, tournament_id: input.tournament_id,
      tournament_stage_id: input.tournament_stage_id, tournament_n: input.tournament_n, winner: 'a',
    };
  }

  findMatch(id: number): Promise<MatchRecord | null> {
    return this.deps.repo.find(id);
  }

  /** Whether the user is a player of an unfinished match (the first "already playing" check), without building it. */
  async isInGame(userId: number): Promise<boolean> {
    return (await this.deps.repo.liveMatchIdOf(userId)) !== null;
  }

  /** The user's unfinished match. */
  async activeMatchOf(userId: number): Promise<MatchRecord> {
    const id = await this.deps.repo.liveMatchIdOf(userId);
    const match = id === null ? null : await this.deps.repo.find(id);
    if (!match || match.finished) throw notFound(M.notInAnyGame);
    return match;
  }

  /** The unfinished match with this code (a spectator's connection), or null. */
  async unfinishedMatchByCode(code: string): Promise<MatchRecord | null> {
    const id = await this.deps.repo.unfinishedIdByCode(code);
    const match = id === null ? null : await this.deps.repo.find(id);
    return match && !match.finished ? match : null;
  }

  /** A player claims his seat; the match counts as started (cancels the players timeout). */
  async claim(matchId: number, userId: number): Promise<MatchRecord> {
    const match = await this.deps.repo.find(matchId);
    if (!match || match.finished || !playerOf(match, userId)) throw forbidden(M.notInThisGame);
    if (!match.gameStart) await this.deps.repo.markStarted(matchId);
    return { ...match, gameStart: true };
  }

  /** One goal in the user's unfinished match; the third goal of a team finishes it. */
  async scoreGoal(userId: number, ownGoal: boolean, validate: () => void = () => {}): Promise<MatchRecord> {
    const matchId = await this.deps.repo.liveMatchIdOf(userId);
    if (matchId === null) throw notFound(M.userNotInMatch);
    validate();
    return this.perMatch.run(String(matchId), async () => {
      const match = await this.deps.repo.find(matchId);
      const player = match && !match.finished ? playerOf(match, userId) : undefined;
      if (!match || !player) throw notFound(M.userNotInMatch);
      const credited: Team = ownGoal ? otherTeam(player.team) : player.team;
      const scored = await this.deps.repo.transaction(async (trx) => {
        await this.deps.repo.addGoal(trx, matchId, userId, ownGoal, credited);
        return (await this.deps.repo.find(matchId, trx))!;
      });
      if (scored.score[credited] >= 3) return (await this.finisher.finish(scored, { reason: 'normal-end' })) ?? scored;
      this.live?.goalRecorded(scored);
      return scored;
    });
  }

  /** A forfeit: `userId`'s team loses 0–3. `validate` runs after the match lookup, so a missing match answers first. */
  async forfeit(matchId: number, input: { user_id: number; finish_reason: ForfeitReason }, validate: () => void = () => {}) {
    return this.perMatch.run(String(matchId), async () => {
      const match = await this.deps.repo.find(matchId);
      if (!match) throw notFound(M.matchNotFound);
      validate();
      if (match.finished) throw conflict(M.alreadyFinished);
      const player = playerOf(match, input.user_id);
      if (!player) throw notFound(M.userNotInMatch);
      const score = { [player.team]: 0, [otherTeam(player.team)]: 3 } as Record<Team, number>;
      const finished = await this.finisher.finish(match, { reason: input.finish_reason, score, forfeitedBy: input.user_id });
      if (!finished) throw conflict(M.alreadyFinished);
      return { id: matchId, finish_reason: input.finish_reason, finished: true };
    });
  }

  /** At start-up (single node): unfinished matches of a previous run are discarded. */
  async discardUnfinished(): Promise<void> {
    for (const id of await this.deps.repo.unfinishedIds()) {
      const match = await this.deps.repo.find(id);
      if (match && (await this.deps.repo.deleteUnfinished(id))) await this.deps.playing.clearPlaying(match.players.map((p) => p.userId));
    }
  }

  private async cards(ids: number[]): Promise<UserCards> {
    const rows = await this.deps.users.findManyByIds(ids);
    return new Map(rows.map((row) => [row.id, this.deps.users.smallUser(row)]));
  }

  /** The match object with enriched players, as `game-start`, create and is-in-game show it. */
  async present(match: MatchRecord): Promise<Record<string, unknown>> {
    return presentMatch(match, { users: await this.cards(userIdsOf([match])) });
  }

  presentBare(match: MatchRecord): Record<string, unknown> {
    return presentMatch(match, { users: null });
  }

  /** Every finished match of the user, most recent first (the replays export). */
  finishedMatchesOf(userId: number): Promise<MatchRecord[]> {
    return this.deps.repo.allFinishedOf(userId);
  }

  countFinishedOf(userId: number): Promise<number> {
    return this.deps.repo.countFinishedOf(userId);
  }

  /** One page of the match history, most recent first, enriched, with every key the list has always had. */
  async finishedPageOf(userId: number, limit: number, offset: number) {
    const matches = await this.deps.repo.finishedPageOf(userId, limit, offset);
    const users = await this.cards(userIdsOf(matches));
    return matches.map((m) => presentMatch(m, { users, seedKeys: true }));
  }

  /** The archived tournament, `enriched` for the public endpoint, bare for the archive and the export. */
  async tournament(id: number, enriched: boolean): Promise<Record<string, unknown>> {
    const found = await this.deps.repo.findTournament(id);
    if (!found) throw notFound(M.tournamentNotFound);
    const matches = await this.deps.repo.finishedOfStages(found.stages.map((s) => s.id));
    const users = enriched ? await this.cards(userIdsOf(matches)) : null;
    return presentTournament(found.tournament, found.stages, matches, { users, seedKeys: enriched });
  }

  /** The archive the tournament engine writes once. */
  async archiveTournament(input: TournamentArchive): Promise<Record<string, unknown>> {
    if (await this.deps.repo.findTournament(input.id)) throw badRequest({ id: [M.tournamentExists] });
    await this.deps.repo.transaction((trx) => this.deps.repo.insertTournament(trx, {
      id: input.id, name: input.name, size: input.size, created_at: input.created_at ?? null,
      start_at: input.start_at, finish_at: input.finish_at, created_by: input.created_by,
    }, input.stages.map((s) => ({ ...s, tournament_id: input.id }))));
    return this.tournament(input.id, false);
  }

  /** The export: every finished match of the user and the archived tournaments he played in. */
  async exportData(userId: number) {
    const matches = (await this.deps.repo.allFinishedOf(userId)).map((m) => this.presentBare(m));
    const tournaments = [];
    for (const id of await this.deps.repo.tournamentIdsOf(userId)) tournaments.push(await this.tournament(id, false));
    return { matches, tournaments };
  }
}

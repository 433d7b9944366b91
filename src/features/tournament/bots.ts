import type { BotLevel } from '../../game/bot/index.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import { ApiError, badRequest, forbidden, notFound } from '../../platform/http/errors.js';
import type { UserRow } from '../../platform/http/request-context.js';
import { ComputerMessages } from '../computer/messages.js';
import type { UsersService } from '../users/service.js';
import { TournamentMessages as M } from './messages.js';
import type { TournamentRepo, TournamentRow } from './repo.js';
import type { TournamentService } from './service.js';

export interface TournamentBotsDeps {
  repo: TournamentRepo;
  tournaments: TournamentService;
  users: UsersService;
  /** The platform's computer players (computer/players.ts): free bot accounts. */
  players: {
    readonly ready: boolean;
    reserve(count: number): Promise<number[]>;
    release(ids: number[]): void;
  };
}

/** Bot accounts tried for one seat: another node may seat the same free account at the same moment. */
const SEAT_ATTEMPTS = 3;

/**
 * Computer players in the empty seats of a tournament, added and taken back
 * by its creator before the start. A seated computer player is a participant
 * like any other (the 20 s rule counts it, it is seeded by its trophies); its
 * games are played over the real socket, started by service.ts, and it leaves
 * once it loses.
 */
export class TournamentBots {
  constructor(private readonly deps: TournamentBotsDeps) {}

  /** Seats `count` computer players of `level`; answers the tournament (started, when they filled it). */
  async add(caller: UserRow, code: string, input: { count: number; level: BotLevel }) {
    const tournament = await this.ownOpenTournament(caller, code, M.onlyCreatorAddsBots);
    const free = tournament.size - (await this.deps.repo.records(tournament.id)).length;
    if (free <= 0) throw forbidden(M.full);
    if (input.count > free) throw badRequest({ count: [M.botsOverFreeSeats(free)] });
    if (!this.deps.players.ready) throw new ApiError(503, { detail: ComputerMessages.unavailable });
    for (let seated = 0; seated < input.count; seated++) await this.seatOne(tournament, input.level);
    return this.deps.tournaments.mine(caller);
  }

  /** Takes a computer player back (`tournament-leave` to the others, the countdown cancelled below the threshold). */
  async remove(caller: UserRow, code: string, userId: number): Promise<void> {
    const tournament = await this.ownOpenTournament(caller, code, M.onlyCreatorRemovesBots);
    const record = await this.deps.repo.recordIn(tournament.id, userId);
    if (!record || record.bot_level === null) throw notFound(M.notABot);
    if (!(await this.deps.tournaments.dismiss(userId, tournament.id))) throw notFound(M.notABot);
  }

  /** The caller's tournament with this code, as its creator, before the start. */
  private async ownOpenTournament(caller: UserRow, code: string, notCreator: string): Promise<TournamentRow> {
    const tournament = await this.deps.repo.findByCode(code);
    const mine = await this.deps.repo.connectedRecordOf(caller.id);
    // An unknown code reads like another's tournament: no way to probe codes here.
    if (!tournament || tournament.finished === 1 || mine?.tournament_id !== tournament.id) throw forbidden(M.notMember);
    if (tournament.created_by !== caller.id) throw forbidden(notCreator);
    if (tournament.started === 1) throw forbidden(M.alreadyStarted);
    return tournament;
  }

  private async seatOne(tournament: TournamentRow, level: BotLevel): Promise<void> {
    for (let attempt = 0; attempt < SEAT_ATTEMPTS; attempt++) {
      const [botId] = await this.deps.players.reserve(1);
      try {
        const bot = await this.deps.users.findById(botId);
        if (!bot) continue;
        await this.deps.tournaments.admit(tournament, bot, level);
        return;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      } finally {
        this.deps.players.release([botId]);
      }
    }
    throw new ApiError(503, { detail: ComputerMessages.unavailable });
  }
}

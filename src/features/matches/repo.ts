import type { Transaction } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import type { Executor } from '../auth/repo.js';
import { recordOf, type MatchRecord, type MatchRow, type StageRow, type Team, type TournamentRow } from './model.js';

export interface NewMatchRow {
  code: string | null;
  game_mode: string;
  match_type: string;
  created_at: string;
  tournament_id: number | null;
  tournament_stage_id: number | null;
  tournament_n: number | null;
}

export interface NewPlayerRow {
  user_id: number;
  team: Team;
  position: number;
  trophies: number | null;
  /** false for a finished-at-birth match ("not played"). */
  live: boolean;
  /** A computer player's level; null or absent for a person. */
  bot_level?: string | null;
}

export interface FinishFields {
  finish_reason: string;
  finished_at: string;
  score_a: number;
  score_b: number;
  winner: Team;
  looser: Team | null;
  forfeited_by?: number | null;
}

/** The matches feature's SQL: `matches`, `match_players`, `tournaments`, `tournament_stages`. */
export class MatchesRepo {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async insertMatch(trx: Executor, match: NewMatchRow & Partial<FinishFields> & { finished?: number }, players: NewPlayerRow[]): Promise<number> {
    const { id } = await trx.insertInto('matches').values(match).returning('id').executeTakeFirstOrThrow();
    if (players.length > 0) {
      await trx.insertInto('match_players').values(players.map(({ live, ...p }) => ({
        ...p, match_id: id, live_user_id: live ? p.user_id : null,
      }))).execute();
    }
    return id;
  }

  /** Which of these codes an unfinished match holds (a few rows, whatever the number of live matches). */
  async codesTaken(candidates: string[]): Promise<Set<string>> {
    const rows = await this.db.selectFrom('matches').select('code').where('code', 'in', candidates).execute();
    return new Set(rows.map((r) => r.code!));
  }

  async codesInUse(): Promise<Set<string>> {
    const rows = await this.db.selectFrom('matches').select('code').where('code', 'is not', null).execute();
    return new Set(rows.map((r) => r.code!));
  }

  /** Which of these users already play an unfinished match. */
  async livePlayers(userIds: number[]): Promise<number[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db.selectFrom('match_players').select('live_user_id').where('live_user_id', 'in', userIds).execute();
    return rows.map((r) => r.live_user_id!);
  }

  /** The unfinished match holding this code (finished ones hold none). */
  async unfinishedIdByCode(code: string): Promise<number | null> {
    const row = await this.db.selectFrom('matches').select('id').where('code', '=', code).where('finished', '=', 0).executeTakeFirst();
    return row?.id ?? null;
  }

  async liveMatchIdOf(userId: number): Promise<number | null> {
    const row = await this.db.selectFrom('match_players').select('match_id').where('live_user_id', '=', userId).executeTakeFirst();
    return row?.match_id ?? null;
  }

  async find(id: number, executor: Executor = this.db): Promise<MatchRecord | null> {
    const row = await executor.selectFrom('matches').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    return (await this.withPlayers([row], executor))[0];
  }

  async markStarted(id: number): Promise<void> {
    await this.db.updateTable('matches').set({ game_start: 1 }).where('id', '=', id).execute();
  }

  /** One goal: the player's own counter, and the score of the team credited with it. */
  async addGoal(trx: Executor, matchId: number, userId: number, ownGoal: boolean, creditedTeam: Team): Promise<void> {
    await trx.updateTable('match_players')
      .set((eb) => (ownGoal ? { own_goal: eb('own_goal', '+', 1) } : { score: eb('score', '+', 1) }))
      .where('match_id', '=', matchId).where('user_id', '=', userId)
      .execute();
    await trx.updateTable('matches')
      .set((eb) => (creditedTeam === 'a' ? { score_a: eb('score_a', '+', 1) } : { score_b: eb('score_b', '+', 1) }))
      .where('id', '=', matchId)
      .execute();
  }

  /** Finishes an unfinished match; false when somebody else finished it first. */
  async finish(trx: Executor, matchId: number, fields: FinishFields): Promise<boolean> {
    const result = await trx.updateTable('matches')
      .set({ ...fields, finished: 1, code: null })
      .where('id', '=', matchId).where('finished', '=', 0)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await trx.updateTable('match_players').set({ live_user_id: null }).where('match_id', '=', matchId).execute();
    return true;
  }

  async setTrophyChange(trx: Executor, matchId: number, userId: number, change: number): Promise<void> {
    await trx.updateTable('match_players').set({ trophies: change }).where('match_id', '=', matchId).where('user_id', '=', userId).execute();
  }

  /** Deletes an unfinished match and its players; false when it had finished or was gone. */
  async deleteUnfinished(matchId: number): Promise<boolean> {
    return this.transaction(async (trx) => {
      const row = await trx.selectFrom('matches').select('id').where('id', '=', matchId).where('finished', '=', 0).executeTakeFirst();
      if (!row) return false;
      await trx.deleteFrom('match_players').where('match_id', '=', matchId).execute();
      await trx.deleteFrom('matches').where('id', '=', matchId).execute();
      return true;
    });
  }

  async unfinishedIds(): Promise<number[]> {
    return (await this.db.selectFrom('matches').select('id').where('finished', '=', 0).execute()).map((r) => r.id);
  }

  private finishedOf(userId: number) {
    return this.db.selectFrom('matches')
      .where('finished', '=', 1)
      .where('id', 'in', (eb) => eb.selectFrom('match_players').select('match_id').where('user_id', '=', userId));
  }

  async countFinishedOf(userId: number): Promise<number> {
    const row = await this.finishedOf(userId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Most recent first (the public match history). */
  async finishedPageOf(userId: number, limit: number, offset: number): Promise<MatchRecord[]> {
    const rows = await this.finishedOf(userId).selectAll().orderBy('finished_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
    return this.withPlayers(rows);
  }

  async allFinishedOf(userId: number): Promise<MatchRecord[]> {
    const rows = await this.finishedOf(userId).selectAll().orderBy('finished_at', 'desc').orderBy('id', 'desc').execute();
    return this.withPlayers(rows);
  }

  async finishedOfStages(stageIds: number[]): Promise<MatchRecord[]> {
    if (stageIds.length === 0) return [];
    const rows = await this.db.selectFrom('matches').selectAll()
      .where('finished', '=', 1).where('tournament_stage_id', 'in', stageIds)
      .orderBy('tournament_n').orderBy('id').execute();
    return this.withPlayers(rows);
  }

  async insertTournament(trx: Executor, tournament: TournamentRow, stages: StageRow[]): Promise<void> {
    await trx.insertInto('tournaments').values(tournament).execute();
    if (stages.length > 0) await trx.insertInto('tournament_stages').values(stages).execute();
  }

  async findTournament(id: number): Promise<{ tournament: TournamentRow; stages: StageRow[] } | null> {
    const tournament = await this.db.selectFrom('tournaments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!tournament) return null;
    const stages = await this.db.selectFrom('tournament_stages').selectAll().where('tournament_id', '=', id).orderBy('stage', 'desc').execute();
    return { tournament, stages };
  }

  /** Archived tournaments in which the user has a finished match. */
  async tournamentIdsOf(userId: number): Promise<number[]> {
    const rows = await this.finishedOf(userId)
      .select('tournament_id').distinct()
      .where('tournament_id', 'is not', null)
      .where('tournament_id', 'in', (eb) => eb.selectFrom('tournaments').select('id'))
      .execute();
    return rows.map((r) => r.tournament_id!).sort((l, r) => l - r);
  }

  private async withPlayers(rows: MatchRow[], executor: Executor = this.db): Promise<MatchRecord[]> {
    if (rows.length === 0) return [];
    const players = await executor.selectFrom('match_players').selectAll().where('match_id', 'in', rows.map((r) => r.id)).execute();
    return rows.map((row) => recordOf(row, players.filter((p) => p.match_id === row.id)));
  }
}

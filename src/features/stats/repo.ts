import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { Database, RankedHistoryTable, UserStatsTable } from '../../platform/db/schema.js';
import type { Executor } from '../auth/repo.js';
import { STAT_MODES, type StatMode } from './messages.js';

export type StatRow = Selectable<UserStatsTable>;
export type RankedRow = Selectable<RankedHistoryTable>;

/** The stats feature's SQL: `user_stats` and `ranked_history`. */
export class StatsRepo {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** The five rows and the first ranked entry (0, 0) of a new account. */
  async createFor(executor: Executor, userId: number, at: string): Promise<void> {
    await executor.insertInto('user_stats').values(STAT_MODES.map((game_mode) => ({ user_id: userId, game_mode }))).execute();
    await executor.insertInto('ranked_history').values({ user_id: userId, trophies: 0, total_trophies: 0, at }).execute();
  }

  async rowsOf(userId: number, executor: Executor = this.db): Promise<StatRow[]> {
    const rows = await executor.selectFrom('user_stats').selectAll().where('user_id', '=', userId).execute();
    return STAT_MODES.map((mode) => rows.find((r) => r.game_mode === mode)).filter((r): r is StatRow => !!r);
  }

  /** One match for the mode's row and the global row. */
  async applyMatch(executor: Executor, userId: number, mode: StatMode, change: { score: number; win: boolean; ownGoals: number }): Promise<void> {
    await executor
      .updateTable('user_stats')
      .set((eb) => ({
        game_played: eb('game_played', '+', 1),
        scored: eb('scored', '+', change.score),
        wins: eb('wins', '+', change.win ? 1 : 0),
        current_win_streak: change.win ? eb('current_win_streak', '+', 1) : sql<number>`0`,
        longest_win_streak: change.win
          ? sql<number>`case when current_win_streak + 1 > longest_win_streak then current_win_streak + 1 else longest_win_streak end`
          : eb.ref('longest_win_streak'),
        own_goals: eb('own_goals', '+', change.ownGoals),
      }))
      .where('user_id', '=', userId)
      .where('game_mode', 'in', [mode, 'global'])
      .execute();
  }

  async addTournamentWin(userId: number): Promise<void> {
    await this.db
      .updateTable('user_stats')
      .set((eb) => ({ tournament_wins: eb('tournament_wins', '+', 1) }))
      .where('user_id', '=', userId)
      .where('game_mode', 'in', ['tournament', 'global'])
      .execute();
  }

  async addRanked(executor: Executor, userId: number, trophies: number, total: number, at: string): Promise<void> {
    await executor.insertInto('ranked_history').values({ user_id: userId, trophies, total_trophies: total, at }).execute();
  }

  async countRanked(userId: number): Promise<number> {
    const row = await this.db.selectFrom('ranked_history').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  rankedPage(userId: number, limit: number, offset: number): Promise<RankedRow[]> {
    return this.db.selectFrom('ranked_history').selectAll().where('user_id', '=', userId).orderBy('id').limit(limit).offset(offset).execute();
  }

  rankedAll(userId: number): Promise<RankedRow[]> {
    return this.db.selectFrom('ranked_history').selectAll().where('user_id', '=', userId).orderBy('id').execute();
  }

  async deleteAllOf(executor: Executor, userId: number): Promise<void> {
    await executor.deleteFrom('ranked_history').where('user_id', '=', userId).execute();
    await executor.deleteFrom('user_stats').where('user_id', '=', userId).execute();
  }
}

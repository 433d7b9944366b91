import { sql, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { dialectOf } from '../../platform/db/migrations/dialect.js';
import type {
  Database, PlayBracketMatchesTable, PlayTournamentRecordsTable, PlayTournamentStagesTable, PlayTournamentsTable,
} from '../../platform/db/schema.js';

export type TournamentRow = Selectable<PlayTournamentsTable>;
export type StageRow = Selectable<PlayTournamentStagesTable>;
export type RecordRow = Selectable<PlayTournamentRecordsTable>;
export type BracketRow = Selectable<PlayBracketMatchesTable>;
export type Executor = Db | Transaction<Database>;
export type DeadlineKind = 'start' | 'launch' | 'round';

/** Everything a view of one tournament needs, read at once. */
export interface Snapshot {
  tournament: TournamentRow;
  records: RecordRow[];
  stages: StageRow[];
  matches: BracketRow[];
}

/** The tournaments' SQL: `play_tournaments`, its stages, records, bracket matches and bans. */
export class TournamentRepo {
  private readonly postgres: boolean;

  constructor(readonly db: Db) {
    this.postgres = dialectOf(db) === 'postgres';
  }

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** The tournament's row lock for the rest of the transaction (PostgreSQL; SQLite transactions are exclusive already). */
  lock(trx: Transaction<Database>, id: number): Promise<TournamentRow | undefined> {
    const query = trx.selectFrom('play_tournaments').selectAll().where('id', '=', id);
    return (this.postgres ? query.forUpdate() : query).executeTakeFirst();
  }

  findById(id: number, executor: Executor = this.db): Promise<TournamentRow | undefined> {
    return executor.selectFrom('play_tournaments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByCode(code: string, executor: Executor = this.db): Promise<TournamentRow | undefined> {
    return executor.selectFrom('play_tournaments').selectAll().where('code', '=', code).executeTakeFirst();
  }

  async codeTaken(code: string): Promise<boolean> {
    return !!(await this.db.selectFrom('play_tournaments').select('id').where('code', '=', code).executeTakeFirst());
  }

  async nameTaken(name: string): Promise<boolean> {
    return !!(await this.db.selectFrom('play_tournaments').select('id').where('name', '=', name).executeTakeFirst());
  }

  async createdBy(userId: number): Promise<boolean> {
    return !!(await this.db.selectFrom('play_tournaments').select('id').where('created_by', '=', userId).where('finished', '=', 0).executeTakeFirst());
  }

  insertTournament(trx: Transaction<Database>, values: Pick<TournamentRow, 'code' | 'name' | 'size' | 'private' | 'created_by' | 'created_at'>): Promise<TournamentRow> {
    return trx.insertInto('play_tournaments').values({ ...values, start_at: null, current_stage_id: null, deadline_kind: null, deadline_ms: null })
      .returningAll().executeTakeFirstOrThrow();
  }

  async updateTournament(executor: Executor, id: number, change: Updateable<PlayTournamentsTable>): Promise<void> {
    await executor.updateTable('play_tournaments').set(change).where('id', '=', id).execute();
  }

  /** The tournament with everything in it (cascade). */
  async deleteTournament(executor: Executor, id: number): Promise<void> {
    await executor.deleteFrom('play_bracket_matches').where('tournament_id', '=', id).execute();
    await executor.deleteFrom('play_tournament_records').where('tournament_id', '=', id).execute();
    await executor.deleteFrom('play_tournament_stages').where('tournament_id', '=', id).execute();
    await executor.deleteFrom('play_tournament_bans').where('tournament_id', '=', id).execute();
    await executor.deleteFrom('play_tournaments').where('id', '=', id).execute();
  }

  // --- records -----------------------------------------------------------------

  /** Records in join order. */
  records(tournamentId: number, executor: Executor = this.db): Promise<RecordRow[]> {
    return executor.selectFrom('play_tournament_records').selectAll().where('tournament_id', '=', tournamentId).orderBy('id').execute();
  }

  connectedRecordOf(userId: number, executor: Executor = this.db): Promise<RecordRow | undefined> {
    return executor.selectFrom('play_tournament_records').selectAll().where('connected_user_id', '=', userId).executeTakeFirst();
  }

  recordIn(tournamentId: number, userId: number, executor: Executor = this.db): Promise<RecordRow | undefined> {
    return executor.selectFrom('play_tournament_records').selectAll()
      .where('tournament_id', '=', tournamentId).where('user_id', '=', userId).executeTakeFirst();
  }

  insertRecord(
    trx: Transaction<Database>,
    values: Pick<RecordRow, 'tournament_id' | 'user_id' | 'trophies' | 'creator' | 'join_at'> & { bot_level?: string | null },
  ): Promise<RecordRow> {
    return trx.insertInto('play_tournament_records')
      .values({ ...values, seed: null, stage_id: null, connected_user_id: values.user_id })
      .returningAll().executeTakeFirstOrThrow();
  }

  async updateRecord(executor: Executor, id: number, change: Updateable<PlayTournamentRecordsTable>): Promise<void> {
    await executor.updateTable('play_tournament_records').set(change).where('id', '=', id).execute();
  }

  async updateRecordOfUser(executor: Executor, tournamentId: number, userId: number, change: Updateable<PlayTournamentRecordsTable>): Promise<void> {
    await executor.updateTable('play_tournament_records').set(change).where('tournament_id', '=', tournamentId).where('user_id', '=', userId).execute();
  }

  async deleteRecord(executor: Executor, id: number): Promise<void> {
    await executor.deleteFrom('play_tournament_records').where('id', '=', id).execute();
  }

  /** Which of these users hold a connected record somewhere (computer players seated in a tournament). */
  async connectedAmong(userIds: number[]): Promise<number[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db.selectFrom('play_tournament_records').select('user_id').where('connected_user_id', 'in', userIds).execute();
    return rows.map((r) => r.user_id);
  }

  async countRecords(tournamentIds: number[]): Promise<Map<number, number>> {
    if (tournamentIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('play_tournament_records').select(['tournament_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tournament_id', 'in', tournamentIds).groupBy('tournament_id').execute();
    return new Map(rows.map((r) => [r.tournament_id, Number(r.n)]));
  }

  // --- bans --------------------------------------------------------------------

  async isBanned(tournamentId: number, userId: number): Promise<boolean> {
    return !!(await this.db.selectFrom('play_tournament_bans').select('user_id')
      .where('tournament_id', '=', tournamentId).where('user_id', '=', userId).executeTakeFirst());
  }

  async ban(trx: Transaction<Database>, tournamentId: number, userId: number): Promise<void> {
    await trx.insertInto('play_tournament_bans').values({ tournament_id: tournamentId, user_id: userId }).onConflict((oc) => oc.doNothing()).execute();
  }

  // --- stages and bracket --------------------------------------------------------

  stages(tournamentId: number, executor: Executor = this.db): Promise<StageRow[]> {
    return executor.selectFrom('play_tournament_stages').selectAll().where('tournament_id', '=', tournamentId).orderBy('stage').execute();
  }

  insertStage(trx: Transaction<Database>, values: Omit<StageRow, 'id'>): Promise<StageRow> {
    return trx.insertInto('play_tournament_stages').values(values).returningAll().executeTakeFirstOrThrow();
  }

  matches(tournamentId: number, executor: Executor = this.db): Promise<BracketRow[]> {
    return executor.selectFrom('play_bracket_matches').selectAll().where('tournament_id', '=', tournamentId).orderBy('id').execute();
  }

  /** The goals so far of the games still being played among these, by match id (team a, team b). */
  async liveScores(matchIds: number[]): Promise<Map<number, { a: number; b: number }>> {
    if (matchIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('matches').select(['id', 'score_a', 'score_b'])
      .where('id', 'in', matchIds).where('finished', '=', 0).execute();
    return new Map(rows.map((row) => [row.id, { a: row.score_a, b: row.score_b }]));
  }

  matchById(id: number, executor: Executor = this.db): Promise<BracketRow | undefined> {
    return executor.selectFrom('play_bracket_matches').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The bracket match a game was created for: by its id, else by its stage and number. */
  async matchOfGame(game: { id: number; stageId: number | null; n: number | null }): Promise<BracketRow | undefined> {
    const byId = await this.db.selectFrom('play_bracket_matches').selectAll().where('match_id', '=', game.id).executeTakeFirst();
    if (byId || game.stageId === null || game.n === null) return byId;
    return this.db.selectFrom('play_bracket_matches').selectAll()
      .where('stage_id', '=', game.stageId).where('n', '=', game.n).where('match_id', 'is', null).executeTakeFirst();
  }

  insertMatch(trx: Transaction<Database>, values: Pick<BracketRow, 'tournament_id' | 'stage_id' | 'n' | 'position' | 'user_1' | 'user_2'>): Promise<BracketRow> {
    return trx.insertInto('play_bracket_matches').values(values).returningAll().executeTakeFirstOrThrow();
  }

  async updateMatch(executor: Executor, id: number, change: Updateable<PlayBracketMatchesTable>): Promise<void> {
    await executor.updateTable('play_bracket_matches').set(change).where('id', '=', id).execute();
  }

  /** Takes the launch of one bracket match: true for exactly one caller. */
  async claimLaunch(id: number): Promise<boolean> {
    const result = await this.db.updateTable('play_bracket_matches').set({ launched: 1 }).where('id', '=', id).where('launched', '=', 0).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The game created for a slot; its code shows while the slot is unfinished (a quick result may already be in). */
  async attachGame(id: number, matchId: number, code: string | null): Promise<void> {
    await this.db.updateTable('play_bracket_matches').set({ match_id: matchId }).where('id', '=', id).execute();
    await this.db.updateTable('play_bracket_matches').set({ match_code: code }).where('id', '=', id).where('finished', '=', 0).execute();
  }

  /** A launch claimed by a previous run that never created its game (single node only). */
  async unclaimLaunch(id: number): Promise<void> {
    await this.db.updateTable('play_bracket_matches').set({ launched: 0 }).where('id', '=', id).where('match_id', 'is', null).where('finished', '=', 0).execute();
  }

  /** A launched game that vanished (discarded by a restart): the slot goes back to "not launched". */
  async resetLaunch(id: number, matchId: number): Promise<boolean> {
    const result = await this.db.updateTable('play_bracket_matches').set({ launched: 0, match_id: null, match_code: null })
      .where('id', '=', id).where('match_id', '=', matchId).where('finished', '=', 0).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async snapshot(tournamentId: number, executor: Executor = this.db): Promise<Snapshot | null> {
    const tournament = await this.findById(tournamentId, executor);
    if (!tournament) return null;
    const [records, stages, matches] = [await this.records(tournamentId, executor), await this.stages(tournamentId, executor), await this.matches(tournamentId, executor)];
    return { tournament, records, stages, matches };
  }

  // --- deadlines -------------------------------------------------------------------

  async setDeadline(executor: Executor, id: number, kind: DeadlineKind | null, atMs: number | null): Promise<void> {
    await executor.updateTable('play_tournaments').set({ deadline_kind: kind, deadline_ms: atMs }).where('id', '=', id).execute();
  }

  /** Clears the deadline if it is still this one: true for exactly one node. */
  async claimDeadline(executor: Executor, id: number, kind: DeadlineKind, atMs: number): Promise<boolean> {
    const result = await executor.updateTable('play_tournaments').set({ deadline_kind: null, deadline_ms: null })
      .where('id', '=', id).where('deadline_kind', '=', kind).where('deadline_ms', '=', atMs).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  dueDeadlines(nowMs: number): Promise<Array<{ id: number; deadline_kind: string | null; deadline_ms: number | null }>> {
    return this.db.selectFrom('play_tournaments').select(['id', 'deadline_kind', 'deadline_ms'])
      .where('deadline_ms', 'is not', null).where('deadline_ms', '<=', nowMs).orderBy('deadline_ms').execute();
  }

  /** Every pending deadline (a node arms its timers from them at start-up). */
  pendingDeadlines(): Promise<Array<{ id: number; deadline_kind: string | null; deadline_ms: number | null }>> {
    return this.db.selectFrom('play_tournaments').select(['id', 'deadline_kind', 'deadline_ms']).where('deadline_ms', 'is not', null).execute();
  }

  /** Running tournaments without a pending deadline: what a restart checks for interrupted launches. */
  runningWithoutDeadline(): Promise<TournamentRow[]> {
    return this.db.selectFrom('play_tournaments').selectAll().where('started', '=', 1).where('deadline_kind', 'is', null).execute();
  }

  // --- search --------------------------------------------------------------------------

  /** The search: not started, name contains `q` (case-insensitive), public or the caller's, the caller not banned. */
  search(q: string, callerId: number): Promise<TournamentRow[]> {
    const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.db.selectFrom('play_tournaments').selectAll()
      .where('started', '=', 0)
      .where(sql<boolean>`lower(name) like ${pattern} escape '\\'`)
      .where((eb) => eb.or([eb('private', '=', 0), eb('created_by', '=', callerId)]))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('play_tournament_bans').select('user_id')
        .whereRef('play_tournament_bans.tournament_id', '=', 'play_tournaments.id').where('play_tournament_bans.user_id', '=', callerId))))
      .orderBy('id')
      .execute();
  }
}

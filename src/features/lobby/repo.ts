import { sql, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { dialectOf } from '../../platform/db/migrations/dialect.js';
import type { Database, LobbiesTable, LobbyMembersTable } from '../../platform/db/schema.js';

export type LobbyRow = Selectable<LobbiesTable>;
export type MemberRow = Selectable<LobbyMembersTable>;
export type Executor = Db | Transaction<Database>;

/** Any number: the PostgreSQL advisory lock that serialises clash team assembly across nodes. */
const CLASH_POOL_LOCK = 5_050_506;

/** The lobbies' SQL: `lobbies`, `lobby_members`, `lobby_bans`. */
export class LobbyRepo {
  private readonly postgres: boolean;

  constructor(private readonly db: Db) {
    this.postgres = dialectOf(db) === 'postgres';
  }

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /**
   * Takes the lobby's row lock for the rest of the transaction (PostgreSQL;
   * SQLite transactions are exclusive already) and answers the fresh row.
   */
  async lock(trx: Transaction<Database>, lobbyId: number): Promise<LobbyRow | undefined> {
    const query = trx.selectFrom('lobbies').selectAll().where('id', '=', lobbyId);
    return (this.postgres ? query.forUpdate() : query).executeTakeFirst();
  }

  /** Serialises clash assemblies across nodes (PostgreSQL). */
  async lockClashPool(trx: Transaction<Database>): Promise<void> {
    if (this.postgres) await sql`select pg_advisory_xact_lock(${CLASH_POOL_LOCK})`.execute(trx);
  }

  findByCode(code: string, executor: Executor = this.db): Promise<LobbyRow | undefined> {
    return executor.selectFrom('lobbies').selectAll().where('code', '=', code).executeTakeFirst();
  }

  findById(id: number, executor: Executor = this.db): Promise<LobbyRow | undefined> {
    return executor.selectFrom('lobbies').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async codeTaken(code: string): Promise<boolean> {
    return !!(await this.db.selectFrom('lobbies').select('id').where('code', '=', code).executeTakeFirst());
  }

  /** Members in join order. */
  members(lobbyId: number, executor: Executor = this.db): Promise<MemberRow[]> {
    return executor.selectFrom('lobby_members').selectAll().where('lobby_id', '=', lobbyId).orderBy('id').execute();
  }

  membershipOf(userId: number, executor: Executor = this.db): Promise<MemberRow | undefined> {
    return executor.selectFrom('lobby_members').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  async insertLobby(trx: Transaction<Database>, values: Omit<LobbyRow, 'id' | 'ready' | 'game_playing' | 'match_id'>): Promise<LobbyRow> {
    return trx.insertInto('lobbies').values(values).returningAll().executeTakeFirstOrThrow();
  }

  insertMember(trx: Transaction<Database>, values: Omit<MemberRow, 'id'>): Promise<MemberRow> {
    return trx.insertInto('lobby_members').values(values).returningAll().executeTakeFirstOrThrow();
  }

  async updateMember(trx: Transaction<Database>, memberId: number, change: Updateable<LobbyMembersTable>): Promise<void> {
    await trx.updateTable('lobby_members').set(change).where('id', '=', memberId).execute();
  }

  async deleteMember(trx: Transaction<Database>, memberId: number): Promise<void> {
    await trx.deleteFrom('lobby_members').where('id', '=', memberId).execute();
  }

  async updateLobby(executor: Executor, lobbyId: number, change: Updateable<LobbiesTable>): Promise<void> {
    await executor.updateTable('lobbies').set(change).where('id', '=', lobbyId).execute();
  }

  /** The lobby with its members and bans (foreign keys cascade). */
  async deleteLobby(trx: Transaction<Database>, lobbyId: number): Promise<void> {
    await trx.deleteFrom('lobby_members').where('lobby_id', '=', lobbyId).execute();
    await trx.deleteFrom('lobby_bans').where('lobby_id', '=', lobbyId).execute();
    await trx.deleteFrom('lobbies').where('id', '=', lobbyId).execute();
  }

  async isBanned(lobbyId: number, userId: number): Promise<boolean> {
    return !!(await this.db.selectFrom('lobby_bans').select('user_id').where('lobby_id', '=', lobbyId).where('user_id', '=', userId).executeTakeFirst());
  }

  async ban(trx: Transaction<Database>, lobbyId: number, userId: number): Promise<void> {
    await trx.insertInto('lobby_bans').values({ lobby_id: lobbyId, user_id: userId }).onConflict((oc) => oc.doNothing()).execute();
  }

  /** The clash pool: ready clash lobbies not playing, with their members. */
  async pool(trx: Transaction<Database>): Promise<Array<{ lobby: LobbyRow; members: MemberRow[] }>> {
    const lobbies = await trx.selectFrom('lobbies').selectAll()
      .where('game_mode', '=', 'clash').where('ready', '=', 1).where('game_playing', 'is', null).orderBy('id').execute();
    if (lobbies.length === 0) return [];
    const members = await trx.selectFrom('lobby_members').selectAll().where('lobby_id', 'in', lobbies.map((l) => l.id)).orderBy('id').execute();
    return lobbies.map((lobby) => ({ lobby, members: members.filter((m) => m.lobby_id === lobby.id) }));
  }

  /** A game started: every member not ready, the code and match kept, the ready flag cleared. */
  async markPlaying(trx: Transaction<Database>, lobbyIds: number[], code: string, matchId: number): Promise<void> {
    await trx.updateTable('lobbies').set({ game_playing: code, match_id: matchId, ready: 0 }).where('id', 'in', lobbyIds).execute();
    await trx.updateTable('lobby_members').set({ is_ready: 0 }).where('lobby_id', 'in', lobbyIds).execute();
  }

  /** The match is over: the lobbies that played it leave the playing state. */
  /** The lobbies that were playing this match, now playing nothing; answers their ids. */
  async clearPlaying(matchId: number): Promise<number[]> {
    const rows = await this.db.selectFrom('lobbies').select('id').where('match_id', '=', matchId).execute();
    if (rows.length === 0) return [];
    await this.db.updateTable('lobbies').set({ game_playing: null, match_id: null }).where('match_id', '=', matchId).execute();
    return rows.map((r) => r.id);
  }
}

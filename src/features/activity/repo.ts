import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { idIn } from '../../platform/db/id-list.js';

/** One player of an unfinished match, with what the list shows of him. */
export interface LivePlayerRow {
  match_id: number;
  code: string | null;
  match_type: string;
  game_mode: string;
  created_at: string;
  score_a: number;
  score_b: number;
  spectators: number | null;
  tournament_id: number | null;
  /** 1 for a game of a private tournament. */
  tournament_private: number | null;
  user_id: number;
  team: string;
  username: string | null;
  profile_picture_id: number | null;
  /** Set for a lobby bot's account. */
  bot: number | null;
  /** The level of the computer player holding the seat (match_players.bot_level); null for a person. */
  bot_level: string | null;
}

/** A block between a user and a player of a live match (either may be the blocker). */
export interface BlockRow {
  blocker_id: number;
  blocked_id: number;
}

/** A user who may see a private live match besides its players. */
export interface AudienceRow {
  match_id: number;
  user_id: number;
}

export interface LadderRow {
  id: number;
  trophies: number;
  rank: number;
  username: string;
  profile_picture_id: number;
}

/**
 * The activity feature's SQL. It is a read model: it writes nothing and
 * reads other features' tables in single statements (a per-row call to
 * their services would cost one query per match or per user), applying
 * their rules as documented in docs/api.md (Activity).
 */
// Literals, not parameters: a partial index (010_activity) is used only for a condition the planner can read.
const ZERO = sql.lit(0);
const ONE = sql.lit(1);

export class ActivityRepo {
  constructor(private readonly db: Db) {}

  /** Users online on any node, and public tournaments not started yet. */
  async counts(): Promise<{ online: number; open_tournaments: number }> {
    const row = await this.db.selectNoFrom((eb) => [
      eb.selectFrom('users').select((c) => c.fn.countAll<number>().as('n')).where('is_online', '=', ONE).as('online'),
      eb.selectFrom('play_tournaments').select((c) => c.fn.countAll<number>().as('n'))
        .where('started', '=', 0).where('private', '=', 0).as('open_tournaments'),
    ]).executeTakeFirstOrThrow();
    return { online: Number(row.online ?? 0), open_tournaments: Number(row.open_tournaments ?? 0) };
  }

  /**
   * Every player of every unfinished match, newest match first, team a then
   * b, list order: one statement, so the matches, scores and spectators are
   * one consistent picture.
   */
  livePlayers(): Promise<LivePlayerRow[]> {
    return this.db.selectFrom('matches as m')
      .innerJoin('match_players as p', 'p.match_id', 'm.id')
      .leftJoin('users as u', 'u.id', 'p.user_id')
      .leftJoin('live_rooms as r', 'r.match_id', 'm.id')
      .leftJoin('play_tournaments as t', 't.id', 'm.tournament_id')
      .leftJoin('play_bots as b', 'b.user_id', 'p.user_id')
      .select([
        'm.id as match_id', 'm.code', 'm.match_type', 'm.game_mode', 'm.created_at', 'm.score_a', 'm.score_b',
        'r.spectators', 'm.tournament_id', 't.private as tournament_private',
        'p.user_id', 'p.team', 'p.bot_level', 'u.username', 'u.profile_picture_id',
        sql<number | null>`case when ${sql.ref('b.user_id')} is null then 0 else 1 end`.as('bot'),
      ])
      .where('m.finished', '=', ZERO)
      .orderBy('m.created_at', 'desc').orderBy('m.id', 'desc').orderBy('p.team').orderBy('p.position')
      .execute() as Promise<LivePlayerRow[]>;
  }

  /** Every block with a player of an unfinished match on either side (a few per player, whatever the number of users). */
  liveBlocks(): Promise<BlockRow[]> {
    const livePlayers = this.db.selectFrom('match_players').select('live_user_id').where('live_user_id', 'is not', null);
    // Two lookups, each on its own index (an OR of both would read every block).
    return this.db.selectFrom('blocks').select(['blocker_id', 'blocked_id']).where('blocker_id', 'in', livePlayers)
      .unionAll(this.db.selectFrom('blocks').select(['blocker_id', 'blocked_id']).where('blocked_id', 'in', livePlayers))
      .execute();
  }

  /**
   * Who may see the private live matches besides their players: the members
   * of the lobby playing a custom game, the participants of a private
   * tournament (docs/api.md, Activity).
   */
  async liveAudience(): Promise<AudienceRow[]> {
    const rows = await this.db.selectFrom('matches as m')
      .innerJoin('lobbies as l', 'l.match_id', 'm.id')
      .innerJoin('lobby_members as lm', 'lm.lobby_id', 'l.id')
      .select(['m.id as match_id', 'lm.user_id'])
      .where('m.finished', '=', ZERO).where('m.game_mode', '=', 'custom_game')
      .unionAll(this.db.selectFrom('matches as m')
        .innerJoin('play_tournaments as t', 't.id', 'm.tournament_id')
        .innerJoin('play_tournament_records as r', 'r.tournament_id', 't.id')
        .select(['m.id as match_id', 'r.user_id'])
        .where('m.finished', '=', ZERO).where('t.private', '=', 1))
      .execute();
    return rows;
  }

  /**
   * The ladder: registered users (no guest, no lobby bot; deleted accounts
   * have no row), by trophies then id, each with its standard competition
   * rank (1, 2, 2, 4) from the window function both databases run.
   */
  /** Whether a room is refereeing a match with this code (on any node): `live_rooms`, indexed by code. */
  async isLiveCode(code: string): Promise<boolean> {
    return !!(await this.db.selectFrom('live_rooms').select('match_id').where('code', '=', code).executeTakeFirst());
  }

  async ladder(): Promise<LadderRow[]> {
    const rows = await this.ladderUsers()
      .select(sql<number>`rank() over (order by ${sql.ref('trophies')} desc)`.as('rank'))
      .orderBy('trophies', 'desc').orderBy('id')
      .execute();
    return rows as LadderRow[];
  }

  /** Those of these users who are on the ladder, as they are now (without a rank: the ladder places them). */
  ladderRowsOf(ids: number[]): Promise<Array<Omit<LadderRow, 'rank'>>> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.ladderUsers().where(idIn(this.db, 'id', ids)).execute();
  }

  private ladderUsers() {
    return this.db.selectFrom('users')
      .select(['id', 'trophies', 'username', 'profile_picture_id'])
      .where('is_guest', '=', ZERO)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('play_bots').select('play_bots.user_id').whereRef('play_bots.user_id', '=', 'users.id'))));
  }
}

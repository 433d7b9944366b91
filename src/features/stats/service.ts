import type { Clock } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import { notFound } from '../../platform/http/errors.js';
import type { Executor } from '../auth/repo.js';
import type { FriendsService } from '../friends/service.js';
import { FUN_PLAYER_PICTURE, picturesReached, UnlockRules } from '../users/pictures.js';
import type { UsersService } from '../users/service.js';
import { StatsMessages, type GameMode, type StatMode } from './messages.js';
import type { RankedRow, StatRow, StatsRepo } from './repo.js';
import { MIN_RANKED_WIN } from './trophies.js';

export interface PlayerResult {
  id: number;
  score: number;
  /** Ranked only: the trophy change computed by the game (see `rankedTrophyChange`). */
  trophies?: number;
  /** Clash only; `own_goal` is the game's spelling and is accepted too. */
  own_goals?: number;
  own_goal?: number;
}

export interface TeamResult {
  score: number;
  players: PlayerResult[];
}

/** The body of `POST /api/private/users/result-match/`. */
export interface MatchResult {
  game_mode: GameMode;
  winner: string;
  looser: string;
  teams: { a: TeamResult; b: TeamResult };
}

/**
 * Statistics, ranked history and what a recorded result changes (stats,
 * trophies, pictures, friendship counters).
 */
export class StatsService {
  private trophyListeners: Array<(userId: number) => void> = [];

  constructor(
    private readonly repo: StatsRepo,
    private readonly users: UsersService,
    private readonly friends: FriendsService,
    private readonly clock: Clock,
  ) {
    users.registerProfileInitializer((trx, userId, _isGuest, now) => this.repo.createFor(trx, userId, now));
  }

  /** Told once a user's trophy total changed (committed): the ladder. */
  onTrophiesChanged(listener: (userId: number) => void): void {
    this.trophyListeners.push(listener);
  }

  /** A statistics row: `id` on every row, `own_goals` only on clash, `tournament_wins` only on tournament. */
  private statView(row: StatRow) {
    const view: Record<string, unknown> = {
      id: row.id,
      game_mode: row.game_mode,
      scored: row.scored,
      game_played: row.game_played,
      wins: row.wins,
      longest_win_streak: row.longest_win_streak,
      current_win_streak: row.current_win_streak,
    };
    if (row.game_mode === 'clash') view.own_goals = row.own_goals;
    if (row.game_mode === 'tournament') view.tournament_wins = row.tournament_wins;
    return view;
  }

  private rankedView(row: RankedRow) {
    return { id: row.id, trophies: row.trophies, total_trophies: row.total_trophies, at: row.at, user: row.user_id };
  }

  /** Five rows: global, clash, duel, ranked, tournament. */
  async stats(userId: number) {
    return (await this.repo.rowsOf(userId)).map((r) => this.statView(r));
  }

  countRanked(userId: number): Promise<number> {
    return this.repo.countRanked(userId);
  }

  /** The ranked trophy history, oldest first. */
  async rankedPage(userId: number, limit: number, offset: number) {
    return (await this.repo.rankedPage(userId, limit, offset)).map((r) => this.rankedView(r));
  }

  async rankedHistory(userId: number) {
    return (await this.repo.rankedAll(userId)).map((r) => this.rankedView(r));
  }

  deleteRowsOf(trx: Executor, userId: number): Promise<void> {
    return this.repo.deleteAllOf(trx, userId);
  }

  /**
   * A recorded result: every existing player's `game_playing` is cleared;
   * outside custom games their stats, ranked trophies and pictures change;
   * then the friendship counters of every pair of players.
   */
  async recordMatchResult(result: MatchResult): Promise<void> {
    const entries = (['a', 'b'] as const).flatMap((team) => result.teams[team].players.map((player) => ({ team, player })));
    const existing = new Set((await this.users.findManyByIds(entries.map((e) => e.player.id))).map((u) => u.id));
    await this.users.clearGamePlaying([...existing]);
    const seen = new Set<number>();
    if (result.game_mode !== 'custom_game') {
      for (const { team, player } of entries) {
        if (!existing.has(player.id) || seen.has(player.id)) continue;
        seen.add(player.id);
        await this.recordPlayer(result.game_mode, player, team === result.winner);
      }
    }
    await this.recordFriendships(result, existing);
  }

  private async recordPlayer(mode: StatMode, player: PlayerResult, win: boolean): Promise<void> {
    const ownGoals = mode === 'clash' ? (player.own_goals ?? player.own_goal ?? 0) : 0;
    let newTotal: number | null = null;
    await this.repo.transaction(async (trx) => {
      await this.repo.applyMatch(trx, player.id, mode, { score: player.score, win, ownGoals });
      if (mode === 'ranked' && typeof player.trophies === 'number') {
        // A win never costs trophies (a design decision, see trophies.ts).
        const change = win ? Math.max(MIN_RANKED_WIN, player.trophies) : player.trophies;
        newTotal = await this.users.addTrophies(trx, player.id, change);
        await this.repo.addRanked(trx, player.id, change, newTotal, isoAt(this.clock.now()));
      }
    });
    if (newTotal !== null) {
      for (const listener of this.trophyListeners) {
        try {
          listener(player.id);
        } catch {
          // The result is recorded; a listener's failure changes nothing to it.
        }
      }
    }
    const rows = await this.repo.rowsOf(player.id);
    const row = (m: StatMode) => rows.find((r) => r.game_mode === m)!;
    const pictures: number[] = [];
    if (newTotal !== null) pictures.push(...picturesReached(UnlockRules.trophies, newTotal));
    if (mode === 'clash') pictures.push(...picturesReached(UnlockRules.clashWins, row('clash').wins));
    if (mode === 'duel') pictures.push(...picturesReached(UnlockRules.duelWins, row('duel').wins));
    pictures.push(...picturesReached(UnlockRules.winStreak, row(mode).longest_win_streak));
    if (rows.length === 5 && rows.every((r) => r.wins >= 1)) pictures.push(FUN_PLAYER_PICTURE);
    pictures.push(...picturesReached(UnlockRules.scored, row('global').scored));
    await this.users.unlockPictures(player.id, pictures);
  }

  /**
   * The friendship counters, custom games included: friends on opposite sides played one more match
   * against each other, and the one on the winning side gets the win; in 3v3, every pair of friends in
   * one team played one more match together, and won it together if their team won.
   */
  private async recordFriendships(result: MatchResult, existing: Set<number>): Promise<void> {
    const ids = (team: 'a' | 'b') => [...new Set(result.teams[team].players.map((p) => p.id).filter((id) => existing.has(id)))];
    const a = ids('a');
    const b = ids('b');
    for (const p of a) {
      for (const q of b) {
        if (p === q) continue;
        const winner = result.winner === 'a' ? p : result.winner === 'b' ? q : null;
        await this.friends.recordAgainst(p, q, winner);
      }
    }
    for (const team of ['a', 'b'] as const) {
      if (result.teams[team].players.length !== 3) continue;
      const members = ids(team);
      for (let i = 0; i < members.length; i++) {
        for (let j = i + 1; j < members.length; j++) await this.friends.recordTogether(members[i], members[j], result.winner === team);
      }
    }
  }

  /** A tournament win: `tournament_wins += 1` on the tournament and global rows, then the tournament pictures. */
  async recordTournamentWin(winnerId: number): Promise<void> {
    const user = await this.users.findById(winnerId);
    if (!user) throw notFound(StatsMessages.userNotFound);
    await this.repo.addTournamentWin(winnerId);
    const rows = await this.repo.rowsOf(winnerId);
    const tournament = rows.find((r) => r.game_mode === 'tournament');
    if (tournament) await this.users.unlockPictures(winnerId, picturesReached(UnlockRules.tournamentWins, tournament.tournament_wins));
  }
}

import type { Clock } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import { serviceUnavailable } from '../../platform/http/errors.js';
import { rankedTrophyChange } from '../stats/trophies.js';
import type { UsersService } from '../users/service.js';
import type { FinishReason } from './messages.js';
import { otherTeam, playersOf, type MatchRecord, type Team } from './model.js';
import type { LiveMatchObserver, LobbyMatchListener, MatchResult, MatchResultSink, TournamentMatchListener } from './ports.js';
import type { MatchesRepo } from './repo.js';

export interface Outcome {
  reason: FinishReason;
  /** Final team scores; the recorded ones when absent. */
  score?: Record<Team, number>;
  /** The player whose absence ended the match (forfeits). */
  forfeitedBy?: number;
}

/** Who hears about a finished match besides the database. */
export interface FinishListeners {
  sink: MatchResultSink;
  live: LiveMatchObserver | null;
  tournament: TournamentMatchListener | null;
  lobby: LobbyMatchListener | null;
}

/** The bare match object sent to the social feature (the stats service). */
export function resultOf(match: MatchRecord): MatchResult {
  const team = (t: Team) => ({
    score: match.score[t],
    players: playersOf(match, t).map((p) => ({
      id: p.userId,
      score: p.score,
      ...(match.gameMode === 'ranked' && p.trophies !== null ? { trophies: p.trophies } : {}),
      ...(match.gameMode === 'clash' ? { own_goal: p.ownGoal } : {}),
    })),
  });
  return {
    id: match.id,
    game_mode: match.gameMode,
    winner: match.winner!,
    looser: match.looser ?? otherTeam(match.winner!),
    finish_reason: match.finishReason!,
    teams: { a: team('a'), b: team('b') },
  };
}

/** The finishing sequence of a match, in one place whatever ended the match. */
export class MatchFinisher {
  constructor(
    private readonly repo: MatchesRepo,
    private readonly users: UsersService,
    private readonly clock: Clock,
    private readonly listeners: () => FinishListeners,
  ) {}

  /** Returns the finished match, or null when it had already been finished by someone else. */
  async finish(match: MatchRecord, outcome: Outcome): Promise<MatchRecord | null> {
    const score = outcome.score ?? match.score;
    // A tie (players-timeout at 0–0) goes to team a.
    const winner: Team = score.a >= score.b ? 'a' : 'b';
    const trophies = match.gameMode === 'ranked' ? await this.trophyChanges(match, winner) : [];
    const finished = await this.repo.transaction(async (trx) => {
      const done = await this.repo.finish(trx, match.id, {
        finish_reason: match.finishReason ?? outcome.reason,
        finished_at: isoAt(this.clock.now()),
        score_a: score.a,
        score_b: score.b,
        winner,
        looser: otherTeam(winner),
        forfeited_by: outcome.forfeitedBy ?? null,
      });
      if (!done) return null;
      for (const { userId, change } of trophies) await this.repo.setTrophyChange(trx, match.id, userId, change);
      return this.repo.find(match.id, trx);
    });
    if (!finished) return null;
    await this.announce(finished);
    return finished;
  }

  /** Ranked trophies (stats/trophies.ts) on the totals the users have now: `+gain` for the winners, `−loss` for the losers. */
  private async trophyChanges(match: MatchRecord, winner: Team): Promise<Array<{ userId: number; change: number }>> {
    const rows = await this.users.findManyByIds(match.players.map((p) => p.userId));
    const total = (team: Team) => rows.find((r) => r.id === playersOf(match, team)[0]?.userId)?.trophies ?? 0;
    const { gain, loss } = rankedTrophyChange(total(winner), total(otherTeam(winner)));
    return match.players.map((p) => ({ userId: p.userId, change: p.team === winner ? gain : -loss }));
  }

  /** Follow-ups, then the result, then the live room: a `game_over` means the result is recorded. */
  private async announce(match: MatchRecord): Promise<void> {
    const { sink, live, tournament, lobby } = this.listeners();
    let recorded = true;
    try {
      // Failures of the follow-ups (tournament, lobby) are ignored: the statistics are recorded anyway.
      if (match.gameMode === 'tournament') await tournament?.matchFinished(match).catch(() => {});
      if (match.gameMode === 'clash' || match.gameMode === 'custom_game') await lobby?.matchFinished(match).catch(() => {});
      await sink.recordMatchResult(resultOf(match)).catch(() => { recorded = false; });
    } finally {
      try {
        live?.matchFinished(match);
      } catch {
        // A room that fails to close must not turn a recorded result into an error.
      }
    }
    if (!recorded) throw serviceUnavailable('users');
  }
}

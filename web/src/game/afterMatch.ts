import { api } from '../api/client';
import type { MatchObject, Page, Tournament } from '../api/types';
import { STAGES } from '../play/Bracket';
import type { GameOver } from './OnlineMatch';

const STAGE_NAMES: Record<string, string> = { 'round-of-16': 'round of 16', 'quarter-final': 'quarter-finals', 'semi-final': 'semi-finals', final: 'final' };

/** The user's recorded match with this id, once finished (it leads the history, most recent first). */
export async function recordedMatch(userId: number, matchId: number): Promise<MatchObject | null> {
  const page = await api<Page<MatchObject>>('GET', `/api/game/matches/${userId}/?limit=5&offset=0`);
  const found = page.ok ? page.data.results.find((m) => m.id === matchId) : undefined;
  return found?.finished ? found : null;
}

/** A finished match's result in the shape of `game_over`, for a player who comes back after it ended. */
export function gameOverOf(match: MatchObject & { forfeited_by?: number | null }): GameOver {
  return {
    reason: match.finish_reason ?? 'normal-end',
    winner: match.winner,
    team_a: match.teams.a.score,
    team_b: match.teams.b.score,
    forfeited_by: match.forfeited_by ?? null,
    // Recorded: its replay is linked as from the match history.
    match_id: match.id,
  };
}

/**
 * "+12 trophies, 1,024 now" from the recorded match (the change) and the user's new total. A total never
 * goes below 0, while the match records the change unfloored: with the total the match started with
 * (`before`, from game-start), the line says what was really lost.
 */
export async function trophyLine(userId: number, matchId: number, total: number | undefined, before?: number | null): Promise<string | null> {
  const match = await recordedMatch(userId, matchId);
  const me = match && [...match.teams.a.players, ...match.teams.b.players].find((p) => p.id === userId);
  if (!me || typeof me.trophies !== 'number') return null;
  const floored = total === 0 && me.trophies < 0 && typeof before === 'number' && before >= 0;
  const change = floored ? -before : me.trophies;
  const now = total === undefined ? '' : `, ${total.toLocaleString('en-US')} now`;
  if (change === 0) return `No trophies won or lost${now}.`;
  return `${change > 0 ? '+' : '−'}${Math.abs(change)} ${Math.abs(change) === 1 ? 'trophy' : 'trophies'}${now}.`;
}

/** What comes next in the tournament for a player whose match just ended. */
export async function tournamentNextStep(userId: number, won: boolean): Promise<string> {
  if (!won) return 'You are out of the tournament. You can watch the other matches from the bracket.';
  const current = await api<Tournament>('GET', '/api/play/tournament/');
  if (!current.ok) return 'You won the tournament!';
  const rounds = current.data.matches ?? {};
  const mine = STAGES.filter((stage) => (rounds[stage] ?? []).some((m) => m.user_1?.id === userId || m.user_2?.id === userId));
  const last = mine[mine.length - 1];
  if (last === 'final') return 'You won the tournament!';
  const next = STAGES[STAGES.indexOf(last ?? 'semi-final') + 1] ?? 'final';
  return `You are through to the ${STAGE_NAMES[next]}. It starts when the other matches of this round are over.`;
}

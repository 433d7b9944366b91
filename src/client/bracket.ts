import type { BracketMatch } from './types.js';

/**
 * The score shown beside a seat of a running tournament's bracket, the same
 * in every client: the result once the match is decided, the goals so far
 * while its game is played (`live_score`, docs/api.md), else none.
 */
export function seatScore(match: Pick<BracketMatch, 'winner' | 'score_winner' | 'score_looser' | 'finished' | 'live_score' | 'user_1' | 'user_2'>, seat: 'user_1' | 'user_2'): number | null {
  const player = match[seat];
  if (!player) return null;
  if (match.winner !== undefined && match.winner !== null) return match.winner === player.id ? match.score_winner : match.score_looser;
  return (match.finished ? undefined : match.live_score?.[seat]) ?? null;
}

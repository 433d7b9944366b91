import type { Selectable } from 'kysely';
import type { MatchesTable, MatchPlayersTable, TournamentStagesTable, TournamentsTable } from '../../platform/db/schema.js';
import type { FinishReason, GameMode } from './messages.js';

export type Team = 'a' | 'b';
export type MatchType = '1v1' | '3v3';
export const TEAMS: readonly Team[] = ['a', 'b'];

export type MatchRow = Selectable<MatchesTable>;
export type PlayerRow = Selectable<MatchPlayersTable>;
export type TournamentRow = Selectable<TournamentsTable>;
export type StageRow = Selectable<TournamentStagesTable>;

export interface MatchPlayer {
  userId: number;
  team: Team;
  /** 0-based rank in the team's list. */
  position: number;
  score: number;
  ownGoal: number;
  trophies: number | null;
  /** A computer player's level (`easy`, `medium`, `hard`); null for a person. */
  computer: string | null;
}

/** One match with its players, as the service reasons about it. */
export interface MatchRecord {
  id: number;
  code: string | null;
  gameMode: GameMode;
  matchType: MatchType;
  createdAt: string;
  tournamentId: number | null;
  tournamentStageId: number | null;
  tournamentN: number | null;
  gameStart: boolean;
  finished: boolean;
  finishReason: FinishReason | null;
  finishedAt: string | null;
  score: Record<Team, number>;
  winner: Team | null;
  looser: Team | null;
  /** The user whose absence ended the match (`player-disconnect`, `player-not-connected`), else null. */
  forfeitedBy: number | null;
  /** Team a then team b, list order inside each team. */
  players: MatchPlayer[];
}

export function recordOf(row: MatchRow, players: PlayerRow[]): MatchRecord {
  const ordered = [...players].sort((l, r) => (l.team === r.team ? l.position - r.position : l.team < r.team ? -1 : 1));
  return {
    id: row.id,
    code: row.code,
    gameMode: row.game_mode as GameMode,
    matchType: row.match_type as MatchType,
    createdAt: row.created_at,
    tournamentId: row.tournament_id,
    tournamentStageId: row.tournament_stage_id,
    tournamentN: row.tournament_n,
    gameStart: row.game_start === 1,
    finished: row.finished === 1,
    finishReason: row.finish_reason as FinishReason | null,
    finishedAt: row.finished_at,
    score: { a: row.score_a, b: row.score_b },
    winner: row.winner as Team | null,
    looser: row.looser as Team | null,
    forfeitedBy: row.forfeited_by ?? null,
    players: ordered.map((p) => ({
      userId: p.user_id, team: p.team as Team, position: p.position, score: p.score, ownGoal: p.own_goal, trophies: p.trophies,
      computer: p.bot_level ?? null,
    })),
  };
}

export function playersOf(match: MatchRecord, team: Team): MatchPlayer[] {
  return match.players.filter((p) => p.team === team);
}

export function playerOf(match: MatchRecord, userId: number): MatchPlayer | undefined {
  return match.players.find((p) => p.userId === userId);
}

/**
 * The goals really scored on the field, by team: a player's goals count for
 * his team, his own goals for the other. It differs from `score` only after a
 * forfeit, which records 3–0 whatever stood on the field.
 */
export function fieldScore(match: MatchRecord): Record<Team, number> {
  const score = { a: 0, b: 0 };
  for (const p of match.players) {
    score[p.team] += p.score;
    score[otherTeam(p.team)] += p.ownGoal;
  }
  return score;
}

export function otherTeam(team: Team): Team {
  return team === 'a' ? 'b' : 'a';
}

/** `"[D ]HH:MM:SS[.ffffff]"` of a span in milliseconds. */
export function formatDuration(ms: number): string {
  const totalMicros = Math.max(0, Math.round(ms * 1000));
  const micros = totalMicros % 1_000_000;
  const totalSeconds = Math.floor(totalMicros / 1_000_000);
  const days = Math.floor(totalSeconds / 86400);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(Math.floor((totalSeconds % 86400) / 3600))}:${pad(Math.floor((totalSeconds % 3600) / 60))}:${pad(totalSeconds % 60)}`;
  return `${days > 0 ? `${days} ` : ''}${clock}${micros > 0 ? `.${String(micros).padStart(6, '0')}` : ''}`;
}

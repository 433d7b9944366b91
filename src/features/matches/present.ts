import { fieldScore, formatDuration, playersOf, TEAMS, type MatchPlayer, type MatchRecord, type StageRow, type Team, type TournamentRow } from './model.js';
import { PLACEHOLDER_DURATION } from './messages.js';

/** The small user object of the users feature, keyed by id; a missing id is shown bare. */
export type UserCards = Map<number, { id: number; username: string; profile_picture: unknown }>;

export interface PresentOptions {
  /** null: bare players, `{id}` without the user card (score endpoint, results, export). */
  users: UserCards | null;
  /** The public list keeps every field it has always shown: `code` and `tournament_id` are always present. */
  seedKeys?: boolean;
}

export function gameDuration(match: MatchRecord): string {
  if (!match.finished || !match.finishedAt) return PLACEHOLDER_DURATION;
  return formatDuration(Date.parse(match.finishedAt) - Date.parse(match.createdAt));
}

/**
 * A player entry: `score` always, `trophies` for ranked, `own_goal` for clash; on the public
 * (enriched) views, `computer` with its level for a seat a computer player held (people have no such key).
 */
function playerEntry(match: MatchRecord, player: MatchPlayer, users: UserCards | null): Record<string, unknown> {
  const card = users?.get(player.userId);
  const entry: Record<string, unknown> = card ? { ...card } : { id: player.userId };
  if (users && player.computer) entry.computer = player.computer;
  if (match.gameMode === 'ranked') entry.trophies = player.trophies;
  if (match.gameMode === 'clash') entry.own_goal = player.ownGoal;
  entry.score = player.score;
  return entry;
}

/** The match object of the API (docs/events.md, Games, lists its keys). */
export function presentMatch(match: MatchRecord, options: PresentOptions): Record<string, unknown> {
  const view: Record<string, unknown> = { id: match.id };
  if (!match.finished || options.seedKeys) view.code = match.finished ? null : match.code;
  view.game_mode = match.gameMode;
  view.created_at = match.createdAt;
  view.game_duration = gameDuration(match);
  if (match.tournamentId !== null || options.seedKeys) view.tournament_id = match.tournamentId;
  view.tournament_stage_id = match.tournamentStageId;
  view.tournament_n = match.tournamentN;
  view.match_type = match.matchType;
  view.finished = match.finished;
  view.winner = match.finished ? match.winner : null;
  view.looser = match.finished ? match.looser : null;
  view.teams = Object.fromEntries(TEAMS.map((team) => [team, {
    score: match.score[team],
    players: playersOf(match, team).map((p) => playerEntry(match, p, options.users)),
  }]));
  // Beside the usual fields: why a forfeit was recorded 3–0, and what stood on the field then (docs/api.md).
  view.finish_reason = match.finishReason;
  view.forfeited_by = match.forfeitedBy;
  view.field_score = fieldScore(match);
  return view;
}

/** The first player of a team with his own goals, or null for a team without players. */
function leadOf(match: MatchRecord, team: Team | null, users: UserCards | null): Record<string, unknown> | null {
  if (!team) return null;
  const lead = playersOf(match, team)[0];
  if (!lead) return null;
  const card = users?.get(lead.userId);
  return { ...(card ?? { id: lead.userId }), ...(users && lead.computer ? { computer: lead.computer } : {}), score: lead.score };
}

/** The archived tournament object; `seedKeys` adds `created_at`. */
export function presentTournament(
  tournament: TournamentRow,
  stages: StageRow[],
  matches: MatchRecord[],
  options: PresentOptions,
): Record<string, unknown> {
  const byStage: Record<string, unknown[]> = {};
  for (const stage of stages) {
    byStage[stage.label] = matches
      .filter((m) => m.tournamentStageId === stage.id)
      .sort((l, r) => (l.tournamentN ?? 0) - (r.tournamentN ?? 0))
      .map((m) => ({
        id: m.id,
        n: m.tournamentN,
        game_duration: gameDuration(m),
        winner: leadOf(m, m.winner, options.users),
        looser: leadOf(m, m.looser, options.users),
        // `winner.score` / `looser.score` are the lead players' own goals (docs/api.md); the match's result is the team score.
        score_winner: m.winner ? m.score[m.winner] : null,
        score_looser: m.looser ? m.score[m.looser] : null,
        forfeited_by: m.forfeitedBy,
        finish_reason: m.finishReason,
      }));
  }
  const view: Record<string, unknown> = {
    id: tournament.id,
    name: tournament.name,
    size: tournament.size,
    start_at: tournament.start_at,
  };
  if (options.seedKeys) view.created_at = tournament.created_at ?? tournament.start_at;
  view.finish_at = tournament.finish_at;
  view.created_by = tournament.created_by;
  view.matches = byStage;
  return view;
}

/** Every user id a set of matches shows. */
export function userIdsOf(matches: MatchRecord[]): number[] {
  return [...new Set(matches.flatMap((m) => m.players.map((p) => p.userId)))];
}

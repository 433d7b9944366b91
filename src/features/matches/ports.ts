import type { MatchRecord, Team } from './model.js';
import type { FinishReason, GameMode } from './messages.js';

/** A player of the result sent to the social feature (a bare player entry: no user card). */
export interface MatchResultPlayer {
  id: number;
  score: number;
  /** Ranked only: the trophy change this match applies. */
  trophies?: number;
  /** Clash only. */
  own_goal?: number;
}

/** The bare match object, as `POST /api/private/users/result-match/` takes it. */
export interface MatchResult {
  id: number;
  game_mode: GameMode;
  winner: Team;
  looser: Team;
  finish_reason: FinishReason;
  teams: Record<Team, { score: number; players: MatchResultPlayer[] }>;
}

/** Where finished matches go: statistics, trophies, pictures, friendship counters, `game_playing` cleared. */
export interface MatchResultSink {
  recordMatchResult(result: MatchResult): Promise<void>;
}

/** Told about every finished tournament match (the tournament engine registers one). */
export interface TournamentMatchListener {
  matchFinished(match: MatchRecord): Promise<void>;
}

/** Told about every finished clash or custom match so the lobby can start again. */
export interface LobbyMatchListener {
  matchFinished(match: MatchRecord): Promise<void>;
}

/** The users' "currently playing" marker (`game_playing`). */
export interface PlayingMarker {
  markPlaying(userIds: number[], code: string): Promise<void>;
  clearPlaying(userIds: number[]): Promise<void>;
}

/**
 * The live side of a match (the game rooms): told after a goal or an end was
 * recorded, whoever recorded it (the room itself, or an internal endpoint).
 */
export interface LiveMatchObserver {
  goalRecorded(match: MatchRecord): void;
  matchFinished(match: MatchRecord): void;
  /** An unfinished match was deleted (nobody claimed it within 5 s): a room a spectator opened for it closes. */
  matchDiscarded?(matchId: number): void;
}

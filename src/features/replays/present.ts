import type { Team } from '../../game/engine/index.js';
import { decodeRecording, REPLAY_FORMAT_VERSION, timelineOf, type ReplayDocument, type ReplayPlayerCard } from '../../game/replay/index.js';
import { fieldScore, type MatchRecord } from '../matches/model.js';
import type { StoredReplay } from './repo.js';

/** Small user objects by id; null for the export, whose players are bare `{id}` as its matches' are. */
export type ReplayCards = ReadonlyMap<number, ReplayPlayerCard> | null;

/** The replay document (docs/replays.md, The replay document) of a finished match and its recording. */
export function presentReplay(match: MatchRecord, stored: StoredReplay, cards: ReplayCards): ReplayDocument {
  const recording = decodeRecording(stored.recording);
  const { header } = recording;
  const { events, goals } = timelineOf(recording);
  const perTeam = header.layout.paddlesPerTeam;
  // The public document marks computer players with their level; the export keeps its players bare.
  const levels = new Map(match.players.map((p) => [p.userId, p.computer]));
  const card = (id: number): ReplayPlayerCard => {
    const shown = cards?.get(id) ?? { id };
    const level = cards ? levels.get(id) : null;
    return level ? { ...shown, computer: level } : shown;
  };
  const team = (t: Team) => (t === 'a' ? header.players.slice(0, perTeam) : header.players.slice(perTeam)).map(card);
  return {
    version: REPLAY_FORMAT_VERSION,
    match_id: match.id,
    game_mode: match.gameMode,
    match_type: match.matchType,
    layout: header.layout,
    seed: header.seed,
    takeover: header.takeover,
    start_score: header.startScore,
    teams: { a: team('a'), b: team('b') },
    events,
    goals,
    duration_ticks: recording.durationTicks,
    duration_ms: recording.durationMs,
    final_score: match.score,
    field_score: fieldScore(match),
    winner: match.winner,
    finish_reason: match.finishReason,
    forfeited_by: match.forfeitedBy,
  };
}

import type { Layout } from '../engine/layout.js';
import type { Score, Team } from '../engine/state.js';
import { RecordKind, type DecodedRecording, type RecordedEvent } from './codec.js';

/**
 * The replay as the API serves it (`GET /api/game/matches/<id>/replay/`,
 * docs/replays.md): everything the engine needs to play the match again,
 * and who played it.
 */
export const REPLAY_FORMAT_VERSION = 1;

/** A paddle command, at the tick after which it took effect. */
export type ReplayInput =
  | { readonly tick: number; readonly type: 'move_up' | 'move_down'; readonly team: Team; readonly index: number; readonly player: number }
  | {
      readonly tick: number;
      readonly type: 'stop_moving';
      readonly team: Team;
      readonly index: number;
      readonly player: number;
      /** The client's y the server adopted; null when the paddle stopped where the server had it. */
      readonly position: number | null;
    };

/** What changed the course of the match, with the clock ms since the room opened. */
export type ReplayFlowEvent =
  | { readonly tick: number; readonly ms: number; readonly type: 'start_countdown' | 'start_game' | 'serve' | 'resume' }
  | { readonly tick: number; readonly ms: number; readonly type: 'score'; readonly score: Score }
  | {
      readonly tick: number;
      readonly ms: number;
      readonly type: 'player_disconnected' | 'player_reconnected';
      readonly team: Team;
      readonly index: number;
      readonly player: number;
    }
  | {
      readonly tick: number;
      readonly ms: number;
      readonly type: 'game_over';
      readonly reason: string;
      readonly score: Score;
      readonly forfeited_by: number | null;
    };

export type ReplayEvent = ReplayInput | ReplayFlowEvent;

/** A goal as the room saw it: the tick that scored it, the team credited, the player it is reported for. */
export interface ReplayGoal {
  readonly tick: number;
  readonly team: Team;
  readonly scorer: number;
  readonly own_goal: boolean;
}

/** A player: the small user object, or only `id` for an account deleted since. */
export interface ReplayPlayerCard {
  readonly id: number;
  readonly username?: string;
  readonly profile_picture?: unknown;
  /** A computer player's level (`easy`, `medium`, `hard`); absent for a person. */
  readonly computer?: string;
}

export interface ReplayDocument {
  readonly version: typeof REPLAY_FORMAT_VERSION;
  readonly match_id: number;
  readonly game_mode: string;
  readonly match_type: '1v1' | '3v3';
  /** The engine's layout (src/game/engine/layout.ts) the match was played on. */
  readonly layout: Layout;
  /** Seeds `seededRandom`, which draws every serve. */
  readonly seed: number;
  /** The recording starts at a takeover, from `start_score`, not at the first serve. */
  readonly takeover: boolean;
  readonly start_score: Score;
  /** Slot order: a paddle is `{team, index}`. */
  readonly teams: { readonly a: readonly ReplayPlayerCard[]; readonly b: readonly ReplayPlayerCard[] };
  /** Inputs and flow events in the order the room applied them. */
  readonly events: readonly ReplayEvent[];
  readonly goals: readonly ReplayGoal[];
  readonly duration_ticks: number;
  readonly duration_ms: number;
  /** The match's result (docs/api.md, One result per match). */
  readonly final_score: Score;
  readonly field_score: Score;
  readonly winner: Team | null;
  readonly finish_reason: string | null;
  readonly forfeited_by: number | null;
}

const FLOW_TYPES = {
  [RecordKind.countdown]: 'start_countdown',
  [RecordKind.startGame]: 'start_game',
  [RecordKind.serve]: 'serve',
  [RecordKind.resume]: 'resume',
} as const;

/** The events and goals of a decoded recording, players named by slot (team a then team b). */
export function timelineOf(recording: DecodedRecording): { events: ReplayEvent[]; goals: ReplayGoal[] } {
  const { players, layout } = recording.header;
  const seat = (slot: number) => {
    const team: Team = slot < layout.paddlesPerTeam ? 'a' : 'b';
    return { team, index: team === 'a' ? slot : slot - layout.paddlesPerTeam, player: players[slot] };
  };
  const events: ReplayEvent[] = [];
  const goals: ReplayGoal[] = [];
  for (const event of recording.events) {
    const item = eventOf(event, seat);
    if (item) events.push(item);
    else if (event.kind === RecordKind.goal) {
      const scorer = seat(event.slot);
      const team: Team = event.ownGoal ? (scorer.team === 'a' ? 'b' : 'a') : scorer.team;
      goals.push({ tick: event.tick, team, scorer: scorer.player, own_goal: event.ownGoal });
    }
  }
  return { events, goals };
}

function eventOf(event: RecordedEvent, seat: (slot: number) => { team: Team; index: number; player: number }): ReplayEvent | null {
  const { tick, ms } = event;
  switch (event.kind) {
    case RecordKind.moveUp:
      return { tick, type: 'move_up', ...seat(event.slot) };
    case RecordKind.moveDown:
      return { tick, type: 'move_down', ...seat(event.slot) };
    case RecordKind.stop:
      return { tick, type: 'stop_moving', ...seat(event.slot), position: event.position };
    case RecordKind.countdown:
    case RecordKind.startGame:
    case RecordKind.serve:
    case RecordKind.resume:
      return { tick, ms, type: FLOW_TYPES[event.kind] };
    case RecordKind.score:
      return { tick, ms, type: 'score', score: event.score! };
    case RecordKind.disconnected:
      return { tick, ms, type: 'player_disconnected', ...seat(event.slot) };
    case RecordKind.reconnected:
      return { tick, ms, type: 'player_reconnected', ...seat(event.slot) };
    case RecordKind.gameOver:
      return {
        tick, ms, type: 'game_over', reason: event.reason!, score: event.score!,
        forfeited_by: event.forfeitSlot === null ? null : seat(event.forfeitSlot).player ?? null,
      };
    default:
      return null;
  }
}

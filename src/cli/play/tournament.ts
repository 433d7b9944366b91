import type { BracketMatch, BracketPlayer, Tournament, TournamentMember } from '../../client/types.js';
import { seatScore } from '../../client/bracket.js';
import { playerName } from './lobby.js';

/**
 * A tournament as the terminal keeps it: the answer of `GET /api/play/tournament/`,
 * then changed by its live events (docs/events.md, Tournaments), and the
 * bracket drawn from it. Pure functions, no I/O.
 */

export interface TournamentView {
  tournament: Tournament;
  /** Bracket match id → match code of a running game, sent to the eliminated when a round opens. */
  spectatable: Record<string, string | null>;
  /** The final has a winner: the tournament is over (the server forgets it; the last bracket stays shown). */
  finished: { winnerId: number | null; winner: string } | null;
}

export type TournamentChange =
  | { kind: 'tournament'; view: TournamentView }
  | { kind: 'gone'; reason: 'banned' };

export const STAGES = ['round-of-16', 'quarter-final', 'semi-final', 'final'] as const;
export const STAGE_TITLES: Record<string, string> = {
  'round-of-16': 'Round of 16',
  'quarter-final': 'Quarter-finals',
  'semi-final': 'Semi-finals',
  final: 'Final',
};

/** The start threshold: ceil(0.8 × size) participants start the 20 s countdown (4, 7 or 13). */
export const startThreshold = (size: number) => Math.ceil(0.8 * size);

const asRecord = (data: unknown) => (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;

/** The member shape of the participant list, from a `tournament-join` participant. */
function memberOf(record: Record<string, unknown>): TournamentMember {
  const { id, username, profile_picture, creator, join_at, computer } = record as Record<string, never>;
  return { id, username, profile_picture, creator, join_at, ...(computer ? { computer } : {}) } as TournamentMember;
}

/** Applies one live event to the tournament. `kwargs` carries the winner of `tournament-finish`. */
export function applyTournamentEvent(view: TournamentView, event: string, data: unknown, kwargs?: Record<string, unknown> | null, message?: string): TournamentChange {
  const record = asRecord(data);
  const { tournament } = view;
  const next = (change: Partial<TournamentView>): TournamentChange => ({ kind: 'tournament', view: { ...view, ...change } });
  switch (event) {
    case 'tournament-join': {
      if (typeof record.id !== 'number' || tournament.is_started) break;
      const participants = [...(tournament.participants ?? []).filter((p) => p.id !== record.id), memberOf(record)];
      return next({ tournament: { ...tournament, participants } });
    }
    case 'tournament-leave':
      if (typeof record.id !== 'number' || tournament.is_started) break;
      return next({ tournament: { ...tournament, participants: (tournament.participants ?? []).filter((p) => p.id !== record.id) } });
    case 'tournament-start-at':
      return next({ tournament: { ...tournament, start_at: typeof record.start_at === 'string' ? record.start_at : null } });
    case 'tournament-start-cancel':
      return next({ tournament: { ...tournament, start_at: null } });
    case 'tournament-start':
    case 'tournament-match-finish':
      if (typeof record.id !== 'number') break;
      return next({ tournament: { ...tournament, ...(record as unknown as Tournament), is_started: true } });
    case 'tournament-available-spectate-matches':
      return next({ spectatable: Object.fromEntries(Object.entries(record).map(([key, value]) => [key, typeof value === 'string' ? value : null])) });
    case 'tournament-finish': {
      const winnerId = typeof kwargs?.username === 'number' ? kwargs.username : null;
      return next({ finished: { winnerId, winner: winnerName(view, winnerId, message) } });
    }
    case 'tournament-banned':
      return { kind: 'gone', reason: 'banned' };
    default:
  }
  return { kind: 'tournament', view };
}

/** The winner's name: from the bracket, else from the event's sentence ("… Well done to bob for his victory!"). */
function winnerName(view: TournamentView, winnerId: number | null, message?: string): string {
  for (const round of Object.values(view.tournament.matches ?? {})) {
    for (const match of round) {
      const player = [match.user_1, match.user_2].find((p) => p && p.id === winnerId);
      if (player) return playerName(player);
    }
  }
  const named = /Well done to (.+) for his victory/.exec(message ?? '');
  return named?.[1] ?? 'the winner';
}

export interface CardPlayer {
  name: string | null;
  score: number | null;
  winner: boolean;
  /** This player is the viewer. */
  me: boolean;
}

export interface BracketCard {
  key: string;
  /** Bracket slot id (absent for a later round drawn from the earlier one's winners). */
  id?: number;
  top: CardPlayer;
  bottom: CardPlayer;
  finished: boolean;
  /** The code of the game being played for this slot, when one runs. */
  running: string | null;
  /** A match decided without being played out, in words. */
  note: string | null;
}

export interface BracketColumn {
  stage: string;
  title: string;
  cards: BracketCard[];
}

/** A match decided by someone's absence, in words. */
export function forfeitNote(reason: string | null | undefined, loser: string | null | undefined): string | null {
  const who = loser ?? 'the other player';
  if (reason === 'player-disconnect') return `${who} left`;
  if (reason === 'player-not-connected') return `${who} did not join`;
  if (reason === 'game-not-played') return 'walkover';
  if (reason === 'no-game') return 'no game';
  return null;
}

function presentStages(keys: string[]): string[] {
  const first = STAGES.findIndex((stage) => keys.includes(stage));
  return first === -1 ? [] : STAGES.slice(first).filter((stage) => keys.includes(stage) || STAGES.indexOf(stage) > first);
}

function cardPlayer(match: BracketMatch, seat: 'user_1' | 'user_2', myId: number | undefined): CardPlayer {
  const player = match[seat];
  if (!player) return { name: null, score: null, winner: false, me: false };
  return { name: playerName(player), score: seatScore(match, seat), winner: match.winner === player.id, me: player.id === myId };
}

function winnerOf(match: BracketMatch | undefined): BracketPlayer | null {
  if (!match || match.winner === undefined || match.winner === null) return null;
  return [match.user_1, match.user_2].find((p) => p?.id === match.winner) ?? null;
}

/** The bracket of a started tournament: one column per round; rounds not created yet come from the earlier round's winners. */
export function bracketColumns(view: TournamentView, myId?: number): BracketColumn[] {
  const matches = view.tournament.matches ?? {};
  const columns: BracketColumn[] = [];
  let previous: BracketMatch[] = [];
  for (const stage of presentStages(Object.keys(matches))) {
    let list = [...(matches[stage] ?? [])].sort((a, b) => a.n - b.n);
    if (list.length === 0) {
      list = Array.from({ length: Math.max(1, Math.floor(previous.length / 2)) }, (_, i) => ({
        id: -1 - i, n: i + 1, match_code: null, score_winner: null, score_looser: null, finish_reason: null, finished: false,
        user_1: winnerOf(previous[2 * i]), user_2: winnerOf(previous[2 * i + 1]),
      }));
    }
    columns.push({
      stage,
      title: STAGE_TITLES[stage] ?? stage,
      cards: list.map((m) => {
        const spectate = m.id > 0 ? view.spectatable[String(m.id)] : undefined;
        const loser = [m.user_1, m.user_2].find((p) => p && p.id !== m.winner);
        return {
          key: `${stage}-${m.n}`,
          ...(m.id > 0 ? { id: m.id } : {}),
          top: cardPlayer(m, 'user_1', myId),
          bottom: cardPlayer(m, 'user_2', myId),
          finished: m.finished,
          running: !m.finished ? (spectate ?? m.match_code ?? null) : null,
          note: m.finished ? forfeitNote(m.finish_reason, loser ? playerName(loser) : null) : null,
        };
      }),
    });
    previous = list;
  }
  return columns;
}

export type Standing =
  | { kind: 'waiting' }
  | { kind: 'playing'; opponent: string | null; stage: string }
  | { kind: 'through'; stage: string }
  | { kind: 'out'; stage: string }
  | { kind: 'won' }
  | { kind: 'over' };

/** Where the viewer stands: waiting for the start, in a round (with his opponent), through, out, the winner. */
export function standingOf(view: TournamentView, myId: number | undefined): Standing {
  const { tournament, finished } = view;
  if (finished) return finished.winnerId === myId ? { kind: 'won' } : { kind: 'over' };
  if (!tournament.is_started) return { kind: 'waiting' };
  const columns = bracketColumns(view, myId);
  let last: Standing = { kind: 'over' };
  for (const column of columns) {
    for (const card of column.cards) {
      const mine = card.top.me ? card.top : card.bottom.me ? card.bottom : null;
      if (!mine) continue;
      const other = card.top.me ? card.bottom : card.top;
      if (!card.finished) last = { kind: 'playing', opponent: other.name, stage: column.title };
      else last = mine.winner ? { kind: 'through', stage: column.title } : { kind: 'out', stage: column.title };
    }
  }
  return last;
}

/** Whole seconds before the planned start (0 once it is due), or null without a countdown. */
export function secondsToStart(tournament: Pick<Tournament, 'start_at' | 'is_started'>, now: number): number | null {
  if (tournament.is_started || !tournament.start_at) return null;
  const at = Date.parse(tournament.start_at);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** The running games of the bracket, in bracket order (what an eliminated player may watch). */
export function runningCards(columns: BracketColumn[]): BracketCard[] {
  return columns.flatMap((column) => column.cards.filter((card) => card.running));
}

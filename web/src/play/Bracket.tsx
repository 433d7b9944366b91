import { seatScore } from '@client/bracket.js';
import type { BracketMatch, BracketPlayer, HistoryTournament, SmallUser, Tournament } from '../api/types';
import { ReplayLink } from '../replay/ReplayLink';
import { UserChip } from '../ui/bits';
import { playerName } from './computer';

/** The tournament bracket: one column per round, from the first round present to the final. */
export const STAGES = ['round-of-16', 'quarter-final', 'semi-final', 'final'] as const;
const STAGE_TITLES: Record<string, string> = {
  'round-of-16': 'Round of 16',
  'quarter-final': 'Quarter-final',
  'semi-final': 'Semi-final',
  final: 'Final',
};

export interface CardPlayer {
  user: Pick<SmallUser, 'username' | 'profile_picture'> | null;
  score: number | null;
  winner: boolean;
}

export interface BracketCard {
  key: string;
  /** Bracket match id (live tournaments). */
  id?: number;
  top: CardPlayer;
  bottom: CardPlayer;
  /** Why a match was decided without being played out ("bob left the game"). */
  note?: string | null;
  /** The played match, for its replay: the archived bracket's `id`, a running bracket's `match_id` once finished. */
  matchId?: number;
  /** Its game is being played: the scores shown are the goals so far. */
  live?: boolean;
}

/** A match decided by someone's absence, in words; the score shown stays the recorded one. */
export function forfeitNote(reason: string | null | undefined, loser: string | null | undefined): string | null {
  const who = loser ?? 'The other player';
  if (reason === 'player-disconnect') return `${who} left the game`;
  if (reason === 'player-not-connected') return `${who} did not join the game`;
  if (reason === 'game-not-played') return `${who} was not there`;
  if (reason === 'no-game') return 'Nobody played this match';
  return null;
}

/** Matches decided without anybody playing have no replay (docs/replays.md, When it is stored). */
const playedInRoom = (reason: string | null | undefined) => reason !== 'game-not-played' && reason !== 'no-game' && reason !== 'players-timeout';

export interface BracketColumn {
  title: string;
  cards: BracketCard[];
}

const nobody: CardPlayer = { user: null, score: null, winner: false };

/** A seat as people read it: a computer player by its level ("Computer (easy)"), not its bot account's name. */
function shown<T extends { username?: string | null; computer?: 'easy' | 'medium' | 'hard' }>(player: T): T {
  return player.computer ? { ...player, username: playerName(player) } : player;
}

function presentStages(keys: string[]): string[] {
  const first = STAGES.findIndex((stage) => keys.includes(stage));
  return first === -1 ? [] : STAGES.slice(first).filter((stage) => keys.includes(stage));
}

/** A finished tournament of the match history: winner on top, loser below. */
export function historyColumns(tournament: HistoryTournament): BracketColumn[] {
  return presentStages(Object.keys(tournament.matches)).map((stage) => ({
    title: STAGE_TITLES[stage],
    // The match's result is the team score (`score_winner`); `winner.score` counts only the player's own goals.
    cards: (tournament.matches[stage] ?? []).map((m) => ({
      key: String(m.id),
      top: m.winner ? { user: m.winner.username ? shown(m.winner as any) : null, score: m.score_winner ?? m.winner.score, winner: true } : nobody,
      bottom: m.looser ? { user: m.looser.username ? shown(m.looser as any) : null, score: m.score_looser ?? m.looser.score, winner: false } : nobody,
      note: forfeitNote(m.finish_reason, m.looser?.username),
      matchId: playedInRoom(m.finish_reason) ? m.id : undefined,
    })),
  }));
}

function livePlayer(match: BracketMatch, seat: 'user_1' | 'user_2'): CardPlayer {
  const player = match[seat];
  if (!player) return nobody;
  return { user: shown(player), score: seatScore(match, seat), winner: match.winner === player.id };
}

function winnerOf(match: BracketMatch | undefined): BracketPlayer | null {
  if (!match || match.winner === undefined || match.winner === null) return null;
  return [match.user_1, match.user_2].find((p) => p?.id === match.winner) ?? null;
}

/** A running tournament: rounds not created yet are drawn from the previous round's winners. */
export function liveColumns(tournament: Tournament): BracketColumn[] {
  const matches = tournament.matches ?? {};
  const stages = presentStages(Object.keys(matches));
  const columns: BracketColumn[] = [];
  let previous: BracketMatch[] = [];
  stages.forEach((stage, round) => {
    let list = [...(matches[stage] ?? [])].sort((a, b) => a.n - b.n);
    if (list.length === 0 && round > 0) {
      list = Array.from({ length: Math.max(1, Math.floor(previous.length / 2)) }, (_, i) => ({
        id: -1 - i,
        n: i + 1,
        match_code: null,
        score_winner: null,
        score_looser: null,
        finish_reason: null,
        finished: false,
        user_1: winnerOf(previous[2 * i]),
        user_2: winnerOf(previous[2 * i + 1]),
      }));
    }
    columns.push({
      title: STAGE_TITLES[stage],
      cards: list.map((m) => ({
        key: `${stage}-${m.n}`,
        id: m.id > 0 ? m.id : undefined,
        top: livePlayer(m, 'user_1'),
        bottom: livePlayer(m, 'user_2'),
        live: !m.finished && m.live_score !== undefined,
        note: m.finished ? forfeitNote(m.finish_reason, [m.user_1, m.user_2].find((p) => p && p.id !== m.winner)?.username) : null,
        matchId: m.finished && m.match_id !== undefined && playedInRoom(m.finish_reason) ? m.match_id : undefined,
      })),
    });
    previous = list;
  });
  return columns;
}

function Slot({ player }: { player: CardPlayer }) {
  return (
    <div className={`bracket-slot ${player.winner ? 'winner' : ''}`}>
      <UserChip user={player.user} />
      <span className="bracket-score">{player.score ?? ''}</span>
    </div>
  );
}

export function Bracket({ columns, actions }: { columns: BracketColumn[]; actions?: (card: BracketCard) => React.ReactNode }) {
  return (
    <div className="bracket" data-testid="bracket">
      {columns.map((column) => (
        <div key={column.title} className="bracket-column">
          <h3>{column.title}</h3>
          {column.cards.map((card) => (
            <div key={card.key} className={`bracket-card ${card.live ? 'live' : ''}`} data-testid={card.live ? 'bracket-live' : undefined}>
              {card.live && <p className="bracket-live-badge">Live</p>}
              <Slot player={card.top} />
              <Slot player={card.bottom} />
              {card.note && <p className="bracket-note">{card.note}</p>}
              {card.matchId !== undefined && <ReplayLink matchId={card.matchId} of={`of ${card.top.user?.username ?? 'a player'} against ${card.bottom.user?.username ?? 'a player'}`} />}
              {actions?.(card)}
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}

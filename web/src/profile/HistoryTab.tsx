import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { HistoryTournament, MatchObject, MatchPlayer, TeamLetter } from '../api/types';
import { Link } from '../lib/router';
import { usePaged } from '../lib/usePaged';
import { Bracket, historyColumns } from '../play/Bracket';
import { playerName } from '../play/computer';
import { ReplayLink } from '../replay/ReplayLink';
import { LoadMore } from '../ui/bits';
import { PlayerLink } from './PlayerLink';
import { Modal } from '../ui/Modal';
import { modeName } from './charts/data';

/** `[D ]HH:MM:SS[.ffffff]` → "3 min 05 s". */
export function formatDuration(duration: string | null): string {
  if (!duration) return '–';
  const match = /^(?:(\d+) )?(\d+):(\d+):(\d+)/.exec(duration);
  if (!match) return duration;
  const minutes = Number(match[1] ?? 0) * 1440 + Number(match[2]) * 60 + Number(match[3]);
  return `${minutes} min ${match[4]} s`;
}

const formatDate = (iso: string) => {
  const d = new Date(iso);
  return `${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}/${d.getFullYear()}`;
};

function myTeam(match: MatchObject, myId: number): TeamLetter {
  return match.teams.a.players.some((p) => p.id === myId) ? 'a' : 'b';
}

function TournamentBracket({ id, onClose }: { id: number; onClose: () => void }) {
  const [tournament, setTournament] = useState<HistoryTournament | null>(null);
  useEffect(() => {
    void api<HistoryTournament>('GET', `/api/game/tournaments/${id}/`).then((r) => r.ok && setTournament(r.data));
  }, [id]);
  return (
    <Modal title={tournament?.name ?? 'Tournament'} onClose={onClose} className="wide">
      {tournament ? <Bracket columns={historyColumns(tournament)} /> : <p>Loading…</p>}
    </Modal>
  );
}

/** "bob left the game at 1–1", seen from `mine`'s side; null for a match played to its end. */
export function forfeitLine(match: MatchObject, mine: TeamLetter, myId: number): string | null {
  if (!match.forfeited_by || (match.finish_reason !== 'player-disconnect' && match.finish_reason !== 'player-not-connected')) return null;
  const players = [...match.teams.a.players, ...match.teams.b.players];
  const who = match.forfeited_by === myId ? 'You' : playerName(players.find((p) => p.id === match.forfeited_by), 'A player');
  if (match.finish_reason === 'player-not-connected') return `${who} did not join the game`;
  const other = mine === 'a' ? 'b' : 'a';
  const field = match.field_score;
  return field ? `${who} left the game at ${field[mine]}–${field[other]}` : `${who} left the game`;
}

/** "Ranked", "Custom", "Computer" (a game against the computer, whatever its recorded mode). */
const modeText = (match: MatchObject) =>
  [...match.teams.a.players, ...match.teams.b.players].some((p) => p.computer) && match.game_mode === 'custom_game' ? 'Computer' : modeName(match.game_mode);

/** Computer players by their level ("Computer (medium)"), people by their names. */
const teamNames = (match: MatchObject, letter: TeamLetter) => match.teams[letter].players.map((p) => playerName(p)).join(', ');

function MatchDetail({ match, subjectId, viewerId, onClose }: { match: MatchObject; subjectId: number; viewerId: number; onClose: () => void }) {
  const [bracket, setBracket] = useState(false);
  const mine = myTeam(match, subjectId);
  const note = forfeitLine(match, mine, viewerId);
  const team = (letter: TeamLetter) => (
    <div className={`team-card team-${letter}`}>
      <h3>{teamNames(match, letter)} — {match.teams[letter].score}</h3>
      <ul className="list">
        {match.teams[letter].players.map((p: MatchPlayer) => (
          <li key={p.id}><PlayerLink player={p} viewerId={viewerId} /></li>
        ))}
      </ul>
    </div>
  );
  return (
    <Modal title={`${modeText(match)} — ${formatDate(match.created_at)}`} onClose={onClose}>
      <div className="teams">{team(mine)}{team(mine === 'a' ? 'b' : 'a')}</div>
      {note && <p className="history-note">{note}.</p>}
      {match.finished && <ReplayLink matchId={match.id} />}
      {match.game_mode === 'tournament' && match.tournament_id && (
        <button type="button" onClick={() => setBracket(true)}>Show the tournament bracket</button>
      )}
      {bracket && match.tournament_id && <TournamentBracket id={match.tournament_id} onClose={() => setBracket(false)} />}
    </Modal>
  );
}

/** Profile → Match History (everyone). */
export function HistoryTab({ myId }: { myId: number }) {
  return <MatchHistory subjectId={myId} viewerId={myId} />;
}

/**
 * The finished matches of `subjectId`, seen from his side (victory, defeat, the score), read by `viewerId`
 * ("You" where the viewer took part): the profile's own history, or another player's page.
 */
export function MatchHistory({ subjectId, viewerId }: { subjectId: number; viewerId: number }) {
  const list = usePaged<MatchObject>(`/api/game/matches/${subjectId}/?limit=20&offset=0`);
  const [open, setOpen] = useState<MatchObject | null>(null);
  if (!list.loading && list.items.length === 0) {
    return subjectId === viewerId ? (
      <p className="empty">
        No game played yet. <Link href="/">Play your first game!</Link>
      </p>
    ) : (
      <p className="empty">No game played yet.</p>
    );
  }
  const rows = [...list.items].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
  return (
    <>
      <ul className="list history" aria-label="Match history">
        {rows.map((match) => {
          const mine = myTeam(match, subjectId);
          const other = mine === 'a' ? 'b' : 'a';
          const won = match.winner === mine;
          const forfeit = forfeitLine(match, mine, viewerId);
          return (
            <li key={match.id} className="history-item">
              <button type="button" className={`history-row ${won ? 'won' : 'lost'}`} onClick={() => setOpen(match)}>
                <span>{modeText(match)}</span>
                <strong>{match.finished ? (won ? 'victory' : 'defeat') : 'in progress'}</strong>
                <span data-testid="history-score">{match.teams[mine].score} – {match.teams[other].score}</span>
                <span className="muted">against {teamNames(match, other)}{forfeit ? ` · ${forfeit}` : ''}</span>
                <span>{formatDate(match.created_at)}</span>
                <span>{formatDuration(match.game_duration)}</span>
              </button>
              {match.finished && <ReplayLink matchId={match.id} of={`of the ${modeText(match).toLowerCase()} game against ${teamNames(match, other)}, ${formatDate(match.created_at)}`} />}
            </li>
          );
        })}
        <LoadMore hasMore={list.hasMore} onMore={list.loadMore} />
      </ul>
      {open && <MatchDetail match={open} subjectId={subjectId} viewerId={viewerId} onClose={() => setOpen(null)} />}
    </>
  );
}

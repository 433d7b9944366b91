import type { LiveMatch } from '../../api/types';
import { navigate } from '../../lib/router';
import { playerName } from '../../play/computer';
import { LIVE_SHOWN, type LiveList } from './useActivity';

const MODE_NAMES: Record<LiveMatch['game_mode'], string> = {
  duel: 'Duel',
  ranked: 'Ranked',
  clash: 'Clash',
  custom_game: 'Custom game',
  tournament: 'Tournament',
};

/** A custom game with a computer player is a game against the computer (the one-click kind, or a lobby's bot). */
const modeName = (match: LiveMatch) =>
  match.game_mode === 'custom_game' && [...match.teams.a, ...match.teams.b].some((player) => player.computer) ? 'Against the computer' : MODE_NAMES[match.game_mode];

/** Computer players by their level ("Computer (medium)"), people by their names. */
const teamNames = (match: LiveMatch, team: 'a' | 'b') => match.teams[team].map((player) => playerName(player)).join(', ');

const watchers = (count: number) => (count === 0 ? 'nobody watching yet' : count === 1 ? '1 spectator' : `${count} spectators`);

function LiveMatchRow({ match }: { match: LiveMatch }) {
  const title = `${teamNames(match, 'a')} vs ${teamNames(match, 'b')}`;
  return (
    <li className="live-match" data-testid="live-match">
      <div className="live-teams">
        <span className="live-team" data-testid="live-team-a">{teamNames(match, 'a')}</span>
        <strong className="live-score" aria-label={`score ${match.score.a} to ${match.score.b}`}>{match.score.a} – {match.score.b}</strong>
        <span className="live-team" data-testid="live-team-b">{teamNames(match, 'b')}</span>
      </div>
      <span className="muted live-meta">{modeName(match)} · {match.match_type} · {watchers(match.spectators)}</span>
      <button type="button" aria-label={`Watch ${title}`} onClick={() => navigate(`/spectate/${match.code}`)}>
        Watch
      </button>
    </li>
  );
}

/**
 * The list's empty state. `liveCount` is every live match, private ones included (the counts above the
 * list): when some are live but none is listed to this person, saying nobody plays would be false.
 */
function noMatchListed(liveCount: number): string {
  if (liveCount === 0) return 'Nobody is playing right now — start a game and you will be the first one here.';
  const which = liveCount === 1 ? 'The match being played is a private game' : `The ${liveCount} matches being played are private games`;
  return `${which} (a lobby's, a private tournament's or against the computer): none to watch here. Start one of your own!`;
}

/** The matches being played now that the caller may watch. */
export function LiveMatches({ live, liveCount }: { live: LiveList | null; liveCount: number }) {
  return (
    <section className="home-panel live-matches" aria-labelledby="live-title">
      <h2 id="live-title">Live matches</h2>
      {!live ? (
        <p className="muted" aria-busy="true">Looking for matches…</p>
      ) : live.matches.length === 0 ? (
        <p className="empty">{noMatchListed(liveCount)}</p>
      ) : (
        <>
          <ul className="list live-list" aria-label="Live matches">
            {live.matches.map((match) => <LiveMatchRow key={match.code} match={match} />)}
          </ul>
          {live.count > LIVE_SHOWN && <p className="muted">And {live.count - LIVE_SHOWN} more.</p>}
        </>
      )}
    </section>
  );
}

import type { ReactNode } from 'react';
import { winningTeam } from '@client/game-model.js';
import type { Team } from '@shared/engine/index.js';
import { ReplayLink } from '../replay/ReplayLink';
import { Modal } from '../ui/Modal';
import { describeEnd, listNames } from './endText';
import type { EndSummary, GameOver } from './OnlineMatch';

/** The one score a match is recorded with, with the names of each side (a player's own side first). */
function FinalScore({ over, summary }: { over: GameOver; summary: EndSummary }) {
  const winner = winningTeam(over, summary.teamOf);
  const first: Team = summary.myTeam ?? winner ?? 'a';
  const second: Team = first === 'a' ? 'b' : 'a';
  // A player who never joined ends the game 0–0 on the socket; the match is recorded 3–0 for the side that came.
  const recorded = (team: Team) =>
    over.reason === 'player-not-connected' && winner ? (team === winner ? 3 : 0) : team === 'a' ? over.team_a : over.team_b;
  const side = (team: Team) => (summary.myTeam === team ? listNames(['You', ...summary.names[team].filter((n) => summary.myId === null || n !== summary.nameOf(summary.myId))]) : listNames(summary.names[team]));
  return (
    <p className="final-score" data-testid="final-score">
      <span>{side(first)}</span> <strong>{recorded(first)} – {recorded(second)}</strong> <span>{side(second)}</span>
    </p>
  );
}

/**
 * The game-over dialog: who won, by what score, and why in words; with the match's id (`game_over`'s
 * `match_id`: the result was recorded), a link to its replay, for players and spectators alike.
 */
export function EndModal({ over, summary, extra, children, matchId }: { over: GameOver; summary: EndSummary; extra?: ReactNode; children?: ReactNode; matchId?: number }) {
  const text = describeEnd({ ...summary, over });
  return (
    <Modal title={text.title}>
      <div data-testid="game-over" className={`end-${text.tone}`}>
        <FinalScore over={over} summary={summary} />
        {text.lines.map((line) => (
          <p key={line}>{line}</p>
        ))}
        {extra}
        {(children || matchId !== undefined) && (
          <div className="row end wrap">
            {/* The finished game's page cannot be shown again: Back from its replay goes to the page before the game. */}
            {matchId !== undefined && <ReplayLink matchId={matchId} label="Watch the replay" replace />}
            {children}
          </div>
        )}
      </div>
    </Modal>
  );
}

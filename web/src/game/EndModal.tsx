import type { ReactNode } from 'react';
import type { MatchObject } from '../api/types';
import { Modal } from '../ui/Modal';
import type { GameOver } from './OnlineMatch';

/** The game-over dialog (web-client.md §12.6). */
export function EndModal({ over, won, match, spectator, children }: { over: GameOver; won: boolean; match: MatchObject | null; spectator?: boolean; children?: ReactNode }) {
  const names = (team: 'a' | 'b') => match?.teams[team].players.map((p) => p.username ?? `#${p.id}`).join(', ') ?? '';
  const normal = over.reason === 'normal-end';
  const title = !normal ? 'Game over' : spectator ? `Team ${over.winner?.toUpperCase() ?? '?'} wins` : won ? 'Victory!' : 'Defeat';
  return (
    <Modal title={title}>
      <div data-testid="game-over">
        {normal || over.reason === 'player-disconnect' ? (
          <p className="final-score">
            <span title={names('a')}>Team A: {over.team_a}</span>
            {' · '}
            <span title={names('b')}>Team B: {over.team_b}</span>
          </p>
        ) : null}
        {!normal && <p>The game ended: {over.reason}.</p>}
        {children && <div className="row end">{children}</div>}
      </div>
    </Modal>
  );
}

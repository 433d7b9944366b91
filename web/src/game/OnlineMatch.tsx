import { useEffect, useMemo, useRef, useState } from 'react';
import { layoutFor, type Team } from '@shared/engine/index.js';
import { CloseCodes, type ServerMessages } from '@shared/protocol.js';
import type { MatchObject, MatchPlayer } from '../api/types';
import { useStore } from '../lib/store';
import { showAlert } from '../ui/alerts';
import { Spinner } from '../ui/bits';
import { GameCanvas } from './GameCanvas';
import { usePaddleInput } from './input';
import { OnlineGame, type Perspective } from './online';
import { openGameSocket, type GameSocket } from './socket';

export type GameOver = ServerMessages['game_over'];

export interface OnlineMatchProps {
  /** The match of the `game-start` event (players); null to spectate `spectateCode`. */
  match: MatchObject | null;
  myId: number;
  spectateCode?: string;
  onOver(over: GameOver, won: boolean): void;
  /** The connection was refused or timed out before the game began. */
  onRefused(reason: string): void;
  /** The socket dropped during the game without `game_over`. */
  onDropped(reason: string): void;
}

function teamOf(match: MatchObject, userId: number): Team | null {
  if (match.teams.a.players.some((p) => p.id === userId)) return 'a';
  if (match.teams.b.players.some((p) => p.id === userId)) return 'b';
  return null;
}

const names = (players: MatchPlayer[]) => players.map((p) => p.username ?? `#${p.id}`).join(', ');

function ScoreBar({ game, left, right }: { game: OnlineGame; left: string; right: string }) {
  const { score } = useStore(game.status);
  return (
    <div className="score-bar" data-testid="score-bar">
      <span className="score-side left">
        <span className="score-names">{left}</span>
        <span className="score-value" data-testid="score-left">{score.left}</span>
      </span>
      <span className="score-sep">–</span>
      <span className="score-side right">
        <span className="score-value" data-testid="score-right">{score.right}</span>
        <span className="score-names">{right}</span>
      </span>
    </div>
  );
}

/** A live online game: socket, model, canvas, score bar, controls (web-client.md §12–§14). */
export function OnlineMatch({ match, myId, spectateCode, onOver, onRefused, onDropped }: OnlineMatchProps) {
  const myTeam = match ? teamOf(match, myId) : null;
  const perspective: Perspective = myTeam && !spectateCode ? { kind: 'player', myId, myTeam } : { kind: 'spectator' };
  const socketRef = useRef<GameSocket | null>(null);
  const area = useRef<HTMLDivElement>(null);
  const [connected, setConnected] = useState(false);
  /** Bumped to reconnect when a node restarts (close code 1012). */
  const [attempt, setAttempt] = useState(0);
  const callbacks = useRef({ onOver, onRefused, onDropped });
  callbacks.current = { onOver, onRefused, onDropped };

  const game = useMemo(() => {
    const layout = layoutFor(match?.match_type === '3v3' ? 'clash' : 'normal');
    const teams = match ? { a: match.teams.a.players.map((p) => p.id), b: match.teams.b.players.map((p) => p.id) } : null;
    return new OnlineGame(layout, perspective, teams, (event, data) => socketRef.current?.send(event, data));
    // One model per match.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [match?.id, spectateCode]);

  useEffect(() => {
    let framesSeen = 0;
    let over = false;
    const socket = openGameSocket(
      {
        onOpen: () => setConnected(true),
        onFrame(frame) {
          framesSeen += 1;
          game.handle(frame);
          if (frame.event === 'game_over') {
            over = true;
            socket.close();
            callbacks.current.onOver(frame.data, game.didIWin(frame.data));
          }
        },
        onClose({ code, reason, everOpened, timedOut }) {
          if (over) return;
          if (code === CloseCodes.restarting) {
            setConnected(false);
            setTimeout(() => setAttempt((n) => n + 1), 300);
            return;
          }
          if (timedOut) {
            showAlert('Unable to establish connection with the game server.', 'error');
            callbacks.current.onRefused('timeout');
          } else if (!everOpened || framesSeen === 0) callbacks.current.onRefused(reason);
          else callbacks.current.onDropped(reason);
        },
      },
      spectateCode,
    );
    socketRef.current = socket;
    return () => {
      over = true;
      socket.close();
    };
  }, [game, spectateCode, attempt]);

  usePaddleInput(
    perspective.kind === 'player' ? [{ up: ['ArrowUp'], down: ['ArrowDown'], onChange: (direction) => game.setInput(direction) }] : [],
    area,
  );

  const opponents = match && myTeam ? match.teams[myTeam === 'a' ? 'b' : 'a'].players : [];
  const mates = match && myTeam ? match.teams[myTeam].players : [];
  const left = perspective.kind === 'player' ? names(opponents) : 'Team B';
  const right = perspective.kind === 'player' ? names(mates) : 'Team A';
  const code = match?.code ?? spectateCode;

  return (
    <div className="game-area" ref={area}>
      {spectateCode && <p className="banner">Spectating</p>}
      <ScoreBar game={game} left={left} right={right} />
      <GameCanvas source={game} width={game.layout.width} height={game.layout.height} label="Pong field" />
      {!connected && <Spinner label="Connecting to the game…" />}
      {connected && code && match?.match_type !== '3v3' && (
        <p className="match-code">
          Match Code: <span className="selectable" data-testid="match-code">{code}</span>
        </p>
      )}
      {perspective.kind === 'player' && <p className="hint">Move with ↑ / ↓, or touch the upper / lower half of the field.</p>}
    </div>
  );
}

import { useEffect, useMemo, useRef, useState } from 'react';
import type { GameModel, GameOver } from '@client/game-model.js';
import type { Direction, Team } from '@shared/engine/index.js';
import { CloseCodes } from '@shared/protocol.js';
import type { MatchObject } from '../api/types';
import { showAlert } from '../ui/alerts';
import { Spinner } from '../ui/bits';
import type { EndContext } from './endText';
import { listNames } from './endText';
import { GameCanvas } from './GameCanvas';
import { ScoreBoard } from './ScoreBoard';
import { usePaddleInput } from './input';
import { notePlayingHere } from '../session/gameStarts';
import { foldChat } from '../social/chatStore';
import { createOnlineGame, perspectiveOf, useGameStatus } from './online';
import { usePlayerNames } from './playerNames';
import { SmoothedGame } from './smooth';
import { openGameSocket, type GameSocket } from './socket';

export type { GameOver } from '@client/game-model.js';

/** Everything an end screen needs to name people (see endText.ts). */
export type EndSummary = Omit<EndContext, 'over'>;

export interface OnlineMatchProps {
  /** The match of the `game-start` event (players); null to spectate `spectateCode`. */
  match: MatchObject | null;
  myId: number;
  spectateCode?: string;
  onOver(over: GameOver, won: boolean, summary: EndSummary): void;
  /** The connection was refused or timed out before the game began. */
  onRefused(reason: string, code: number): void;
  /** The socket dropped during the game without `game_over`, and could not be reopened in time. */
  onDropped(reason: string): void;
  /** Another tab or device of the player took his seat (true: the game goes on there), or he took it back (false). */
  onElsewhere?(away: boolean): void;
}

/** A player whose connection drops has this long to come back (the server's grace); the client retries within it. */
const RECONNECT_WINDOW_MS = 9000;
const RECONNECT_DELAY_MS = 700;

function ScoreBar({ game, left, right }: { game: GameModel; left: string; right: string }) {
  const { score } = useGameStatus(game);
  return <ScoreBoard left={score.left} right={score.right} leftNames={left} rightNames={right} />;
}

/** "bob left the game — 7 s to come back", one line per empty seat, while the ball stands still. */
function PauseBanner({ game, nameOf }: { game: GameModel; nameOf: (id: number) => string }) {
  const { absent, over } = useGameStatus(game);
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (absent.length === 0) return;
    const timer = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(timer);
  }, [absent.length]);
  if (absent.length === 0 || over) return null;
  return (
    <div className="pause-banner" role="status" data-testid="pause-banner">
      {absent.map((a) => (
        <p key={a.userId}>
          {nameOf(a.userId)} left the game — {Math.max(0, Math.ceil((a.deadline - now) / 1000))} s to come back. The game is paused.
        </p>
      ))}
    </div>
  );
}

/** A live online game: socket, model, canvas, score bar, controls. */
export function OnlineMatch({ match, myId, spectateCode, onOver, onRefused, onDropped, onElsewhere }: OnlineMatchProps) {
  const perspective = perspectiveOf(match, myId, spectateCode);
  const socketRef = useRef<GameSocket | null>(null);
  const [connected, setConnected] = useState(false);
  const [reconnecting, setReconnecting] = useState(false);
  /** Another tab (or device) of the player took his seat: the game goes on there. */
  const [elsewhere, setElsewhere] = useState(false);
  /** Bumped to open a new socket (a node restarting, or a dropped connection within the grace). */
  const [attempt, setAttempt] = useState(0);
  const droppedAt = useRef<number | null>(null);
  const callbacks = useRef({ onOver, onRefused, onDropped, onElsewhere });
  callbacks.current = { onOver, onRefused, onDropped, onElsewhere };

  const game = useMemo(
    () => createOnlineGame(match, perspective, (event, data) => socketRef.current?.send(event, data)),
    // One model per match.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [match?.id, spectateCode],
  );
  /** What the canvas draws: the model, interpolated at the display's rate (smooth.ts). */
  const smooth = useMemo(() => new SmoothedGame(game, perspective.kind), [game, perspective.kind]);
  const names = usePlayerNames(game, match, spectateCode);
  const namesRef = useRef(names);
  namesRef.current = names;

  useEffect(() => {
    let framesSeen = 0;
    let over = false;
    const socket = openGameSocket(
      {
        onOpen: () => {
          if (match) window.__pongTrace?.push({ kind: 'game-open', matchId: match.id, at: Date.now() });
          setConnected(true);
          setReconnecting(false);
          droppedAt.current = null;
        },
        onFrame(frame) {
          framesSeen += 1;
          smooth.handle(frame);
          if (frame.event === 'game_over') {
            over = true;
            socket.close();
            const { teamName, nameOf } = namesRef.current;
            const whenLeft = game.status.scoreWhenLeft;
            const right: Team = perspective.kind === 'player' ? perspective.myTeam : 'a';
            callbacks.current.onOver(frame.data, game.won, {
              names: { a: teamName('a'), b: teamName('b') },
              myTeam: perspective.kind === 'player' ? perspective.myTeam : null,
              myId: perspective.kind === 'player' ? myId : null,
              teamOf: (id) => game.teamOfUser(id),
              nameOf,
              scoreWhenLeft: whenLeft ? (right === 'a' ? { a: whenLeft.right, b: whenLeft.left } : { a: whenLeft.left, b: whenLeft.right }) : null,
            });
          }
        },
        onClose({ code, reason, everOpened, timedOut }) {
          if (over) return;
          setConnected(false);
          if (code === CloseCodes.restarting) {
            setTimeout(() => setAttempt((n) => n + 1), 300);
            return;
          }
          if (code === CloseCodes.replaced && perspective.kind === 'player') {
            setReconnecting(false);
            setElsewhere(true);
            callbacks.current.onElsewhere?.(true);
            return;
          }
          // A player's connection dropped mid-game (or a slow network let it time out): his seat waits for him, so
          // try again within the grace.
          const midGame = droppedAt.current !== null || (everOpened && framesSeen > 0) || timedOut;
          if (midGame && perspective.kind === 'player' && code !== CloseCodes.replaced && code !== CloseCodes.forbidden && code !== CloseCodes.notFound) {
            droppedAt.current ??= Date.now();
            if (Date.now() - droppedAt.current < RECONNECT_WINDOW_MS) {
              setReconnecting(true);
              setTimeout(() => setAttempt((n) => n + 1), RECONNECT_DELAY_MS);
              return;
            }
          }
          setReconnecting(false);
          if (droppedAt.current !== null && !(timedOut && framesSeen === 0)) callbacks.current.onDropped(reason);
          else if (timedOut) {
            showAlert('Unable to establish connection with the game server.', 'error');
            callbacks.current.onRefused('timeout', code);
          } else if (!everOpened || framesSeen === 0) callbacks.current.onRefused(reason, code);
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
    // The perspective follows the match and the code, which `game` already depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [game, smooth, spectateCode, attempt]);

  const playing = perspective.kind === 'player';
  const matchId = match?.id;
  // An open chat would cover the player's own paddle (the right-hand side).
  useEffect(() => { if (playing) foldChat(); }, [playing, matchId]);
  // While this tab plays, another one opened does not take the game over (session/gameStarts.ts).
  useEffect(() => (playing && connected && matchId !== undefined ? notePlayingHere(matchId) : undefined), [playing, connected, matchId]);
  usePaddleInput(playing ? [{ up: ['ArrowUp', 'w'], down: ['ArrowDown', 's'], onChange: (direction) => game.setInput(direction) }] : []);
  const controls = useMemo(() => (playing ? [{ side: 'right' as const, onDirection: (direction: Direction) => game.setInput(direction) }] : []), [playing, game]);

  const rightTeam: Team = perspective.kind === 'player' ? perspective.myTeam : 'a';
  const leftTeam: Team = rightTeam === 'a' ? 'b' : 'a';
  const code = match?.code ?? spectateCode;
  const leftNames = listNames(names.teamName(leftTeam));
  const rightNames = playing ? listNames(['You', ...names.teamName(rightTeam).filter((n) => n !== names.nameOf(myId))]) : listNames(names.teamName(rightTeam));

  return (
    <div className="game-area">
      {spectateCode && <p className="banner">Spectating</p>}
      <ScoreBar game={game} left={leftNames} right={rightNames} />
      <PauseBanner game={game} nameOf={names.nameOf} />
      <GameCanvas source={smooth} width={game.layout.width} height={game.layout.height} label="Pong field" controls={controls} names={{ left: leftNames, right: rightNames }} />
      {reconnecting && <Spinner label="Connection lost — reconnecting to the game…" />}
      {elsewhere && (
        <p className="banner" role="status" data-testid="played-elsewhere">
          This game is being played in another tab or window.{' '}
          <button type="button" className="small primary" onClick={() => { setElsewhere(false); callbacks.current.onElsewhere?.(false); setAttempt((n) => n + 1); }}>Play it here</button>
        </p>
      )}
      {!connected && !reconnecting && !elsewhere && <Spinner label="Connecting to the game…" />}
      {connected && code && match?.match_type !== '3v3' && (
        <p className="match-code">
          Match Code: <span className="selectable" data-testid="match-code">{code}</span>
        </p>
      )}
      {playing && <p className="hint">Move with ↑ / ↓ (or W / S), or drag your paddle. M turns the sound off.</p>}
    </div>
  );
}

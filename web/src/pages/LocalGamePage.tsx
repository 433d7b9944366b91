import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { layoutFor, type Direction } from '@shared/engine/index.js';
import { navigate, useLocation } from '../lib/router';
import { useStore } from '../lib/store';
import { GameCanvas } from '../game/GameCanvas';
import { usePaddleInput } from '../game/input';
import { LocalMatch, type Opponent } from '../game/local';
import { Modal } from '../ui/Modal';

function StartDialog({ match }: { match: LocalMatch }) {
  const { result } = useStore(match.status);
  const [opponent, setOpponent] = useState<Opponent>('friend');
  const name = useId();
  const play = useRef<HTMLButtonElement>(null);
  // The dialog's showModal() (Modal's effect, which runs first) focuses its first control, a radio
  // button: Play takes the focus back, so that Enter starts the game.
  useEffect(() => play.current?.focus(), []);
  return (
    <Modal title="Local game">
      {result && (
        <p className="final-score" data-testid="local-result">
          {result.you > result.opponent ? 'You won' : 'You lost'} {result.you} – {result.opponent}
        </p>
      )}
      <fieldset className="choices">
        <legend>Play against</legend>
        {(['friend', 'bot'] as const).map((value) => (
          <label key={value} className="choice">
            <input type="radio" name={name} value={value} checked={opponent === value} onChange={() => setOpponent(value)} />
            {value === 'friend' ? 'Friend (W / S)' : 'Bot'}
          </label>
        ))}
      </fieldset>
      <p className="hint">You play the right paddle (the bottom one on a phone held upright) with ↑ / ↓, or drag it. Space pauses. First to 3 wins.</p>
      <div className="row end">
        <button type="button" onClick={() => navigate('/')}>Quit</button>
        <button type="button" className="primary" ref={play} onClick={() => match.start(opponent)}>
          Play
        </button>
      </div>
    </Modal>
  );
}

/** The local game (`/game/local`): no server call besides `/gameConfig.json`. */
export function LocalGamePage() {
  const { search } = useLocation();
  const speed = Math.min(8, Math.max(1, Number(search.get('speed')) || 1));
  const match = useMemo(() => new LocalMatch(layoutFor('local'), Math.random, speed), [speed]);
  const { mode } = useStore(match.status);

  useEffect(() => match.start('demo'), [match]);
  useEffect(() => {
    const space = (event: KeyboardEvent) => {
      if (event.key !== ' ' || (event.target as HTMLElement)?.closest?.('button, input')) return;
      event.preventDefault();
      match.togglePause();
    };
    window.addEventListener('keydown', space);
    return () => window.removeEventListener('keydown', space);
  }, [match]);
  usePaddleInput([
    { up: ['ArrowUp'], down: ['ArrowDown'], onChange: (d) => match.setKeys('a', d) },
    { up: ['w'], down: ['s'], onChange: (d) => match.setKeys('b', d) },
  ]);
  // Dragging: "You" on the right (the bottom on a phone held upright); a friend drags the other paddle on his half.
  const controls = useMemo(
    () => [
      { side: 'right' as const, onDirection: (d: Direction) => match.setKeys('a', d) },
      ...(mode === 'friend' ? [{ side: 'left' as const, onDirection: (d: Direction) => match.setKeys('b', d) }] : []),
    ],
    [match, mode],
  );

  return (
    <div className="game-area">
      <h1 className="visually-hidden">Local game</h1>
      <GameCanvas source={match} width={match.layout.width} height={match.layout.height} reservedPx={140} label="Local Pong field" controls={controls} />
      {mode === 'demo' && <StartDialog match={match} />}
    </div>
  );
}

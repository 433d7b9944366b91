import { useRef } from 'react';
import './game.css';

/** Remounts the number when it goes up, so that its pop animation plays (not on the first render). */
function usePopKey(value: number): { key: number; popped: boolean } {
  const first = useRef(value);
  return { key: value, popped: value !== first.current };
}

/** The score above a field: the left side's names and score, then the right side's (live, spectated or replayed). */
export function ScoreBoard({ left, right, leftNames, rightNames }: { left: number; right: number; leftNames: string; rightNames: string }) {
  const leftPop = usePopKey(left);
  const rightPop = usePopKey(right);
  return (
    <div className="score-bar" data-testid="score-bar">
      <span className="score-side left">
        <span className="score-names" data-testid="names-left">{leftNames}</span>
        <span key={leftPop.key} className={`score-value${leftPop.popped ? ' popped' : ''}`} data-testid="score-left">{left}</span>
      </span>
      <span className="score-sep">–</span>
      <span className="score-side right">
        <span key={rightPop.key} className={`score-value${rightPop.popped ? ' popped' : ''}`} data-testid="score-right">{right}</span>
        <span className="score-names" data-testid="names-right">{rightNames}</span>
      </span>
    </div>
  );
}

/** The score above a field: the left side's names and score, then the right side's (live, spectated or replayed). */
export function ScoreBoard({ left, right, leftNames, rightNames }: { left: number; right: number; leftNames: string; rightNames: string }) {
  return (
    <div className="score-bar" data-testid="score-bar">
      <span className="score-side left">
        <span className="score-names" data-testid="names-left">{leftNames}</span>
        <span className="score-value" data-testid="score-left">{left}</span>
      </span>
      <span className="score-sep">–</span>
      <span className="score-side right">
        <span className="score-value" data-testid="score-right">{right}</span>
        <span className="score-names" data-testid="names-right">{rightNames}</span>
      </span>
    </div>
  );
}

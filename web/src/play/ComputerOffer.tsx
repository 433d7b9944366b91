import { useEffect, useState } from 'react';
import { preferredLevel, type ComputerLevel } from './computer';
import { LevelChoice } from './LevelChoice';

/** How long a duel search waits for somebody before offering the computer. */
export const OFFER_AFTER_MS = 15_000;

/**
 * The offer of a duel search that found nobody: a game against the computer
 * while the search goes on. `onAccept` answers an error text, or null once
 * the game is on.
 */
export function ComputerOffer({ since, onAccept }: { since: number; onAccept: (level: ComputerLevel) => Promise<string | null> }) {
  const [visible, setVisible] = useState(() => Date.now() - since >= OFFER_AFTER_MS);
  const [level, setLevel] = useState(preferredLevel);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (visible) return;
    const timer = setTimeout(() => setVisible(true), Math.max(0, since + OFFER_AFTER_MS - Date.now()));
    return () => clearTimeout(timer);
  }, [since, visible]);
  if (!visible) return null;
  const accept = async () => {
    setBusy(true);
    setError(await onAccept(level));
    setBusy(false);
  };
  return (
    <div className="computer-offer" role="region" aria-label="Play the computer while you wait" data-testid="computer-offer">
      <p className="offer-text">Nobody is around — play the computer while you wait?</p>
      <LevelChoice value={level} onChange={setLevel} />
      <button type="button" className="primary" disabled={busy} onClick={() => void accept()}>
        Play the computer
      </button>
      <p className="hint">Your search goes on: as soon as somebody is found, your duel starts and the computer gives its game up.</p>
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}

import { useState } from 'react';
import { navigate } from '../lib/router';
import { preferLevel, preferredLevel } from './computer';
import { LevelChoice } from './LevelChoice';

/** The home page's one-click game against the computer: the level is preselected (the last one played), the button starts it. */
export function PlayComputer() {
  const [level, setLevel] = useState(preferredLevel);
  return (
    <section className="play-computer" aria-labelledby="play-computer-title">
      <h2 id="play-computer-title">Play the computer</h2>
      <p className="muted">An online game against a computer player, right now. It shows in your match history, no trophies at stake.</p>
      <div className="row wrap center">
        <LevelChoice value={level} onChange={setLevel} />
        <button
          type="button"
          className="primary"
          data-testid="play-computer"
          onClick={() => {
            preferLevel(level);
            navigate('/game/computer');
          }}
        >
          Play the computer
        </button>
      </div>
    </section>
  );
}

import { useEffect, useMemo, useState } from 'react';
import type { Team } from '@shared/engine/index.js';
import { api } from '../api/client';
import type { Replay } from '../api/types';
import { GameCanvas } from '../game/GameCanvas';
import { ScoreBoard } from '../game/ScoreBoard';
import { listNames } from '../game/endText';
import { cameFromThisSite, navigate } from '../lib/router';
import { playerName } from '../play/computer';
import { useStore } from '../lib/store';
import { Spinner } from '../ui/bits';
import { ReplayControls } from './ReplayControls';
import { ReplayRun } from './ReplayRun';
import { Timeline } from './Timeline';

type Loaded = { kind: 'loading' } | { kind: 'missing' } | { kind: 'failed' } | { kind: 'ready'; replay: Replay };

/** Header, score bar, controls and timeline take this much height beside the field. */
const RESERVED_PX = 330;
/** Below a turned field (a phone held upright): the timeline and the play controls stay on screen. */
const PORTRAIT_CONTROLS_PX = 120;

/** Back where the replay was opened from; the home page when the site was opened on it (Back would leave the site). */
function back(): void {
  if (cameFromThisSite()) history.back();
  else navigate('/');
}

function ReplayView({ replay }: { replay: Replay }) {
  const run = useMemo(() => new ReplayRun(replay), [replay]);
  const { tick, score } = useStore(run.status);
  // A computer player by its level ("Computer (medium)"), a deleted account as such.
  const nameOf = (team: Team, index: number) => playerName(replay.teams[team][index], 'a deleted player');
  const names = (team: Team) => listNames(replay.teams[team].map((_, index) => nameOf(team, index)));
  return (
    <div className="game-area replay">
      <ScoreBoard left={score.b} right={score.a} leftNames={names('b')} rightNames={names('a')} />
      <GameCanvas source={run} width={replay.layout.width} height={replay.layout.height} reservedPx={RESERVED_PX} belowPx={PORTRAIT_CONTROLS_PX} label={`Replay of ${names('a')} against ${names('b')}`} />
      <Timeline tick={tick} duration={run.durationTicks} durationMs={replay.duration_ms} goals={run.goals} nameOf={nameOf} onSeek={(t) => run.seek(t)}>
        <ReplayControls run={run} />
      </Timeline>
    </div>
  );
}

/** `/replay/<match id>`: a finished match played again by the engine, in the browser. */
export function ReplayPage({ matchId }: { matchId: number }) {
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  useEffect(() => {
    let alive = true;
    void api<Replay>('GET', `/api/game/matches/${matchId}/replay/`).then((result) => {
      if (!alive) return;
      setLoaded(result.ok ? { kind: 'ready', replay: result.data } : result.status === 404 ? { kind: 'missing' } : { kind: 'failed' });
    });
    return () => {
      alive = false;
    };
  }, [matchId]);
  return (
    <section className="page replay-page" aria-labelledby="replay-title">
      <div className="row spread wrap">
        <h1 id="replay-title">Replay</h1>
        <button type="button" onClick={back}>Back</button>
      </div>
      {loaded.kind === 'loading' && <Spinner label="Loading the replay…" />}
      {loaded.kind === 'missing' && <p className="empty" data-testid="no-replay">This match has no replay.</p>}
      {loaded.kind === 'failed' && <p className="empty">The replay cannot be loaded right now.</p>}
      {loaded.kind === 'ready' && <ReplayView replay={loaded.replay} />}
    </section>
  );
}

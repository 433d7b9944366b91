import { useStore } from '../lib/store';
import { SPEEDS, type ReplayRun } from './ReplayRun';

/** Play / pause and the speed. */
export function ReplayControls({ run }: { run: ReplayRun }) {
  const { playing, speed } = useStore(run.status);
  return (
    <div className="row wrap center replay-controls">
      <button type="button" className="primary" data-testid="replay-toggle" onClick={() => (playing ? run.pause() : run.play())}>
        {playing ? 'Pause' : 'Play'}
      </button>
      <div className="segmented" role="group" aria-label="Speed">
        {SPEEDS.map((value) => (
          <button key={value} type="button" aria-pressed={speed === value} onClick={() => run.setSpeed(value)}>
            {value}x
          </button>
        ))}
      </div>
    </div>
  );
}

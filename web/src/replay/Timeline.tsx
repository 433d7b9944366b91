import type { ReactNode } from 'react';
import type { Team } from '@shared/engine/index.js';
import type { SimulatedGoal } from '@shared/replay/index.js';

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

/**
 * The range input over the recording's ticks, the goals marked along it and
 * listed as buttons that jump to them. Times are the recording's length
 * spread evenly over its ticks: close enough to find a moment. `children`
 * (the play controls) come between the track and the list of goals, so
 * that on a phone they stay on screen with the field. Each goal's score is
 * written in the board's order: team b (on the left, as spectators see it) first.
 */
export function Timeline({ tick, duration, durationMs, goals, nameOf, onSeek, children }: {
  tick: number;
  duration: number;
  durationMs: number;
  goals: SimulatedGoal[];
  nameOf: (team: Team, index: number) => string;
  onSeek: (tick: number) => void;
  children?: ReactNode;
}) {
  const secondsAt = (t: number) => (duration > 0 ? (t / duration) * (durationMs / 1000) : 0);
  const at = (t: number) => `${duration > 0 ? (t / duration) * 100 : 0}%`;
  return (
    <div className="timeline">
      <div className="timeline-track">
        <input
          type="range"
          min={0}
          max={duration}
          step={1}
          value={tick}
          aria-label="Timeline"
          aria-valuetext={`${clock(secondsAt(tick))} of ${clock(durationMs / 1000)}`}
          data-testid="timeline"
          onChange={(event) => onSeek(Number(event.target.value))}
        />
        <div className="timeline-marks" aria-hidden="true">
          {goals.map((goal) => (
            <span key={goal.tick} className={`timeline-goal team-${goal.team}`} style={{ left: at(goal.tick) }} data-tick={goal.tick} />
          ))}
        </div>
      </div>
      <span className="timeline-time muted">{clock(secondsAt(tick))} / {clock(durationMs / 1000)}</span>
      {children}
      {goals.length > 0 && (
        <ol className="timeline-goals" aria-label="Goals">
          {goals.map((goal, n) => (
            <li key={goal.tick}>
              <button type="button" className="link" data-testid="goal-jump" data-tick={goal.tick} onClick={() => onSeek(goal.tick)}>
                {clock(secondsAt(goal.tick))} {nameOf(goal.scorer.team, goal.scorer.index)}{goal.ownGoal ? ' (own goal)' : ''} · {goal.score.b}–{goal.score.a}
              </button>
              {n < goals.length - 1 && ' '}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

import { creditGoal, scoringTeam } from './goals.js';
import { stepPhysics, type PhysicsEvent } from './physics.js';
import type { GameState, PaddleSlot, Score, Team } from './state.js';
import { shouldPublish, tickRate } from './timing.js';

export type GameEvent =
  | PhysicsEvent
  | {
      readonly type: 'goal';
      /** The team credited with the point. */
      readonly team: Team;
      readonly scorer: PaddleSlot;
      readonly ownGoal: boolean;
      readonly score: Score;
    }
  | { readonly type: 'game-over'; readonly winner: Team; readonly score: Score };

export interface TickResult {
  readonly state: GameState;
  readonly events: readonly GameEvent[];
  /** Send `game_state` to every recipient after this tick. */
  readonly publishState: boolean;
}

/**
 * One server tick: physics over the step chosen at the end of the
 * previous tick, the publish decision, then the goal check. The caller waits
 * `state.nextStepSeconds` of the returned state before the next tick.
 * Outside a live point nothing moves.
 */
export function tick(state: GameState): TickResult {
  if (state.phase !== 'live') return { state, events: [], publishState: false };

  const physics = stepPhysics(state, state.nextStepSeconds);
  const events: GameEvent[] = [...physics.events];
  const touched = physics.events.some((event) => event.type === 'paddle-hit');
  const counter = touched ? -1 : physics.state.publishCounter;
  const publishState = shouldPublish(counter);
  const advanced: GameState = { ...physics.state, publishCounter: counter + 1 };

  const scoring = scoringTeam(advanced.layout, advanced.ball);
  if (!scoring) {
    return { state: { ...advanced, nextStepSeconds: 1 / tickRate(advanced) }, events, publishState };
  }

  const credit = creditGoal(scoring, advanced.lastToucher);
  const score: Score = { ...advanced.score, [scoring]: advanced.score[scoring] + 1 };
  const won = score[scoring] >= advanced.layout.winningScore;
  events.push({ type: 'goal', team: scoring, scorer: credit.scorer, ownGoal: credit.ownGoal, score });
  if (won) events.push({ type: 'game-over', winner: scoring, score });
  return {
    state: { ...advanced, score, phase: won ? 'over' : 'scored', winner: won ? scoring : null, nextStepSeconds: 0 },
    events,
    publishState,
  };
}

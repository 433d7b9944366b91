import {
  applyCommand, createGame, layoutFor, seededRandom, serveNextPoint, startPoint, tick,
  type GameState, type PaddleSlot, type Team,
} from '../../src/game/engine/index.js';
import type { ReplayDocument, ReplayEvent, ReplayGoal } from '../../src/game/replay/index.js';

/**
 * A replay document made without a server: the engine plays a 1v1 to the
 * winning score the way a room does (countdowns of 2 s, a serve after each
 * goal), team b's paddle chasing the ball now and then, team a's standing
 * still, and every event recorded as the API would serve it. For the
 * terminal client's unit tests.
 */
export function syntheticReplay(options: { seed?: number; matchId?: number; players?: { a: [number, string]; b: [number, string] } } = {}): ReplayDocument {
  const seed = options.seed ?? 1234;
  const players = options.players ?? { a: [7, 'ann'], b: [9, 'bob'] };
  const layout = layoutFor('normal');
  const random = seededRandom(seed);
  let state: GameState = createGame({ layout, random });
  const events: ReplayEvent[] = [];
  const goals: ReplayGoal[] = [];
  const chaser: PaddleSlot = { team: 'b', index: 0 };
  const idOf = (team: Team) => players[team][0];
  let ms = 1000;
  let ticks = 0;
  events.push({ tick: 0, ms, type: 'start_countdown' });
  ms += 2000;
  events.push({ tick: 0, ms, type: 'start_game' });
  state = startPoint(state);
  let direction = 0;
  while (ticks < 100_000) {
    // Team b steers towards the ball every 12 ticks (so its paddle moves on the field).
    if (ticks % 12 === 0) {
      const paddle = state.paddles.find((p) => p.team === 'b')!;
      const gap = state.ball.y - (paddle.y + layout.paddleHeight / 2);
      const want = Math.abs(gap) < 20 ? 0 : gap < 0 ? -1 : 1;
      if (want !== direction) {
        const type = want === -1 ? 'move_up' : want === 1 ? 'move_down' : 'stop_moving';
        const command = type === 'stop_moving' ? { type, position: paddle.y } as const : { type } as const;
        state = applyCommand(state, chaser, command);
        events.push(type === 'stop_moving'
          ? { tick: ticks, type, team: 'b', index: 0, player: idOf('b'), position: null }
          : { tick: ticks, type, team: 'b', index: 0, player: idOf('b') });
        direction = want;
      }
    }
    const cost = state.nextStepSeconds;
    const result = tick(state);
    ticks += 1;
    ms += cost * 1000;
    state = result.state;
    const goal = result.events.find((event) => event.type === 'goal');
    if (!goal || goal.type !== 'goal') continue;
    goals.push({ tick: ticks, team: goal.team, scorer: idOf(goal.scorer.team), own_goal: goal.ownGoal });
    const at = Math.round(ms);
    events.push({ tick: ticks, ms: at, type: 'score', score: goal.score });
    if (state.phase === 'over') {
      events.push({ tick: ticks, ms: at, type: 'game_over', reason: 'normal-end', score: goal.score, forfeited_by: null });
      break;
    }
    events.push({ tick: ticks, ms: at, type: 'serve' });
    state = serveNextPoint(state, random);
    direction = 0;
    events.push({ tick: ticks, ms: at, type: 'start_countdown' });
    ms = at + 2000;
    events.push({ tick: ticks, ms, type: 'start_game' });
    state = startPoint(state);
  }
  const card = (team: Team) => [{ id: players[team][0], username: players[team][1] }];
  return {
    version: 1,
    match_id: options.matchId ?? 42,
    game_mode: 'duel',
    match_type: '1v1',
    layout,
    seed,
    takeover: false,
    start_score: { a: 0, b: 0 },
    teams: { a: card('a'), b: card('b') },
    events,
    goals,
    duration_ticks: ticks,
    duration_ms: Math.round(ms),
    final_score: state.score,
    field_score: state.score,
    winner: state.winner,
    finish_reason: 'normal-end',
    forfeited_by: null,
  };
}

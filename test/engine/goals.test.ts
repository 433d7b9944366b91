import { describe, expect, it } from 'vitest';
import {
  applyCommand,
  createGame,
  creditGoal,
  scoringTeam,
  layoutFor,
  serveNextPoint,
  startPoint,
  tick,
  seededRandom,
  type GameEvent,
  type GameState,
} from '../../src/game/engine/index.js';
import { A0, A1, A2, B0, B1, liveGame, withBall, withPaddle } from './helpers.js';

function goalEvents(events: readonly GameEvent[]) {
  return events.filter((event) => event.type === 'goal' || event.type === 'game-over');
}

/** Ticks until the point ends (or a safety limit), collecting every event. */
function playOut(state: GameState, limit = 5_000): { state: GameState; events: GameEvent[] } {
  const events: GameEvent[] = [];
  let current = state;
  for (let i = 0; i < limit && current.phase === 'live'; i += 1) {
    const result = tick(current);
    events.push(...result.events);
    current = result.state;
  }
  return { state: current, events };
}

describe('goal lines', () => {
  const normal = layoutFor('normal');

  it('needs the whole ball past a line', () => {
    expect(scoringTeam(normal, { x: -20, y: 0, speedX: -1, speedY: 0, speed: 1 })).toBeNull();
    expect(scoringTeam(normal, { x: -20.01, y: 0, speedX: -1, speedY: 0, speed: 1 })).toBe('a');
    expect(scoringTeam(normal, { x: 1000, y: 0, speedX: 1, speedY: 0, speed: 1 })).toBeNull();
    expect(scoringTeam(normal, { x: 1000.01, y: 0, speedX: 1, speedY: 0, speed: 1 })).toBe('b');
  });

  it('gives the left line to team a and the right line to team b', () => {
    const left = tick(withBall(liveGame('normal'), { x: -15, y: 290, speedX: -600, speedY: 0, speed: 600 }));
    expect(goalEvents(left.events)).toEqual([
      { type: 'goal', team: 'a', scorer: A0, ownGoal: false, score: { a: 1, b: 0 } },
    ]);
    expect(left.state.phase).toBe('scored');
    expect(left.state.score).toEqual({ a: 1, b: 0 });

    const right = tick(withBall(liveGame('normal'), { x: 995, y: 290, speedX: 600, speedY: 0, speed: 600 }));
    expect(goalEvents(right.events)).toEqual([
      { type: 'goal', team: 'b', scorer: B0, ownGoal: false, score: { a: 0, b: 1 } },
    ]);
  });

  it('does not end the point while the ball still overlaps the line', () => {
    const result = tick(withBall(liveGame('normal'), { x: -5, y: 290, speedX: -600, speedY: 0, speed: 600 }));
    expect(result.state.ball.x).toBeCloseTo(-15, 9);
    expect(result.state.phase).toBe('live');
    expect(result.events).toEqual([]);
  });
});

describe('scorer attribution', () => {
  it('credits the last toucher of the scoring team', () => {
    expect(creditGoal('a', A2)).toEqual({ scorer: A2, ownGoal: false });
  });

  it('charges the last toucher of the conceding team with an own goal', () => {
    expect(creditGoal('b', A1)).toEqual({ scorer: A1, ownGoal: true });
  });

  it('credits the scoring team first listed player for an untouched serve', () => {
    expect(creditGoal('b', null)).toEqual({ scorer: B0, ownGoal: false });
  });

  it('3v3: a forward who scores gets the goal', () => {
    // Team a's forward (x 1270) hits the ball back left; team b's paddles stand aside.
    let state = withBall(liveGame('clash'), { x: 1255, y: 365, speedX: 350, speedY: 0, speed: 350 });
    for (const slot of [B0, B1, { team: 'b', index: 2 } as const]) state = withPaddle(state, slot, { y: 0 });
    const { state: end, events } = playOut(state);
    expect(events[0]).toEqual({ type: 'paddle-hit', paddle: A2, contact: 'face', speed: 410 });
    expect(goalEvents(events)).toEqual([
      { type: 'goal', team: 'a', scorer: A2, ownGoal: false, score: { a: 1, b: 0 } },
    ]);
    expect(end.lastToucher).toEqual(A2);
  });

  it('3v3: a clearance that rebounds off a team-mate into its own goal is an own goal', () => {
    let state = withBall(liveGame('clash'), { x: 1490, y: 365, speedX: -350, speedY: 0, speed: 350 });
    // The defender nearest the goal steps aside so the rebound goes in.
    state = withPaddle(state, A0, { y: 0 });
    state = { ...state, lastToucher: A0 };
    const { state: end, events } = playOut(state);
    expect(events[0]).toEqual({ type: 'paddle-hit', paddle: A1, contact: 'face', speed: 410 });
    expect(goalEvents(events)).toEqual([
      { type: 'goal', team: 'b', scorer: A1, ownGoal: true, score: { a: 0, b: 1 } },
    ]);
    expect(end.score).toEqual({ a: 0, b: 1 });
  });

  it('3v3: a midfielder who strikes the ball into the far goal gets the goal', () => {
    let state = withBall(liveGame('clash'), { x: 515, y: 365, speedX: -350, speedY: 0, speed: 350 });
    for (const slot of [A0, A1, A2]) state = withPaddle(state, slot, { y: 0 });
    const { events } = playOut(state);
    expect(goalEvents(events)).toEqual([
      { type: 'goal', team: 'b', scorer: { team: 'b', index: 2 }, ownGoal: false, score: { a: 0, b: 1 } },
    ]);
  });

  it('1v1: a defender who only grazes the ball with his paddle side after it passed him scores an own goal', () => {
    // The ball is already beyond the front of team a's paddle, level with it and just above it.
    let state = withBall(liveGame('normal'), { x: 880, y: 170, speedX: 300, speedY: 0, speed: 300 });
    state = { ...state, lastToucher: B0 };
    state = tick(state).state; // sets the glide flag
    expect(state.paddles[0].gliding).toBe(true);
    state = applyCommand(state, A0, { type: 'move_up' });
    const { events } = playOut(state);
    expect(events.filter((e) => e.type === 'paddle-hit')).toEqual([
      { type: 'paddle-hit', paddle: A0, contact: 'side', speed: 300 },
    ]);
    expect(goalEvents(events)).toEqual([
      { type: 'goal', team: 'b', scorer: A0, ownGoal: true, score: { a: 0, b: 1 } },
    ]);
  });
});

describe('game over (score.max = 3)', () => {
  it('ends the game when a team reaches 3, with the goal reported first', () => {
    let state = withBall(liveGame('normal'), { x: -15, y: 290, speedX: -600, speedY: 0, speed: 600 });
    state = { ...state, score: { a: 2, b: 2 }, lastToucher: B0 };
    const result = tick(state);
    expect(result.events).toEqual([
      { type: 'goal', team: 'a', scorer: B0, ownGoal: true, score: { a: 3, b: 2 } },
      { type: 'game-over', winner: 'a', score: { a: 3, b: 2 } },
    ]);
    expect(result.state.phase).toBe('over');
    expect(result.state.winner).toBe('a');
    const after = tick(result.state);
    expect(after.state).toBe(result.state);
    expect(after.events).toEqual([]);
    expect(() => serveNextPoint(result.state, seededRandom(1))).toThrow(/over/);
  });

  it('does not end the game below 3', () => {
    let state = withBall(liveGame('normal'), { x: 995, y: 290, speedX: 600, speedY: 0, speed: 600 });
    state = { ...state, score: { a: 2, b: 1 } };
    const result = tick(state);
    expect(result.state.phase).toBe('scored');
    expect(result.state.winner).toBeNull();
    expect(result.events.some((e) => e.type === 'game-over')).toBe(false);
  });

  it('plays whole points with serves until one team has 3', () => {
    // Team b's paddle is parked at the top, team a's at the bottom: every ball that
    // misses them ends a point. Scores must add up and the game must finish at exactly 3.
    const random = seededRandom(5);
    let state = startPoint(applyCommand(applyCommand(createGame({ layout: 'normal', random }), A0, { type: 'move_down' }), B0, { type: 'move_up' }));
    const goals: GameEvent[] = [];
    for (let point = 0; point < 50 && state.phase !== 'over'; point += 1) {
      const played = playOut(state, 100_000);
      goals.push(...goalEvents(played.events));
      state = played.state;
      if (state.phase === 'scored') {
        state = serveNextPoint(state, random);
        state = startPoint(applyCommand(applyCommand(state, A0, { type: 'move_down' }), B0, { type: 'move_up' }));
      }
    }
    expect(state.phase).toBe('over');
    expect(Math.max(state.score.a, state.score.b)).toBe(3);
    expect(Math.min(state.score.a, state.score.b)).toBeLessThan(3);
    expect(state.winner).toBe(state.score.a === 3 ? 'a' : 'b');
    expect(goals.filter((e) => e.type === 'goal')).toHaveLength(state.score.a + state.score.b);
    expect(goals.filter((e) => e.type === 'game-over')).toHaveLength(1);
    expect(goals[goals.length - 1]).toEqual({ type: 'game-over', winner: state.winner, score: state.score });
  });
});

import { describe, expect, it } from 'vitest';
import { isInSafeZone, layoutFor, shouldPublish, startPoint, tick, tickRate, type GameState } from '../../src/game/engine/index.js';
import { liveGame, newGame, withBall } from './helpers.js';

function ballAt(x: number, y: number) {
  return { x, y, speedX: 0, speedY: 0, speed: 0 };
}

describe('safe zone', () => {
  const normal = layoutFor('normal');

  it('is |x − 500| < 310 and |y − 300| < 240 in 1v1, on the ball top-left corner', () => {
    expect(isInSafeZone(normal, ballAt(490, 290))).toBe(true);
    expect(isInSafeZone(normal, ballAt(191, 290))).toBe(true);
    expect(isInSafeZone(normal, ballAt(190, 290))).toBe(false);
    expect(isInSafeZone(normal, ballAt(809, 290))).toBe(true);
    expect(isInSafeZone(normal, ballAt(810, 290))).toBe(false);
    expect(isInSafeZone(normal, ballAt(490, 61))).toBe(true);
    expect(isInSafeZone(normal, ballAt(490, 60))).toBe(false);
    expect(isInSafeZone(normal, ballAt(490, 539))).toBe(true);
    expect(isInSafeZone(normal, ballAt(490, 540))).toBe(false);
  });

  it('slows a 1v1 game to 15 Hz only while the ball is in it', () => {
    const game = newGame('normal');
    expect(tickRate(game)).toBe(15);
    expect(tickRate(withBall(game, { x: 850 }))).toBe(60);
    expect(tickRate(withBall(game, { y: 20 }))).toBe(60);
  });

  it('keeps 3v3 and local games at 60 Hz everywhere', () => {
    expect(tickRate(newGame('clash'))).toBe(60);
    expect(tickRate(newGame('local'))).toBe(60);
  });
});

describe('tick timing', () => {
  it('integrates nothing on the first tick after start_game, then one tick-rate step at a time', () => {
    const start = withBall(startPoint(newGame('normal')), { speedX: 300, speedY: -150, speed: 335.4 });
    expect(start.nextStepSeconds).toBe(0);
    const first = tick(start).state;
    expect([first.ball.x, first.ball.y]).toEqual([490, 290]);
    expect(first.nextStepSeconds).toBe(1 / 15);
    const second = tick(first).state;
    expect(second.ball.x).toBeCloseTo(510, 9);
    expect(second.ball.y).toBeCloseTo(280, 9);
  });

  it('switches to 1/60 s steps once the ball leaves the safe zone', () => {
    const start = withBall(liveGame('normal', 1 / 15), { x: 800, y: 290, speedX: 300, speedY: 0, speed: 300 });
    const next = tick(start).state;
    expect(next.ball.x).toBeCloseTo(820, 9);
    expect(next.nextStepSeconds).toBe(1 / 60);
    expect(tick(next).state.ball.x).toBeCloseTo(825, 9);
  });
});

describe('game_state cadence', () => {
  function publishPattern(state: GameState, ticks: number): boolean[] {
    const pattern: boolean[] = [];
    let current = state;
    for (let i = 0; i < ticks; i += 1) {
      const result = tick(current);
      pattern.push(result.publishState);
      current = result.state;
    }
    return pattern;
  }

  it('follows c ≤ 10 or c even', () => {
    expect([-1, 0, 10, 11, 12, 13, 100].map(shouldPublish)).toEqual([true, true, true, false, true, false, true]);
  });

  it('publishes the first 11 ticks of a point, then every other tick', () => {
    // 3v3 field, horizontal serve: nothing is hit for the first 20 ticks.
    const start = withBall(startPoint(newGame('clash')), { speedX: 350, speedY: 0, speed: 350 });
    expect(publishPattern(start, 20)).toEqual([
      ...Array<boolean>(11).fill(true),
      false, true, false, true, false, true, false, true, false,
    ]);
  });

  it('publishes the 12 ticks that start with a paddle contact', () => {
    // Counter at 11 (a silent tick) and the ball about to meet team a's forward at x 1270.
    const beforeHit = withBall({ ...liveGame('clash'), publishCounter: 11 }, { x: 1245, y: 365, speedX: 350, speedY: 0, speed: 350 });
    const pattern = publishPattern(beforeHit, 14);
    expect(pattern).toEqual([...Array<boolean>(12).fill(true), false, true]);
  });
});

import { describe, expect, it } from 'vitest';
import { ballPositionAfter, layoutFor, predictCrossing, stepPhysics } from '../../src/game/engine/index.js';
import { liveGame, withBall } from './helpers.js';

const normal = layoutFor('normal');

describe('predictCrossing', () => {
  it('follows a straight ball', () => {
    const crossing = predictCrossing(normal, { x: 490, y: 290, speedX: 350, speedY: 0, speed: 350 }, 850);
    expect(crossing?.y).toBe(290);
    expect(crossing?.seconds).toBeCloseTo(360 / 350, 12);
  });

  it('reflects off the top wall', () => {
    const crossing = predictCrossing(normal, { x: 500, y: 100, speedX: 400, speedY: -400, speed: 565.7 }, 850);
    expect(crossing?.seconds).toBeCloseTo(0.875, 12);
    expect(crossing?.y).toBeCloseTo(250, 9);
  });

  it('reflects off the bottom wall, whose contact height is H − 20', () => {
    const crossing = predictCrossing(normal, { x: 500, y: 500, speedX: 400, speedY: 400, speed: 565.7 }, 850);
    expect(crossing?.y).toBeCloseTo(310, 9);
  });

  it('follows several bounces', () => {
    const crossing = predictCrossing(normal, { x: 0, y: 0, speedX: 100, speedY: 1000, speed: 1005 }, 150);
    // 1500 units down: 580 to the floor, 580 back up, 340 down again.
    expect(crossing?.y).toBeCloseTo(340, 9);
    expect(crossing?.seconds).toBeCloseTo(1.5, 12);
  });

  it('works towards the left goal', () => {
    const crossing = predictCrossing(normal, { x: 500, y: 300, speedX: -500, speedY: 100, speed: 509.9 }, 130);
    expect(crossing?.seconds).toBeCloseTo(0.74, 12);
    expect(crossing?.y).toBeCloseTo(374, 9);
  });

  it('answers null for a ball moving away or not moving horizontally, and 0 s at the target', () => {
    expect(predictCrossing(normal, { x: 500, y: 300, speedX: -500, speedY: 0, speed: 500 }, 850)).toBeNull();
    expect(predictCrossing(normal, { x: 500, y: 300, speedX: 0, speedY: 300, speed: 300 }, 850)).toBeNull();
    expect(predictCrossing(normal, { x: 850, y: 300, speedX: 0, speedY: 300, speed: 300 }, 850)).toEqual({ y: 300, seconds: 0 });
  });

  it('matches the tick-by-tick simulation when only the top wall is involved', () => {
    const ball = { x: 490, y: 290, speedX: 300, speedY: -400, speed: 500 };
    const crossing = predictCrossing(normal, ball, 850);
    expect(crossing?.seconds).toBeCloseTo(1.2, 12);
    let state = withBall(liveGame('normal'), ball);
    for (let i = 0; i < 72; i += 1) state = stepPhysics(state, 1 / 60).state;
    expect(state.ball.x).toBeCloseTo(850, 6);
    expect(state.ball.y).toBeCloseTo(190, 6);
    expect(crossing?.y).toBeCloseTo(190, 9);
  });
});

describe('ballPositionAfter', () => {
  it('keeps the ball between the walls', () => {
    const position = ballPositionAfter(normal, { x: 100, y: 50, speedX: 200, speedY: -100, speed: 223.6 }, 1);
    expect(position.x).toBe(300);
    expect(position.y).toBeCloseTo(50, 9);
    const still = ballPositionAfter(normal, { x: 100, y: 50, speedX: 200, speedY: -100, speed: 223.6 }, 0);
    expect(still).toEqual({ x: 100, y: 50 });
  });
});

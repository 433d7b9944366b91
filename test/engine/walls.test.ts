import { describe, expect, it } from 'vitest';
import { stepPhysics } from '../../src/game/engine/index.js';
import { liveGame, withBall } from './helpers.js';

describe('walls', () => {
  it('reflects the ball off the top wall, overshoot included', () => {
    const state = withBall(liveGame('normal'), { x: 400, y: 10, speedX: 300, speedY: -600, speed: 670.8 });
    const { state: next, events } = stepPhysics(state, 0.05);
    expect(next.ball.y).toBeCloseTo(20, 9);
    expect(next.ball.speedY).toBe(600);
    expect(next.ball.x).toBeCloseTo(415, 9);
    expect(next.ball.speedX).toBe(300);
    expect(events).toEqual([{ type: 'wall-bounce', wall: 'top' }]);
  });

  it('stops the ball on the bottom wall and sends it back up', () => {
    const state = withBall(liveGame('normal'), { x: 400, y: 570, speedX: -300, speedY: 600 });
    const { state: next, events } = stepPhysics(state, 0.05);
    expect(next.ball.y).toBe(580);
    expect(next.ball.speedY).toBe(-600);
    expect(next.ball.speedX).toBe(-300);
    expect(events).toEqual([{ type: 'wall-bounce', wall: 'bottom' }]);
  });

  it('bounces on exact contact with either wall', () => {
    const top = stepPhysics(withBall(liveGame('clash'), { x: 900, y: 0, speedY: -100 }), 0);
    expect([top.state.ball.y, top.state.ball.speedY]).toEqual([0, 100]);
    const bottom = stepPhysics(withBall(liveGame('clash'), { x: 900, y: 730, speedY: 100 }), 0);
    expect([bottom.state.ball.y, bottom.state.ball.speedY]).toEqual([730, -100]);
  });

  it('leaves the ball alone between the walls', () => {
    const state = withBall(liveGame('normal'), { x: 400, y: 1, speedX: 0, speedY: -10, speed: 10 });
    const { state: next, events } = stepPhysics(state, 0.05);
    expect(next.ball.y).toBeCloseTo(0.5, 9);
    expect(next.ball.speedY).toBe(-10);
    expect(events).toEqual([]);
  });

  it('never turns a ball that is already leaving a wall back into it', () => {
    const state = withBall(liveGame('normal'), { x: 400, y: 0, speedX: 0, speedY: 50, speed: 50 });
    expect(stepPhysics(state, 0).state.ball.speedY).toBe(50);
  });

  it('has no side walls: the left and right edges are goal lines', () => {
    const state = withBall(liveGame('normal'), { x: 995, y: 300, speedX: 600, speedY: 0, speed: 600 });
    const { state: next, events } = stepPhysics(state, 0.05);
    expect(next.ball.x).toBeCloseTo(1025, 9);
    expect(next.ball.speedX).toBe(600);
    expect(events).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { applyCommand, clampPaddleY, layoutFor, paddleRange, stepPhysics, tick } from '../../src/game/engine/index.js';
import { A0, A1, A2, B0, B1, liveGame, newGame, paddleY, withBall, withPaddle } from './helpers.js';

describe('paddle commands', () => {
  it('sets the direction: move_up −1, move_down +1, stop_moving 0', () => {
    let state = newGame('normal');
    state = applyCommand(state, A0, { type: 'move_up' });
    expect(state.paddles[0].direction).toBe(-1);
    state = applyCommand(state, A0, { type: 'move_down' });
    expect(state.paddles[0].direction).toBe(1);
    state = applyCommand(state, A0, { type: 'stop_moving', position: 200 });
    expect(state.paddles[0].direction).toBe(0);
  });

  it('steers only the addressed paddle and leaves the input state untouched', () => {
    const before = newGame('clash');
    const after = applyCommand(before, B1, { type: 'move_down' });
    expect(after.paddles.map((p) => p.direction)).toEqual([0, 0, 0, 0, 1, 0]);
    expect(before.paddles.map((p) => p.direction)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('rejects a slot the layout does not have', () => {
    expect(() => applyCommand(newGame('normal'), A1, { type: 'move_up' })).toThrow(RangeError);
  });

  it('adopts a reported position of a moving paddle when it is less than 30 away', () => {
    const moving = applyCommand(newGame('normal'), A0, { type: 'move_down' });
    expect(paddleY(applyCommand(moving, A0, { type: 'stop_moving', position: 229.5 }), A0)).toBe(229.5);
    expect(paddleY(applyCommand(moving, A0, { type: 'stop_moving', position: 170.5 }), A0)).toBe(170.5);
  });

  it('keeps the server position when the report is 30 or more away', () => {
    const moving = applyCommand(newGame('normal'), A0, { type: 'move_down' });
    expect(paddleY(applyCommand(moving, A0, { type: 'stop_moving', position: 230 }), A0)).toBe(200);
    expect(paddleY(applyCommand(moving, A0, { type: 'stop_moving', position: 170 }), A0)).toBe(200);
  });

  it('ignores the report of a paddle that was not moving, or a missing or non-finite one', () => {
    const still = newGame('normal');
    expect(paddleY(applyCommand(still, A0, { type: 'stop_moving', position: 210 }), A0)).toBe(200);
    const moving = applyCommand(still, A0, { type: 'move_up' });
    const dropped = applyCommand(moving, A0, { type: 'stop_moving' });
    expect([paddleY(dropped, A0), dropped.paddles[0].direction]).toEqual([200, 0]);
    expect(paddleY(applyCommand(moving, A0, { type: 'stop_moving', position: Number.NaN }), A0)).toBe(200);
  });

  it('keeps an adopted position inside the legal range', () => {
    const nearBottom = withPaddle(newGame('normal'), A0, { y: 390, direction: 1 });
    expect(paddleY(applyCommand(nearBottom, A0, { type: 'stop_moving', position: 415 }), A0)).toBe(400);
    const gliding = withPaddle(newGame('normal'), A0, { y: 375, direction: 1, gliding: true });
    expect(paddleY(applyCommand(gliding, A0, { type: 'stop_moving', position: 395 }), A0)).toBe(380);
  });
});

describe('paddle motion', () => {
  it('moves at 500 units per second in the commanded direction', () => {
    let state = applyCommand(liveGame('normal'), A0, { type: 'move_down' });
    state = applyCommand(state, B0, { type: 'move_up' });
    const next = stepPhysics(state, 0.1).state;
    expect(paddleY(next, A0)).toBeCloseTo(250, 9);
    expect(paddleY(next, B0)).toBeCloseTo(150, 9);
  });

  it('clamps to the canvas: [0, H − ph]', () => {
    const down = applyCommand(liveGame('normal'), A0, { type: 'move_down' });
    expect(paddleY(stepPhysics(down, 1).state, A0)).toBe(400);
    const up = applyCommand(liveGame('clash'), A2, { type: 'move_up' });
    expect(paddleY(stepPhysics(up, 1).state, A2)).toBe(0);
    const clashDown = applyCommand(liveGame('clash'), A2, { type: 'move_down' });
    expect(paddleY(stepPhysics(clashDown, 1).state, A2)).toBe(650);
  });

  it('keeps a gliding paddle one ball size off each wall', () => {
    const layout = layoutFor('normal');
    expect(paddleRange(layout, true)).toEqual({ min: 20, max: 380 });
    expect(paddleRange(layout, false)).toEqual({ min: 0, max: 400 });
    expect(clampPaddleY(layout, -5, true)).toBe(20);
    expect(clampPaddleY(layout, 399, true)).toBe(380);
    // The ball glides beside the paddle (horizontally level, below it).
    let state = withPaddle(liveGame('normal'), A0, { y: 30, direction: -1, gliding: true });
    state = withBall(state, { x: 875, y: 500, speedX: 0, speedY: 0 });
    expect(paddleY(stepPhysics(state, 1).state, A0)).toBe(20);
  });

  it('does not move paddles outside a live point, whatever the direction', () => {
    const waiting = applyCommand(newGame('normal'), A0, { type: 'move_down' });
    const result = tick(waiting);
    expect(result.state).toBe(waiting);
    expect(result.events).toEqual([]);
    expect(result.publishState).toBe(false);
  });
});

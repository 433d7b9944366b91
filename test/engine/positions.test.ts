import { describe, expect, it } from 'vitest';
import { centreSpot, centredPaddleY, initialPaddleX, layoutFor, type GameState } from '../../src/game/engine/index.js';
import { newGame } from './helpers.js';

function placements(state: GameState): Array<[string, number, number]> {
  return state.paddles.map((paddle) => [`${paddle.team}${paddle.index}`, paddle.x, paddle.y]);
}

describe('initial positions', () => {
  it('1v1: team a at 870 on the right, team b at 100, both at y 200, ball at (490, 290)', () => {
    const state = newGame('normal');
    expect(placements(state)).toEqual([
      ['a0', 870, 200],
      ['b0', 100, 200],
    ]);
    expect([state.ball.x, state.ball.y]).toEqual([490, 290]);
  });

  it('3v3: team a at 1670, 1470, 1270, team b at 100, 300, 500, all at y 325, ball at (890, 365)', () => {
    const state = newGame('clash');
    expect(placements(state)).toEqual([
      ['a0', 1670, 325],
      ['a1', 1470, 325],
      ['a2', 1270, 325],
      ['b0', 100, 325],
      ['b1', 300, 325],
      ['b2', 500, 325],
    ]);
    expect([state.ball.x, state.ball.y]).toEqual([890, 365]);
  });

  it('local: paddles symmetric, 100 from each edge (1370 and 100), y 275, ball at (740, 365)', () => {
    const state = newGame('local');
    expect(placements(state)).toEqual([
      ['a0', 1370, 275],
      ['b0', 100, 275],
    ]);
    expect([state.ball.x, state.ball.y]).toEqual([740, 365]);
    const layout = layoutFor('local');
    const rightGap = layout.width - (state.paddles[0].x + layout.paddleWidth);
    expect(rightGap).toBe(state.paddles[1].x);
  });

  it('starts every game still, unscored, untouched and waiting for start_game', () => {
    for (const name of ['normal', 'clash', 'local'] as const) {
      const state = newGame(name);
      expect(state.phase).toBe('ready');
      expect(state.score).toEqual({ a: 0, b: 0 });
      expect(state.lastToucher).toBeNull();
      expect(state.winner).toBeNull();
      expect(state.paddles.every((paddle) => paddle.direction === 0 && !paddle.gliding)).toBe(true);
      expect(state.ball.speed).toBe(350);
    }
  });

  it('floors the centred positions on odd sizes', () => {
    const odd = { ...layoutFor('normal'), width: 1001, height: 601, paddleHeight: 201 };
    expect(centredPaddleY(odd)).toBe(200);
    expect(centreSpot(odd)).toEqual({ x: 490, y: 290 });
    expect(initialPaddleX(odd, 'a', 0)).toBe(871);
  });
});

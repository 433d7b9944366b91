import { describe, expect, it } from 'vitest';
import {
  gameStatePayload,
  mirrorBall,
  mirrorPaddleX,
  mirrorState,
  layoutFor,
  racketPositions,
  stepPhysics,
  viewFor,
  type GameState,
} from '../../src/game/engine/index.js';
import { A0, liveGame, newGame, withBall, withPaddle } from './helpers.js';

describe('perspective', () => {
  it('mirrors the ball for team b: x′ = W − x − 20, speed_x′ = −speed_x, the rest unchanged', () => {
    const state = withBall(newGame('normal'), { x: 100, y: 250, speedX: 300, speedY: -120, speed: 323.1 });
    expect(gameStatePayload(state, 'b')).toEqual({
      position_x: 880,
      position_y: 250,
      speed_x: -300,
      speed_y: -120,
      speed: 323.1,
    });
  });

  it('sends the server frame to team a and to spectators', () => {
    const state = withBall(newGame('clash'), { x: 100, y: 250, speedX: 300, speedY: -120, speed: 323.1 });
    const serverFrame = { position_x: 100, position_y: 250, speed_x: 300, speed_y: -120, speed: 323.1 };
    expect(gameStatePayload(state, 'a')).toEqual(serverFrame);
    expect(gameStatePayload(state, 'spectator')).toEqual(serverFrame);
    expect(gameStatePayload(state, 'b').position_x).toBe(1680);
    expect(viewFor(state, 'a')).toBe(state);
  });

  it('shows every player his own team on the right: paddle x′ = W − x − 30', () => {
    const normal = newGame('normal');
    expect(racketPositions(normal, 'a')).toEqual([
      { team: 'a', index: 0, x: 870 },
      { team: 'b', index: 0, x: 100 },
    ]);
    expect(racketPositions(normal, 'b')).toEqual([
      { team: 'a', index: 0, x: 100 },
      { team: 'b', index: 0, x: 870 },
    ]);
    const clash = newGame('clash');
    expect(racketPositions(clash, 'b').map((r) => `${r.team}${r.index}:${r.x}`)).toEqual([
      'a0:100', 'a1:300', 'a2:500', 'b0:1670', 'b1:1470', 'b2:1270',
    ]);
    expect(racketPositions(clash, 'spectator').map((r) => r.x)).toEqual([1670, 1470, 1270, 100, 300, 500]);
  });

  it('never produces −0 and keeps the vertical values', () => {
    const layout = layoutFor('normal');
    const still = mirrorBall(layout, { x: 490, y: 290, speedX: 0, speedY: 0, speed: 0 });
    expect(Object.is(still.speedX, 0)).toBe(true);
    expect(still.x).toBe(490);
    expect(mirrorPaddleX(layout, 870)).toBe(100);
    const moved = withPaddle(newGame('normal'), A0, { y: 123, direction: -1 });
    expect(mirrorState(moved).paddles[0]).toMatchObject({ y: 123, direction: -1, x: 100 });
  });

  it('is its own inverse', () => {
    const state = withBall(newGame('clash'), { x: 321.5, y: 17, speedX: -812.25, speedY: 40, speed: 813.2 });
    expect(mirrorState(mirrorState(state))).toEqual(state);
  });

  it('commutes with the physics, so a team b client can predict in its own frame', () => {
    const cases: GameState[] = [
      withBall(liveGame('normal'), { x: 855, y: 230, speedX: 350, speedY: 40, speed: 352.3 }),
      withBall(liveGame('normal'), { x: 120, y: 330, speedX: -500, speedY: -90, speed: 508 }),
      withBall(liveGame('clash'), { x: 1490, y: 360, speedX: -350, speedY: 10, speed: 350.1 }),
      withBall(liveGame('clash'), { x: 1260, y: 400, speedX: 420, speedY: 200, speed: 465.2 }),
    ];
    for (const state of cases) {
      for (const dt of [0, 1 / 60, 1 / 15]) {
        const direct = mirrorState(stepPhysics(state, dt).state);
        const mirrored = stepPhysics(mirrorState(state), dt).state;
        for (const key of ['x', 'y', 'speedX', 'speedY', 'speed'] as const) {
          expect(mirrored.ball[key]).toBeCloseTo(direct.ball[key], 6);
        }
        expect(mirrored.lastToucher).toEqual(direct.lastToucher);
        expect(mirrored.paddles.map((p) => p.gliding)).toEqual(direct.paddles.map((p) => p.gliding));
      }
    }
  });
});

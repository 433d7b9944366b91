import { describe, expect, it } from 'vitest';
import {
  createGame,
  layoutFor,
  seededRandom,
  serveAngle,
  serveBall,
  serveNextPoint,
  startPoint,
  tick,
} from '../../src/game/engine/index.js';
import { A0, liveGame, scriptedRandom, withBall, withPaddle } from './helpers.js';

const normal = layoutFor('normal');

describe('seededRandom', () => {
  it('replays the same sequence for the same seed and another one for another seed', () => {
    const first = seededRandom(42);
    const second = seededRandom(42);
    const other = seededRandom(43);
    const a = Array.from({ length: 5 }, first);
    expect(Array.from({ length: 5 }, second)).toEqual(a);
    expect(Array.from({ length: 5 }, other)).not.toEqual(a);
  });

  it('stays within [0, 1)', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 10_000; i += 1) {
      const value = random();
      expect(value >= 0 && value < 1).toBe(true);
    }
  });
});

describe('serve', () => {
  it('maps draws onto the two cones: 0.25 straight right, 0.75 straight left', () => {
    const right = serveBall(normal, scriptedRandom([0.25]));
    expect(right.speedX).toBeCloseTo(350, 9);
    expect(right.speedY).toBeCloseTo(0, 9);
    const left = serveBall(normal, scriptedRandom([0.75]));
    expect(left.speedX).toBeCloseTo(-350, 9);
    expect(left.speedY).toBeCloseTo(0, 9);
  });

  it('reaches the 60° edges of each cone: 0 up-right, 0.5 down-left', () => {
    const upRight = serveBall(normal, scriptedRandom([0]));
    expect(upRight.speedX).toBeCloseTo(175, 9);
    expect(upRight.speedY).toBeCloseTo(-303.1088913245535, 9);
    const downLeft = serveBall(normal, scriptedRandom([0.5]));
    expect(downLeft.speedX).toBeCloseTo(-175, 9);
    expect(downLeft.speedY).toBeCloseTo(303.1088913245535, 9);
  });

  it('uses exactly one draw per serve', () => {
    const random = scriptedRandom([0.1, 0.9, 0.3]);
    serveBall(normal, random);
    serveBall(normal, random);
    expect(random.calls()).toBe(2);
  });

  it('serves at 350 from the centre, within 60° of the horizontal, to both sides equally', () => {
    const random = seededRandom(2024);
    const serves = Array.from({ length: 20_000 }, () => serveBall(normal, random));
    expect(serves.every((ball) => ball.x === 490 && ball.y === 290 && ball.speed === 350)).toBe(true);
    const worstSpeedError = Math.max(...serves.map((ball) => Math.abs(Math.hypot(ball.speedX, ball.speedY) - 350)));
    expect(worstSpeedError).toBeLessThan(1e-9);
    const smallestCosine = Math.min(...serves.map((ball) => Math.abs(ball.speedX) / 350));
    expect(smallestCosine).toBeGreaterThanOrEqual(0.5 - 1e-12);
    expect(smallestCosine).toBeLessThan(0.51);
    const leftward = serves.filter((ball) => ball.speedX < 0).length / serves.length;
    const upward = serves.filter((ball) => ball.speedY < 0).length / serves.length;
    expect(leftward).toBeGreaterThan(0.48);
    expect(leftward).toBeLessThan(0.52);
    expect(upward).toBeGreaterThan(0.48);
    expect(upward).toBeLessThan(0.52);
  });

  it('spreads the angle uniformly over the cone', () => {
    const random = seededRandom(99);
    const buckets = [0, 0, 0, 0];
    const draws = 40_000;
    let widest = 0;
    for (let i = 0; i < draws; i += 1) {
      const angle = serveAngle(random);
      const fromHorizontal = Math.atan2(Math.sin(angle), Math.abs(Math.cos(angle)));
      widest = Math.max(widest, Math.abs(fromHorizontal));
      buckets[Math.min(3, Math.floor(((fromHorizontal + Math.PI / 3) / ((2 * Math.PI) / 3)) * 4))] += 1;
    }
    expect(widest).toBeLessThanOrEqual(Math.PI / 3 + 1e-12);
    for (const count of buckets) {
      expect(count / draws).toBeGreaterThan(0.23);
      expect(count / draws).toBeLessThan(0.27);
    }
  });

  it('creates the first ball from the injected random source', () => {
    const state = createGame({ layout: 'clash', random: scriptedRandom([0.75]) });
    expect(state.ball.x).toBe(890);
    expect(state.ball.speedX).toBeCloseTo(-350, 9);
  });
});

describe('serving the next point', () => {
  function afterGoal() {
    let state = withPaddle(liveGame('normal'), A0, { y: 37, direction: 1, gliding: true });
    state = withBall(state, { x: 1005, y: 100, speedX: 900, speedY: 10, speed: 900 });
    state = { ...state, lastToucher: { team: 'b', index: 0 } };
    return tick(state).state;
  }

  it('re-serves from the centre at 350, paddles centred and still, nobody touching', () => {
    const scored = afterGoal();
    expect(scored.phase).toBe('scored');
    const next = serveNextPoint(scored, scriptedRandom([0.25]));
    expect(next.phase).toBe('ready');
    expect(next.ball.x).toBe(490);
    expect(next.ball.y).toBe(290);
    expect(next.ball.speed).toBe(350);
    expect(next.ball.speedX).toBeCloseTo(350, 9);
    expect(next.paddles.map((p) => [p.x, p.y, p.direction, p.gliding])).toEqual([
      [870, 200, 0, false],
      [100, 200, 0, false],
    ]);
    expect(next.lastToucher).toBeNull();
    expect(next.score).toEqual({ a: 0, b: 1 });
  });

  it('refuses to serve while a point is live and to start a point twice', () => {
    const live = liveGame('normal');
    expect(() => serveNextPoint(live, seededRandom(1))).toThrow(/live/);
    expect(() => startPoint(live)).toThrow(/live/);
  });
});

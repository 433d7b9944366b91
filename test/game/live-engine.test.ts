import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyCommand, createGame, layoutFor, seededRandom, serveNextPoint, startPoint, tick, type GameState, type LayoutName, type PaddleCommand, type Team,
} from '../../src/game/engine/index.js';
import { applyCommandInPlace, newTickOutcome, tickInPlace, toLive, type LiveGameState } from '../../src/game/engine/live.js';
import { propertySeed } from '../support/property.js';

/**
 * The rooms step their match in place (src/game/engine/live.ts) while a
 * replay, the clients and the bots run the pure engine: the two must agree
 * to the last bit (a replay finds its goals by running the pure one). Random
 * games on every layout, random commands at random ticks, hundreds of points.
 */
function same(live: LiveGameState, pure: GameState): void {
  const bits = (n: number) => (Object.is(n, -0) ? '-0' : String(n));
  expect(live.phase).toBe(pure.phase);
  expect([live.ball.x, live.ball.y, live.ball.speedX, live.ball.speedY, live.ball.speed].map(bits))
    .toEqual([pure.ball.x, pure.ball.y, pure.ball.speedX, pure.ball.speedY, pure.ball.speed].map(bits));
  expect(live.paddles.map((p) => [p.team, p.index, bits(p.x), bits(p.y), p.direction, p.gliding]))
    .toEqual(pure.paddles.map((p) => [p.team, p.index, bits(p.x), bits(p.y), p.direction, p.gliding]));
  expect(live.score).toEqual(pure.score);
  expect(live.lastToucher && { team: live.lastToucher.team, index: live.lastToucher.index }).toEqual(pure.lastToucher);
  expect(live.publishCounter).toBe(pure.publishCounter);
  expect(bits(live.nextStepSeconds)).toBe(bits(pure.nextStepSeconds));
  expect(live.winner).toBe(pure.winner);
}

const commandArb: fc.Arbitrary<PaddleCommand> = fc.oneof(
  fc.constant({ type: 'move_up' } as const),
  fc.constant({ type: 'move_down' } as const),
  fc.constant({ type: 'stop_moving' } as const),
  fc.double({ min: -50, max: 800, noNaN: true }).map((position) => ({ type: 'stop_moving', position }) as const),
);

describe('the in-place engine (rooms) and the pure engine (replays, clients) agree bit for bit', () => {
  it('on random games with random commands, goals and serves included', () => {
    fc.assert(fc.property(
      fc.constantFrom<LayoutName>('normal', 'clash', 'local'),
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.nat(5), commandArb), { maxLength: 120 }),
      (layoutName, seed, commands) => {
        const layout = layoutFor(layoutName);
        const randomPure = seededRandom(seed);
        const randomLive = seededRandom(seed);
        let pure = startPoint(createGame({ layout, random: randomPure }));
        const outcome = newTickOutcome();
        let live = toLive(startPoint(createGame({ layout, random: randomLive })));
        same(live, pure);
        let goals = 0;
        for (const [wait, slotNo, command] of commands) {
          for (let t = 0; t < wait; t++) {
            const result = tick(pure);
            tickInPlace(live, outcome);
            pure = result.state;
            same(live, pure);
            const goal = result.events.find((e) => e.type === 'goal');
            expect(outcome.goal).toBe(!!goal);
            expect(outcome.publish).toBe(result.publishState);
            if (goal && goal.type === 'goal') {
              goals++;
              expect([outcome.team, outcome.scorer, outcome.ownGoal]).toEqual([goal.team, goal.scorer, goal.ownGoal]);
              // The next point, as a room serves it (a match that is over starts again from 0-0).
              const score = pure.phase === 'over' ? { a: 0, b: 0 } : pure.score;
              pure = startPoint(serveNextPoint({ ...pure, phase: 'scored', winner: null, score }, randomPure));
              live = toLive(startPoint(serveNextPoint({ ...live, phase: 'scored', winner: null, score }, randomLive)));
              same(live, pure);
            }
          }
          const paddle = pure.paddles[slotNo % pure.paddles.length];
          const slot: { team: Team; index: number } = { team: paddle.team, index: paddle.index };
          pure = applyCommand(pure, slot, command);
          applyCommandInPlace(live, slot, command);
          same(live, pure);
        }
        return goals >= 0;
      },
    ), { numRuns: 150, seed: propertySeed() });
  });

  it('over whole points of a 1v1 and a 3v3: the same goals on the same ticks', () => {
    for (const name of ['normal', 'clash'] as const) {
      const layout = layoutFor(name);
      let pure = startPoint(createGame({ layout, random: seededRandom(99) }));
      const live = toLive(startPoint(createGame({ layout, random: seededRandom(99) })));
      const outcome = newTickOutcome();
      let ticks = 0;
      while (pure.phase === 'live' && ticks < 100_000) {
        pure = tick(pure).state;
        tickInPlace(live, outcome);
        ticks++;
      }
      expect(pure.phase).toBe('scored');
      same(live, pure);
    }
  });
});

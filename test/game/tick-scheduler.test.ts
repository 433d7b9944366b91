import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { TickScheduler, WAKE_RESOLUTION_MS } from '../../src/game/rooms/tick-scheduler.js';

describe('TickScheduler (one timer for every room of a process)', () => {
  it('runs each request at its instant, earliest first, with a single clock timer', () => {
    const clock = new ManualClock(0);
    const ticks = new TickScheduler(clock);
    const runs: Array<[string, number]> = [];
    ticks.at(50 / 3, () => runs.push(['a', clock.now()]));
    ticks.at(10, () => runs.push(['b', clock.now()]));
    ticks.at(10, () => runs.push(['c', clock.now()]));
    expect(clock.pendingCount()).toBe(1);
    clock.advance(100);
    expect(runs).toEqual([['b', 10], ['c', 10], ['a', 50 / 3]]);
    expect(ticks.size).toBe(0);
    expect(clock.pendingCount()).toBe(0);
  });

  it('forgets cancelled requests and disarms when nothing is left', () => {
    const clock = new ManualClock(0);
    const ticks = new TickScheduler(clock);
    const runs: number[] = [];
    const first = ticks.at(5, () => runs.push(5));
    ticks.at(8, () => runs.push(8)).cancel();
    first.cancel();
    expect(clock.pendingCount()).toBe(0);
    ticks.at(3, () => runs.push(3));
    clock.advance(20);
    expect(runs).toEqual([3]);
  });

  it('a request made during a batch (a room behind its plan) runs on the next turn, at once', () => {
    const clock = new ManualClock(0);
    const ticks = new TickScheduler(clock);
    const runs: Array<[string, number]> = [];
    ticks.at(10, () => {
      runs.push(['a', clock.now()]);
      ticks.at(5, () => runs.push(['late', clock.now()]));
      ticks.at(16, () => runs.push(['next', clock.now()]));
    });
    ticks.at(10, () => runs.push(['b', clock.now()]));
    clock.advance(30);
    expect(runs).toEqual([['a', 10], ['b', 10], ['late', 10], ['next', 16]]);
  });

  it('a batch also runs what is due within the next millisecond (a timer cannot wake more precisely), and nothing later', () => {
    const clock = new ManualClock(0);
    const ticks = new TickScheduler(clock);
    const runs: Array<[string, number]> = [];
    ticks.at(10, () => runs.push(['due', clock.now()]));
    ticks.at(10 + WAKE_RESOLUTION_MS / 2, () => runs.push(['within', clock.now()]));
    ticks.at(10 + WAKE_RESOLUTION_MS, () => runs.push(['after', clock.now()]));
    clock.advance(10);
    expect(runs).toEqual([['due', 10], ['within', 10]]);
    clock.advance(WAKE_RESOLUTION_MS);
    expect(runs).toEqual([['due', 10], ['within', 10], ['after', 10 + WAKE_RESOLUTION_MS]]);
  });
});

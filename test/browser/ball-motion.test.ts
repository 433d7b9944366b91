import { describe, expect, it } from 'vitest';
import { GAME_CONFIG } from '../../src/game/engine/index.js';
import { arrive, joinedMatch, openTab, runClock, screenshot, userIdOf, useBrowserWorld } from './support.js';

/**
 * The ball as a person sees it, on the compact encoding the web client uses:
 * the server sends it only when its flight changes (docs/game-protocol.md,
 * The compact encoding) and the shared client fills in the rest, so the
 * ball drawn frame after frame must glide, never stall and jump.
 */
describe('the ball on the screen', { timeout: 120_000 }, () => {
  const world = useBrowserWorld();

  it('moves smoothly through whole flights against the computer: no frame jumps further than the fastest ball could go', async () => {
    let stopClock = () => {};
    // A small window: the test runs beside others on two cores, and the motion is the same at any size.
    const tab = await openTab(world.browser, world.server, { viewport: { width: 800, height: 600 } });
    const { page } = tab;
    try {
      await arrive(tab);
      await page.getByTestId('play-computer').click();
      await page.getByTestId('match-code').waitFor();
      await joinedMatch(world.server, await userIdOf(tab), 'custom_game');
      await page.evaluate(() => { (window as any).__pongBallTrace = []; });
      stopClock = runClock(world.server.clock, 1);
      // Long enough for several flights across the field, however slowly a loaded machine draws.
      type Trace = Array<{ t: number; x: number; y: number; countdown: boolean } | null>;
      const travelledIn = (trace: Trace) => trace.reduce((sum, p, i) => (p && trace[i - 1] ? sum + Math.hypot(p.x - trace[i - 1]!.x, p.y - trace[i - 1]!.y) : sum), 0);
      let trace: Trace = [];
      for (const started = Date.now(); Date.now() - started < 30_000;) {
        await page.waitForTimeout(1000);
        trace = (await page.evaluate(() => (window as any).__pongBallTrace)) as Trace;
        if (travelledIn(trace) > 1200) break;
      }
      await screenshot(page, 'ball-motion');
      stopClock();

      const fastest = GAME_CONFIG.ball.maxSpeed;
      let steps = 0;
      let travelled = 0;
      const jumps: string[] = [];
      for (let i = 1; i < trace.length; i++) {
        const [before, after] = [trace[i - 1], trace[i]];
        // A goal takes the ball off the field, or straight to the next serve's spot for the countdown.
        if (!before || !after || after.countdown) continue;
        const ms = after.t - before.t;
        const moved = Math.hypot(after.x - before.x, after.y - before.y);
        steps++;
        travelled += moved;
        // A frame late by a long task may show the ball further on, never further than it could fly meanwhile.
        if (moved > (fastest * ms) / 1000 * 1.25 + 2) jumps.push(`${moved.toFixed(1)} units in ${ms.toFixed(1)} ms at frame ${i}`);
      }
      expect(steps).toBeGreaterThan(100);
      // Flights across the field (the computer may win 3-0 within a few, so the match may end first).
      expect(travelled).toBeGreaterThan(500);
      expect(jumps).toEqual([]);
      expect(tab.errors).toEqual([]);
    } finally {
      stopClock();
      await tab.context.close();
    }
  });
});

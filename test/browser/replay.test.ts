import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { arrive, openTab, runClock, screenshot, useBrowserWorld } from './support.js';

const scoreOf = async (page: Page) => [Number(await page.getByTestId('score-left').textContent()), Number(await page.getByTestId('score-right').textContent())];

/**
 * Replays (docs/replays.md): a match played to its end in the browser is
 * watched again from the match history, played, paused and scrubbed to a
 * goal; a match without a replay says so.
 */
describe('replays in the browser', { timeout: 240_000 }, () => {
  const world = useBrowserWorld();

  it('a game against the computer is replayed from the history, and scrubbed to the second goal', async () => {
    const stopClock = runClock(world.server.clock, 3);
    const tab = await openTab(world.browser, world.server, { viewport: { width: 1366, height: 800 } });
    const page = tab.page;
    try {
      await arrive(tab);
      await page.getByTestId('play-computer').click();
      await page.getByTestId('match-code').waitFor();
      // The person parks his paddle against the top wall: the computer wins 3–0.
      await page.keyboard.down('ArrowUp');
      const over = page.getByTestId('game-over');
      await over.waitFor({ timeout: 150_000 });
      await page.keyboard.up('ArrowUp');
      // The end screen links to the replay of this very match (game_over's match_id): the one the history links to below.
      const endHref = await page.getByRole('dialog').getByRole('link', { name: 'Watch the replay' }).getAttribute('href');
      expect(endHref).toMatch(/^\/replay\/\d+$/);
      await page.getByRole('dialog').getByRole('button', { name: 'Quit' }).click();
      stopClock();

      await page.getByRole('link', { name: /^Profile of / }).click();
      await page.getByRole('tab', { name: 'Match History' }).click();
      // The computer is named by its level (the match marks it), not by its bot account.
      await page.getByRole('list', { name: 'Match history' }).getByText('against Computer (medium)').first().waitFor();
      const historyLink = page.getByRole('list', { name: 'Match history' }).getByRole('link', { name: /^Replay/ }).first();
      expect(await historyLink.getAttribute('href')).toBe(endHref);
      await historyLink.click();
      await page.waitForURL(/\/replay\/\d+$/);

      // It plays by itself: the timeline moves on.
      const timeline = page.getByTestId('timeline');
      await timeline.waitFor();
      await page.waitForFunction(() => Number((document.querySelector('[data-testid=timeline]') as HTMLInputElement).value) > 30, undefined, { timeout: 15_000 });
      await expect(page.getByTestId('names-left').textContent()).resolves.toBe('Computer (medium)');
      await page.screenshot({ path: '/tmp/replay-1366.png', fullPage: true });
      await screenshot(page, 'replay-1366');
      await page.getByRole('group', { name: 'Speed' }).getByRole('button', { name: '4x' }).click();
      await page.getByTestId('replay-toggle').filter({ hasText: 'Pause' }).click();
      await page.getByTestId('replay-toggle').filter({ hasText: 'Play' }).waitFor();

      // Three goals marked on the timeline; scrub to the moment of the second one.
      const goals = page.getByTestId('goal-jump');
      await expect(goals.count()).resolves.toBe(3);
      const second = Number(await goals.nth(1).getAttribute('data-tick'));
      await timeline.fill(String(second));
      await expect(timeline.inputValue()).resolves.toBe(String(second));
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=score-left]')!.textContent) + Number(document.querySelector('[data-testid=score-right]')!.textContent) === 2);
      expect(await scoreOf(page)).toEqual([2, 0]);
      // The list of goals writes each score in the board's order, left first.
      await expect(goals.nth(1).textContent()).resolves.toMatch(/· 2–0$/);
      // A moment before it, one goal only.
      await timeline.fill(String(second - 1));
      await page.waitForFunction(() => document.querySelector('[data-testid=score-left]')!.textContent === '1');
      // On a phone held upright the field turns, and the timeline and the play controls stay on screen with it.
      await page.setViewportSize({ width: 390, height: 844 });
      const onScreen = async (box: { y: number; height: number } | null) => !!box && box.y >= 0 && box.y + box.height <= 844;
      await expect.poll(async () => onScreen(await page.getByTestId('replay-toggle').boundingBox())).toBe(true);
      expect(await onScreen(await page.getByTestId('timeline').boundingBox())).toBe(true);
      const field = await page.locator('canvas').first().boundingBox();
      expect(await onScreen(field)).toBe(true);
      // The field still takes most of the screen.
      expect(field!.height).toBeGreaterThan(844 * 0.6);
      await screenshot(page, 'replay-390');
      expect(tab.errors).toEqual([]);
    } finally {
      stopClock();
      await tab.context.close();
    }
  });

  it('a match without a replay says so, with a way back', async () => {
    const tab = await openTab(world.browser, world.server);
    try {
      await arrive(tab);
      await tab.page.goto('/replay/987654');
      await tab.page.getByText('This match has no replay.').waitFor();
      await tab.page.getByRole('button', { name: 'Back' }).click();
      await tab.page.getByRole('heading', { name: 'Play Pong' }).waitFor();
    } finally {
      await tab.context.close();
    }
  });
});

import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startBot, type BotHandle } from '../../src/game/bot/index.js';
import { createMatch, playScripted, type ScriptedGoal } from '../support/game.js';
import { ApiClient, registerUser, type TestUser } from '../support/http.js';
import { setTrophies } from '../support/play.js';
import { arrive, joinedMatch, openTab, runClock, signIn, userIdOf, useBrowserWorld, type Tab } from './support.js';

/**
 * The pictures of the site in docs/screenshots/ (shown in the README), made
 * from a seeded world: `npm run screenshots` writes them there; a plain test
 * run writes them under test-artifacts/ and checks that each page shows what
 * its picture is meant to show.
 */
const OUT = process.env.DOCS_SCREENSHOTS ?? fileURLToPath(new URL('../../test-artifacts/docs-screenshots', import.meta.url));
const DAY = 24 * 3600 * 1000;
const DESKTOP = { width: 1366, height: 800 };
const PHONE = { width: 390, height: 844 };

async function picture(page: Page, name: string): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: `${OUT}/${name}.png` });
}

describe('the screenshots of the documentation', { timeout: 240_000 }, () => {
  const world = useBrowserWorld();
  const internal = () => new ApiClient(world.server.internalUrl!);
  const play = (mode: string, a: TestUser[], b: TestUser[], goals: ScriptedGoal[]) => playScripted(internal(), mode, a, b, goals);
  const bots: BotHandle[] = [];

  /** A match of two people played by computer players on their behalf, live on the field. */
  async function liveMatch(mode: string, a: TestUser, b: TestUser): Promise<void> {
    await createMatch(internal(), mode, [a], [b]);
    for (const user of [a, b]) bots.push(startBot(world.server.publicUrl, user.access, { skill: 'hard', clock: world.server.clock, insecure: true }));
  }

  /** `tab` plays the computer from the home page; the clock stands still until the game is joined. */
  async function playTheComputer(tab: Tab, level: 'Easy' | 'Medium' | 'Hard', restart: () => () => void): Promise<() => void> {
    const page = tab.page;
    await page.getByRole('group', { name: 'Computer level' }).getByRole('button', { name: level }).click();
    await page.getByTestId('play-computer').click();
    await page.getByTestId('match-code').waitFor();
    await joinedMatch(world.server, await userIdOf(tab), 'custom_game');
    return restart();
  }

  it('home, a game in play on a desktop and a phone, an end screen and the profile charts', async () => {
    const clock = world.server.clock;
    // Three days of history, oldest first (the clock goes back two days, then forward a day at a time).
    clock.advance(-2 * DAY);
    const names = ['ada', 'grace', 'linus', 'alan', 'margaret', 'edsger', 'barbara', 'ken'];
    const [ada, grace, linus, alan, margaret, edsger, barbara, ken] = await Promise.all(names.map((name) => registerUser(world.api, name)));
    const x3 = (u: TestUser) => [u, u, u];
    await play('duel', [ada], [grace], [grace, ...x3(ada)]);
    await play('ranked', [ada], [linus], x3(ada));
    await play('custom_game', [ada], [alan], [ada, alan, ada, alan, alan]);
    clock.advance(DAY);
    await play('clash', [ada, ken, barbara], [grace, linus, alan], [grace, ada, linus, { own: alan }, ken]);
    await play('ranked', [ada], [margaret], [ada, ...x3(margaret)]);
    await play('duel', [edsger], [ada], x3(edsger));
    clock.advance(DAY);
    await play('ranked', [barbara], [ada], [barbara, ada, barbara, ada, ada]);
    await play('duel', [ada], [ken], [ada, ken, ada, ken, ada]);
    await play('ranked', [ada], [edsger], [ada, edsger, ada, ada]);
    const ladder: Array<[TestUser, number]> = [[grace, 2140], [linus, 1985], [margaret, 1870], [alan, 1760], [edsger, 1655], [barbara, 1540], [ken, 1320]];
    for (const [user, trophies] of ladder) await setTrophies(world.server, user.id, trophies);

    // Fresh tokens at the clock's present for everybody who plays from here on.
    const login = async (user: TestUser) => {
      const res = await world.api.post('/api/auth/login/', { username: user.username, password: user.password });
      expect(res.status).toBe(200);
      return { ...user, access: res.body.access as string, refresh: res.body.refresh as string };
    };
    const [adaNow, graceNow, linusNow, alanNow, margaretNow, kenNow] = await Promise.all([ada, grace, linus, alan, margaret, ken].map(login));

    let stopClock = runClock(clock, 1);
    const desktop = await openTab(world.browser, world.server, { viewport: DESKTOP });
    const phone = await openTab(world.browser, world.server, { viewport: PHONE, hasTouch: true });
    try {
      // Home: two matches being played, the ladder beside them.
      await liveMatch('duel', graceNow, linusNow);
      await liveMatch('ranked', alanNow, margaretNow);
      await signIn(desktop, adaNow);
      await arrive(desktop);
      const home = desktop.page;
      await expect.poll(() => home.getByRole('list', { name: 'Live matches' }).getByRole('listitem').count(), { timeout: 30_000 }).toBe(2);
      await home.getByTestId('ladder-me').waitFor();
      // The figures count ada, who is here (the feed sends them once a second at most).
      await expect.poll(() => home.locator('.activity-figures li').first().textContent(), { timeout: 30_000 }).toMatch(/^[1-9]\d* online$/);
      await picture(home, 'home');

      // A game against the computer, in play on the desktop (once a goal is in) and on a phone held upright.
      stopClock();
      stopClock = await playTheComputer(desktop, 'Medium', () => runClock(clock, 1));
      await home.waitForFunction(() => ['score-left', 'score-right'].some((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent !== '0'), undefined, { timeout: 90_000 });
      await home.waitForTimeout(1200);
      await picture(home, 'game-desktop');

      await signIn(phone, kenNow);
      await arrive(phone);
      stopClock();
      stopClock = await playTheComputer(phone, 'Easy', () => runClock(clock, 1));
      await phone.page.waitForTimeout(4500);
      await picture(phone.page, 'game-phone');

      // The end screen: ada parks her paddle against the top wall and plays on to the end (the clock runs faster).
      stopClock();
      stopClock = runClock(clock, 3);
      await home.keyboard.down('ArrowUp');
      await home.getByTestId('game-over').waitFor({ timeout: 180_000 });
      await home.waitForTimeout(600);
      await picture(home, 'end-screen');
      await expect(home.getByRole('dialog').textContent()).resolves.toMatch(/Computer \(medium\)/);

      // The profile's statistics: trophies, wins and losses over time, goals and win rate per mode.
      await arrive(desktop, '/profile');
      await home.getByRole('tab', { name: 'Statistics' }).click();
      for (const chart of ['trophies', 'wins-losses', 'goals', 'win-rate']) await home.locator(`figure[data-chart="${chart}"] canvas`).first().waitFor();
      await home.waitForTimeout(300);
      await picture(home, 'profile-charts');
      expect(desktop.errors).toEqual([]);
      expect(phone.errors).toEqual([]);
    } finally {
      stopClock();
      for (const bot of bots) bot.close();
      await desktop.context.close();
      await phone.context.close();
    }
  });
});

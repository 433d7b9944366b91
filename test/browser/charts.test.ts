import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { playScripted, type ScriptedGoal } from '../support/game.js';
import { ApiClient, registerUser, type TestUser } from '../support/http.js';
import { arrive, openTab, screenshot, signIn, useBrowserWorld } from './support.js';

const DAY = 24 * 3600 * 1000;

/** The rows of a chart's table (`figure[data-chart=name]`), cell texts, body only. */
async function tableRows(page: Page, name: string): Promise<string[][]> {
  return page.locator(`figure[data-chart="${name}"] table.pc-table`).evaluate((table: HTMLTableElement) =>
    Array.from(table.tBodies[0].rows).map((row) => Array.from(row.cells).map((cell) => (cell.textContent ?? '').trim())));
}

/**
 * Issue 18: the statistics tab draws trophies over time, wins and losses over time, goals for and
 * against per mode and win rate per mode with uPlot, each chart with a title and a table holding
 * the same numbers as the API.
 */
describe('profile statistics charts', { timeout: 180_000 }, () => {
  const world = useBrowserWorld();
  const internal = () => new ApiClient(world.server.internalUrl!);

  const play = (mode: string, a: TestUser[], b: TestUser[], goals: ScriptedGoal[]) => playScripted(internal(), mode, a, b, goals);

  it('a player who played duels, ranked, clash and custom games over three days sees four charts whose tables match the API', async () => {
    const clock = world.server.clock;
    // Three days of play, oldest first: the clock goes back two days (no timer fires going back), then forward a day at a time.
    clock.advance(-2 * DAY);
    const api = world.api;
    const [alice, bob, carol, dave, erin, frank, gina] = await Promise.all(Array.from({ length: 7 }, () => registerUser(api)));
    const x3 = (n: number, u: TestUser) => Array.from({ length: n }, () => u);

    // Day 1: a ranked lost 0–3 at 0 trophies (the total stays at 0), a duel won 3–1, a ranked won 3–0, a custom game lost 2–3.
    await play('ranked', [alice], [bob], x3(3, bob));
    await play('duel', [alice], [bob], [bob, ...x3(3, alice)]);
    await play('ranked', [alice], [bob], x3(3, alice));
    await play('custom_game', [alice], [bob], [alice, bob, alice, bob, bob]);
    clock.advance(DAY);
    // Day 2: a clash won 3–2 (one of them an own goal of the other side), a ranked lost 1–3, a duel lost 0–3.
    await play('clash', [alice, carol, dave], [erin, frank, gina], [erin, alice, frank, { own: gina }, carol]);
    await play('ranked', [alice], [bob], [alice, ...x3(3, bob)]);
    await play('duel', [bob], [alice], x3(3, bob));
    clock.advance(DAY);
    // Day 3 (today): a ranked won 3–2, a duel won 3–2, a clash lost 2–3.
    await play('ranked', [bob], [alice], [bob, alice, bob, alice, alice]);
    await play('duel', [alice], [bob], [alice, bob, alice, bob, alice]);
    await play('clash', [erin, frank, gina], [alice, carol, dave], [erin, dave, frank, alice, gina]);

    // Fresh tokens at the clock's present (the ones from registration were minted two days ago).
    const login = await api.post('/api/auth/login/', { username: alice.username, password: alice.password });
    expect(login.status).toBe(200);
    const token = login.body.access as string;
    const stats = (await api.get('/api/users/me/stats/', { token })).body as any[];
    const ranked = (await api.get('/api/users/me/stats/ranked/?limit=100', { token })).body.results as any[];
    const history = (await api.get(`/api/game/matches/${alice.id}/?limit=100`, { token })).body.results as any[];
    expect(history).toHaveLength(10);
    expect(ranked).toHaveLength(5);
    expect(ranked[1]).toMatchObject({ total_trophies: 0, trophies: expect.any(Number) });
    expect(ranked[1].trophies).toBeLessThan(0);
    expect(stats[0]).toMatchObject({ game_mode: 'global', game_played: 9, wins: 5 });

    const tab = await openTab(world.browser, world.server, { viewport: { width: 1366, height: 800 } });
    try {
      await signIn(tab, { access: login.body.access, refresh: login.body.refresh });
      await arrive(tab, '/profile');
      const page = tab.page;
      await page.getByRole('tab', { name: 'Statistics' }).click();
      const names = ['trophies', 'wins-losses', 'goals', 'win-rate'];
      for (const name of names) await page.locator(`figure[data-chart="${name}"] canvas`).first().waitFor();

      // Every chart: a text title naming it, a drawn canvas of non-zero size, a table for screen readers.
      const titles = await page.locator('figure[data-chart] h3').allTextContents();
      expect(titles).toEqual(['Trophies over time (ranked)', 'Wins and losses over time', 'Goals for and against per mode', 'Win rate per mode']);
      for (const name of names) {
        const figure = page.locator(`figure[data-chart="${name}"]`);
        const box = await figure.locator('canvas').first().boundingBox();
        expect(box!.width, name).toBeGreaterThan(200);
        expect(box!.height, name).toBeGreaterThan(100);
        await expect(figure.locator('.pc-plot').getAttribute('aria-hidden')).resolves.toBe('true');
        await expect(figure.locator('table.pc-table caption').textContent()).resolves.toBeTruthy();
        // The canvas really has something drawn on it (not a blank rectangle).
        const inked = await figure.locator('canvas').first().evaluate((canvas: HTMLCanvasElement) => {
          const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
          return painted;
        });
        expect(inked, name).toBeGreaterThan(500);
      }
      await screenshot(page, 'profile-statistics');
      await page.screenshot({ path: '/tmp/profile-charts.png' });
      await page.screenshot({ path: '/tmp/profile-charts-full.png', fullPage: true });

      // Trophies: one row per ranked entry, oldest first: the change to the total, and the total after it.
      // The loss at 0 trophies changed nothing (the entry's own change is the unfloored one).
      const trophyRows = await tableRows(page, 'trophies');
      expect(trophyRows.map((r) => r[2])).toEqual(ranked.map((e) => String(e.total_trophies)));
      const applied = (i: number) => ranked[i].total_trophies - ranked[i - 1].total_trophies;
      expect(trophyRows.map((r) => r[1])).toEqual(ranked.map((e, i) => (i === 0 ? 'start' : applied(i) > 0 ? `+${applied(i)}` : String(applied(i)))));
      expect(trophyRows[1][1]).toBe('0');
      expect(ranked.at(-1).total_trophies).toBeGreaterThan(0);

      // Wins and losses per day (the browser's days), from the history.
      const sideOf = (m: any) => (m.teams.a.players.some((p: any) => p.id === alice.id) ? 'a' : 'b');
      const perDay = await page.evaluate((matches: Array<{ at: string; won: boolean }>) => {
        const two = (n: number) => String(n).padStart(2, '0');
        const days = new Map<string, [number, number]>();
        for (const m of matches) {
          const d = new Date(m.at);
          const key = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
          const row = days.get(key) ?? [0, 0];
          row[m.won ? 0 : 1] += 1;
          days.set(key, row);
        }
        return [...days.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([day, [w, l]]) => [day, String(w), String(l)]);
      }, history.map((m) => ({ at: m.created_at, won: m.winner === sideOf(m) })));
      expect(perDay).toHaveLength(3);
      expect(await tableRows(page, 'wins-losses')).toEqual(perDay);

      // Goals for and against per mode, from the history's team scores.
      const modeNames: Record<string, string> = { clash: 'Clash', duel: 'Duel', ranked: 'Ranked', tournament: 'Tournament', custom_game: 'Custom' };
      const goals = new Map<string, number[]>();
      for (const m of history) {
        const mine = sideOf(m);
        const row = goals.get(m.game_mode) ?? [0, 0, 0];
        row[0] += 1;
        row[1] += m.teams[mine].score;
        row[2] += m.teams[mine === 'a' ? 'b' : 'a'].score;
        goals.set(m.game_mode, row);
      }
      const goalRows = await tableRows(page, 'goals');
      expect(goalRows).toEqual(['clash', 'duel', 'ranked', 'custom_game'].map((mode) => [modeNames[mode], ...goals.get(mode)!.map(String)]));
      expect(goalRows).toContainEqual(['Duel', '3', '6', '6']);

      // Win rate per mode, from the statistics rows.
      const rateRows = await tableRows(page, 'win-rate');
      expect(rateRows).toEqual(stats.map((row) => [
        row.game_mode === 'global' ? 'All modes' : modeNames[row.game_mode],
        String(row.game_played), String(row.wins), String(row.game_played - row.wins),
        row.game_played ? `${Math.round((row.wins / row.game_played) * 1000) / 10}%` : 'no match',
      ]));
      expect(rateRows[0]).toEqual(['All modes', '9', '5', '4', '55.6%']);

      // The all-time figures.
      const figure = (label: string) => page.locator('.pc-figure').filter({ has: page.getByText(label, { exact: true }) }).locator('dd').textContent();
      await expect(figure('Matches played')).resolves.toBe('9');
      await expect(figure('Best streak')).resolves.toBe(String(stats[0].longest_win_streak));

      // "Show as table" swaps the chart for its table, visibly, and back.
      const goalsFigure = page.locator('figure[data-chart="goals"]');
      // Before: the table is there for screen readers only (visually hidden: a 1-pixel clip).
      const tableBox = goalsFigure.locator('div:has(> table.pc-table)');
      await expect(tableBox.getAttribute('class')).resolves.toBe('visually-hidden');
      expect((await tableBox.boundingBox())?.width ?? 0).toBeLessThanOrEqual(1);
      await goalsFigure.getByRole('button', { name: 'Show as table' }).click();
      await goalsFigure.getByRole('table', { name: 'Goals for and against per mode' }).waitFor({ state: 'visible' });
      expect((await goalsFigure.locator('table.pc-table').boundingBox())!.width).toBeGreaterThan(200);
      await expect(goalsFigure.locator('canvas').isVisible()).resolves.toBe(false);
      await screenshot(page, 'profile-statistics-table');
      await page.screenshot({ path: '/tmp/profile-charts-table.png' });
      await goalsFigure.getByRole('button', { name: 'Show as chart' }).click();
      await goalsFigure.locator('canvas').first().waitFor({ state: 'visible' });
      await expect.poll(async () => (await goalsFigure.locator('canvas').first().boundingBox())?.width ?? 0).toBeGreaterThan(200);

      // On a phone the charts stack in one column and still fit the screen.
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(async () => (await goalsFigure.locator('canvas').first().boundingBox())?.width ?? 999).toBeLessThan(390);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: '/tmp/profile-charts-phone.png', fullPage: true });
      await page.setViewportSize({ width: 1366, height: 800 });

      // The ranked tab draws the same library's chart, with its table.
      await page.getByRole('tab', { name: 'Ranked' }).click();
      await page.getByRole('button', { name: 'Last week' }).click();
      const rankedFigure = page.locator('figure[data-chart="ranked"]');
      await rankedFigure.locator('canvas').first().waitFor();
      expect((await rankedFigure.locator('canvas').first().boundingBox())!.width).toBeGreaterThan(200);
      await expect(rankedFigure.locator('h3').textContent()).resolves.toBe('Trophies over the last week');
      expect((await tableRows(page, 'ranked')).at(-1)![1]).toBe(String(ranked.at(-1).total_trophies));
      await page.screenshot({ path: '/tmp/profile-ranked.png' });

      expect(tab.errors).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });
});

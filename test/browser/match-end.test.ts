import { describe, expect, it } from 'vitest';
import { registerUser, ApiClient, type TestUser } from '../support/http.js';
import { runClock, screenshot, type Tab, useBrowserWorld, signedInTab } from './support.js';

/**
 * A duel where one player closes his tab at 1–1, as two people in two
 * browser contexts see it: the other is told at once who left and how long
 * he has to come back, the ball stands still, and then either the match is
 * won by forfeit (with names and the score that stood) or, when he comes
 * back, it resumes with the normal countdown and is played to its end.
 */
describe('a player who drops out of a duel', { timeout: 150_000 }, () => {
  const world = useBrowserWorld();
  const internal = () => new ApiClient(world.server.internalUrl!);

  const tabFor = (user: TestUser, path = '/') => signedInTab(world, user, path);

  /** Both search a duel from the home page and land in the same match; answers it as the server sees it. */
  async function duel(a: Tab, b: Tab, alice: TestUser) {
    await a.page.getByTestId('play').click();
    await a.page.getByText('Waiting for an opponent…').waitFor();
    await b.page.getByTestId('play').click();
    await Promise.all([a.page.getByTestId('match-code').waitFor(), b.page.getByTestId('match-code').waitFor()]);
    const match = await internal().get(`/api/private/match/${alice.id}/`);
    expect(match.status).toBe(200);
    return match.body as { id: number; teams: { a: { players: Array<{ id: number }> } } };
  }

  /** 1–1 on the scoreboard: one goal each, recorded by the server as if played. */
  async function oneAll(a: Tab, alice: TestUser, bob: TestUser) {
    for (const scorer of [alice, bob]) {
      const goal = await internal().put(`/api/private/match/score/${scorer.id}/`, {});
      expect(goal.status, goal.text).toBe(200);
    }
    await a.page.getByTestId('score-left').filter({ hasText: '1' }).waitFor();
    await a.page.getByTestId('score-right').filter({ hasText: '1' }).waitFor();
  }

  async function canvasShot(tab: Tab): Promise<Buffer> {
    return tab.page.locator('canvas').screenshot();
  }

  /** Waits until two pictures of the canvas 250 ms apart are the same; fails if that does not happen within `ms`. */
  async function settledCanvas(tab: Tab, ms: number): Promise<void> {
    const until = Date.now() + ms;
    let previous = await canvasShot(tab);
    while (Date.now() < until) {
      await tab.page.waitForTimeout(250);
      const next = await canvasShot(tab);
      if (next.equals(previous)) return;
      previous = next;
    }
    throw new Error(`the canvas was still changing ${ms} ms after the pause began`);
  }

  it('the one who stays sees who left, a countdown and a still ball, then "Victory — bob left the game"; the history agrees', async () => {
    const alice = await registerUser(world.api);
    const bob = await registerUser(world.api);
    const stopClock = runClock(world.server.clock, 1);
    const a = await tabFor(alice);
    const b = await tabFor(bob);
    try {
      await duel(a, b, alice);
      await oneAll(a, alice, bob);
      await a.page.waitForTimeout(2500); // the countdown of the next point is over: the ball is moving

      const closedAt = Date.now();
      await b.page.close();
      const banner = a.page.getByTestId('pause-banner');
      await banner.getByText(`${bob.username} left the game`).waitFor({ timeout: 3000 });
      expect(Date.now() - closedAt).toBeLessThan(1000 + 500); // told within a second (plus the test's own polling)
      // The score that stood when he left (a point may have been played since 1–1): frozen now.
      const stood = `${await a.page.getByTestId('score-right').textContent()}–${await a.page.getByTestId('score-left').textContent()}`;
      await expect(banner.textContent()).resolves.toMatch(/\d+ s to come back/);
      // The ball stands still while the seat is empty (and nobody moves a paddle). The effects of the
      // last moments (a hit's streak, a goal's flash: under 700 ms) fade first, then nothing moves.
      await settledCanvas(a, 3000);
      const first = await canvasShot(a);
      await a.page.waitForTimeout(600);
      expect((await canvasShot(a)).equals(first)).toBe(true);
      await screenshot(a.page, 'duel-opponent-left');

      await a.page.getByTestId('game-over').waitFor({ timeout: 15_000 });
      const dialog = a.page.getByRole('dialog');
      await expect(dialog.getByRole('heading').first().textContent()).resolves.toBe(`Victory — ${bob.username} left the game`);
      const text = (await a.page.getByTestId('game-over').textContent())!;
      expect(text).toContain('3 – 0');
      expect(text).toContain(`It was ${stood} when ${bob.username} left.`);
      expect(text).not.toMatch(/player-disconnect|Team [AB]/);
      await screenshot(a.page, 'duel-victory-by-forfeit');

      // Bob opens the site again: he is shown the defeat, as recorded.
      const again = await b.context.newPage();
      await again.goto('/');
      await again.getByTestId('game-over').waitFor({ timeout: 10_000 });
      await expect(again.getByRole('dialog').getByRole('heading').first().textContent()).resolves.toBe('Defeat — you left the game');
      await expect(again.getByTestId('game-over').textContent()).resolves.toContain('0 – 3');
      // Named once, as "You" (read back after the game, the names come from the match, not the socket).
      await expect(again.getByTestId('final-score').textContent()).resolves.toBe(`You 0 – 3 ${alice.username}`);

      // The match history tells the same story.
      await a.page.goto('/profile');
      await a.page.getByRole('tab', { name: /history/i }).click();
      const row = a.page.getByRole('list', { name: 'Match history' }).getByRole('button').first();
      await row.waitFor();
      await expect(row.getByTestId('history-score').textContent()).resolves.toBe('3 – 0');
      await expect(row.textContent()).resolves.toContain(`${bob.username} left the game at ${stood}`);
      expect(a.errors).toEqual([]);
    } finally {
      stopClock();
      await a.context.close();
      await b.context.close();
    }
  });

  it('a ranked duel ends with the trophy change on both end screens', async () => {
    const alice = await registerUser(world.api);
    const bob = await registerUser(world.api);
    const stopClock = runClock(world.server.clock, 1);
    const a = await tabFor(alice);
    const b = await tabFor(bob);
    try {
      for (const tab of [a, b]) {
        await tab.page.getByRole('radio', { name: /^Ranked/ }).check();
        await tab.page.getByTestId('play').click();
      }
      await Promise.all([a.page.getByTestId('match-code').waitFor(), b.page.getByTestId('match-code').waitFor()]);
      for (let goal = 0; goal < 3; goal++) expect((await internal().put(`/api/private/match/score/${alice.id}/`, {})).status).toBe(200);
      await Promise.all([a.page.getByTestId('afterword').waitFor(), b.page.getByTestId('afterword').waitFor()]);
      const recorded = (await world.api.get(`/api/game/matches/${alice.id}/`, { token: alice.access })).body.results[0];
      const change = (id: number) => [...recorded.teams.a.players, ...recorded.teams.b.players].find((p: any) => p.id === id).trophies;
      const total = async (user: TestUser) => (await world.api.get('/api/users/me/', { token: user.access })).body.trophies as number;
      expect(change(alice.id)).toBeGreaterThan(0);
      const trophies = (n: number) => `${Math.abs(n)} ${Math.abs(n) === 1 ? 'trophy' : 'trophies'}`;
      await expect(a.page.getByTestId('afterword').textContent()).resolves.toBe(`+${trophies(change(alice.id))}, ${(await total(alice)).toLocaleString('en-US')} now.`);
      // Bob had no trophies: the match records his loss (negative), but a total never goes below 0: he lost none.
      expect(change(bob.id)).toBeLessThan(0);
      expect(await total(bob)).toBe(0);
      await expect(b.page.getByTestId('afterword').textContent()).resolves.toBe('No trophies won or lost, 0 now.');
      await expect(b.page.getByTestId('game-over').textContent()).resolves.toContain(`${alice.username} won 3–0.`);
      await screenshot(a.page, 'ranked-over');
    } finally {
      stopClock();
      await a.context.close();
      await b.context.close();
    }
  });

  it('the one who left comes back after 5 s: the pause ends, the countdown runs and the match is played to its end', async () => {
    const alice = await registerUser(world.api);
    const bob = await registerUser(world.api);
    let stopClock = runClock(world.server.clock, 1);
    const a = await tabFor(alice);
    const b = await tabFor(bob);
    try {
      await duel(a, b, alice);
      await oneAll(a, alice, bob);
      await a.page.waitForTimeout(2500);

      await b.page.close();
      await a.page.getByTestId('pause-banner').getByText(`${bob.username} left the game`).waitFor({ timeout: 3000 });
      // A point may have been played since 1–1 (the ball moved for 2.5 s): the score that stood is the one to find again.
      const stood = [await a.page.getByTestId('score-left').textContent(), await a.page.getByTestId('score-right').textContent()];
      await a.page.waitForTimeout(4000);
      // The clock stands still while he comes back and the score is read: on a busy machine the countdown
      // could otherwise end, and a goal follow, before the page is read.
      stopClock();
      // Five seconds after he left, he opens the site again and is taken back into his game.
      const back = await b.context.newPage();
      await back.goto('/');
      await back.waitForURL('**/game/duel');
      await back.getByTestId('match-code').waitFor();
      await a.page.getByTestId('pause-banner').waitFor({ state: 'detached', timeout: 5000 });
      // Bob sees the board from his own side: left and right are swapped for him.
      await expect(back.getByTestId('score-left').textContent()).resolves.toBe(stood[1]);
      await expect(back.getByTestId('score-right').textContent()).resolves.toBe(stood[0]);
      stopClock = runClock(world.server.clock, 1);
      // The ball moves again after the countdown.
      await a.page.waitForTimeout(2500);
      // (A goal in between brings a new countdown: look for movement over a few seconds, not in one glance.)
      let moved = false;
      for (let look = 0; look < 20 && !moved; look++) {
        const first = await canvasShot(a);
        await a.page.waitForTimeout(250);
        moved = !(await canvasShot(a)).equals(first);
      }
      expect(moved).toBe(true);

      // Paddles parked at opposite walls: the match ends normally.
      await a.page.keyboard.down('ArrowUp');
      await back.keyboard.down('ArrowDown');
      await Promise.all([a.page.getByTestId('game-over').waitFor({ timeout: 90_000 }), back.getByTestId('game-over').waitFor({ timeout: 90_000 })]);
      const titles = [await a.page.getByRole('dialog').getByRole('heading').first().textContent(), await back.getByRole('dialog').getByRole('heading').first().textContent()];
      expect(titles.sort()).toEqual(['Defeat', 'Victory!']);
      const recorded = (await world.api.get(`/api/game/matches/${alice.id}/`, { token: alice.access })).body.results[0];
      expect(recorded.finish_reason).toBe('normal-end');
      expect(a.errors).toEqual([]);
    } finally {
      stopClock();
      await a.context.close();
      await b.context.close();
    }
  });
});

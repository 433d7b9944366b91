import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { registerUser, type TestUser } from '../support/http.js';
import { player, setTrophies, type Player } from '../support/play.js';
import { Arena, join, uniqueTournamentName } from '../tournament/helpers.js';
import { arrive, openTab, runClock, screenshot, signIn, type Tab, useBrowserWorld } from './support.js';

/**
 * A 4-player tournament: two people in two browser contexts and two bots
 * (src/game/bot over the real game socket). Trophies make the people seeds 1
 * and 4 and the bots seeds 2 and 3, so the people meet in one semi-final
 * (played with the keyboard) while the bots play the other; the better bot
 * (`hard`) then wins the final against the person who won.
 */
describe('tournament in the browser', { timeout: 150_000 }, () => {
  const world = useBrowserWorld();

  async function person(trophies: number): Promise<{ user: TestUser; tab: Tab }> {
    const user = await registerUser(world.api);
    await setTrophies(world.server, user.id, trophies);
    const tab = await openTab(world.browser, world.server);
    await signIn(tab, user);
    await arrive(tab);
    return { user, tab };
  }

  const card = (page: Page, title: string) => page.getByTestId('bracket').locator('.bracket-column').filter({ has: page.getByRole('heading', { name: title, exact: true }) }).locator('.bracket-card');

  it('two people and two bots play it to the end, the bracket updating live', async () => {
    const alice = await person(1000);
    const bob = await person(700);
    const bots: Player[] = [await player(world.server, world.api, { trophies: 900 }), await player(world.server, world.api, { trophies: 800 })];
    const [strong] = bots;
    // The strong bot wins every game it plays; the other one never moves.
    const arena = new Arena(world.server, () => strong.id);
    // Real time until the first round is launched (3 s after the start, time to look at the bracket), then ×3.
    let stopClock = runClock(world.server.clock, 1);
    const poller = setInterval(() => arena.poll(bots), 20);
    const a = alice.tab.page;
    const b = bob.tab.page;
    try {
      // Alice creates a 4-player tournament from the home page.
      await a.getByRole('radio', { name: /^Tournament/ }).check();
      await a.getByTestId('play').click();
      await a.waitForURL('**/tournament');
      const name = uniqueTournamentName('Browser Cup');
      await a.getByLabel('Find or create a tournament').fill(name);
      await a.getByRole('button', { name: 'Join or create' }).click();
      const dialog = a.getByRole('dialog');
      await expect(dialog.getByLabel('Name').inputValue()).resolves.toBe(name);
      await dialog.getByRole('radio', { name: '4' }).check();
      await dialog.getByRole('button', { name: 'Create' }).click();
      await a.getByTestId('tournament-code').waitFor();
      const code = (await a.getByTestId('tournament-code').textContent())!;
      expect(code).toMatch(/^\d{4}$/);
      expect(a.url()).toContain(`/tournament/${code}`);

      // Bob finds it by its name in the search list and joins it; the waiting rooms update live.
      await b.goto('/tournament');
      await b.getByLabel('Find or create a tournament').fill(name);
      await b.getByRole('button', { name: new RegExp(`^${name} \\(1/4\\)`) }).click();
      await b.getByTestId('tournament-code').waitFor();
      await a.getByTestId(`participant-${bob.user.username}`).waitFor();
      await b.getByTestId(`participant-${alice.user.username}`).waitFor();
      await screenshot(a, 'tournament-waiting-room');

      // The bots join through the API: the fourth join starts the tournament.
      await join(world.api, bots[0], code);
      await a.getByTestId(`participant-${bots[0].username}`).waitFor();
      await join(world.api, bots[1], code);
      await Promise.all([a.getByTestId('bracket').waitFor(), b.getByTestId('bracket').waitFor()]);
      const semis = card(b, 'Semi-final');
      await expect(semis.count()).resolves.toBe(2);
      await card(b, 'Final').first().getByText('to be defined').first().waitFor();
      await screenshot(b, 'tournament-bracket-start');
      stopClock();
      stopClock = runClock(world.server.clock, 3);

      // Seeds 1 and 4 meet: both people are taken to their game and play it with the keyboard.
      await Promise.all([a.waitForURL('**/game/tournament'), b.waitForURL('**/game/tournament')]);
      await Promise.all([a.getByTestId('match-code').waitFor(), b.getByTestId('match-code').waitFor()]);
      await a.keyboard.down('ArrowUp');
      await b.keyboard.down('ArrowDown');
      await Promise.all([a.getByTestId('game-over').waitFor({ timeout: 90_000 }), b.getByTestId('game-over').waitFor({ timeout: 90_000 })]);
      await a.keyboard.up('ArrowUp');
      await b.keyboard.up('ArrowDown');
      const aliceWon = (await a.getByRole('dialog').getByRole('heading').first().textContent()) === 'Victory!';
      const [winner, loser] = aliceWon ? [alice, bob] : [bob, alice];
      expect(await loser.tab.page.getByRole('dialog').getByRole('heading').first().textContent()).toBe('Defeat');

      // The loser is back on the bracket, which fills in live: both finalists, the semi-final scores.
      const l = loser.tab.page;
      await l.waitForURL(`**/tournament/${code}`);
      const final = card(l, 'Final');
      await final.getByText(winner.user.username).waitFor({ timeout: 60_000 });
      await final.getByText(strong.username).waitFor({ timeout: 60_000 });
      const peopleSemi = card(l, 'Semi-final').filter({ hasText: winner.user.username });
      await expect(peopleSemi.locator('.bracket-slot.winner').textContent()).resolves.toContain(`${winner.user.username}3`);
      const botSemi = card(l, 'Semi-final').filter({ hasText: strong.username });
      await expect(botSemi.locator('.bracket-slot.winner').textContent()).resolves.toContain(`${strong.username}3`);
      // A finished match of the running tournament links to its replay (the bracket's match_id).
      await expect(peopleSemi.getByRole('link', { name: /^Replay/ }).getAttribute('href')).resolves.toMatch(/^\/replay\/\d+$/);

      // Eliminated, the loser may spectate the final from the bracket.
      await final.getByRole('button', { name: 'Spectate' }).waitFor({ timeout: 30_000 });
      await screenshot(l, 'tournament-bracket-final');
      await final.getByRole('button', { name: 'Spectate' }).click();
      await l.waitForURL('**/spectate/*');
      await l.getByText('Spectating').waitFor();

      // The winner plays the final (parked at the wall, the strong bot wins it); everybody lands home with a toast.
      const w = winner.tab.page;
      await w.getByTestId('match-code').waitFor({ timeout: 30_000 });
      await w.keyboard.down('ArrowUp');
      await Promise.all([
        w.getByTestId('toast').filter({ hasText: /tournament finished/i }).waitFor({ timeout: 90_000 }),
        l.getByTestId('toast').filter({ hasText: /tournament finished/i }).waitFor({ timeout: 90_000 }),
      ]);
      await Promise.all([w.waitForURL((url) => url.pathname === '/'), l.waitForURL((url) => url.pathname === '/')]);
      await expect(world.api.get('/api/play/tournament/', { token: alice.user.access }).then((r) => r.status)).resolves.toBe(404);
      expect([...alice.tab.errors, ...bob.tab.errors]).toEqual([]);
    } finally {
      clearInterval(poller);
      stopClock();
      arena.closeAll();
      for (const bot of bots) bot.stream.close();
      await alice.tab.context.close();
      await bob.tab.context.close();
    }
  });
});

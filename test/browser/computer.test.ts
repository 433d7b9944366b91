import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ApiClient, registerUser } from '../support/http.js';
import { setTrophies } from '../support/play.js';
import { uniqueTournamentName } from '../tournament/helpers.js';
import { arrive, joinedMatch, openTab, runClock, screenshot, signedInTab, signIn, userIdOf, usernameOf, useBrowserWorld } from './support.js';

/**
 * Notes, in the page itself, when each text first shows (ms, page time):
 * a slow test runner notices later, the page does not. Call before the texts
 * can show; the answer reads the times noted.
 */
async function noteFirstSight<K extends string>(page: Page, texts: Record<K, string>): Promise<() => Promise<Record<K, number>>> {
  await page.evaluate((wanted) => {
    const seen: Record<string, number> = {};
    (window as any).__firstSight = seen;
    const look = () => {
      const text = document.body.textContent ?? '';
      for (const [key, value] of Object.entries(wanted)) if (!(key in seen) && text.includes(value)) seen[key] = performance.now();
      if (Object.keys(seen).length === Object.keys(wanted).length) observer.disconnect();
    };
    const observer = new MutationObserver(look);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    look();
  }, texts as Record<string, string>);
  return async () => {
    const seen = (await page.evaluate(() => (window as any).__firstSight)) as Record<K, number>;
    for (const key of Object.keys(texts)) expect(seen, `"${texts[key as K]}" was never seen`).toHaveProperty(key);
    return seen;
  };
}

/** The end screen's title and text. */
async function endScreen(page: Page): Promise<{ title: string; text: string }> {
  const over = page.getByTestId('game-over');
  await over.waitFor({ timeout: 120_000 });
  const title = (await page.getByRole('dialog').getByRole('heading').first().textContent()) ?? '';
  return { title, text: (await over.textContent()) ?? '' };
}

/*
 * The server's clock is the tests' to drive: it stands still while a new match is being joined and while a test
 * scores through the private API, so that neither the 5 s (of clock) a new match gives its players to connect nor
 * a goal in play depends on how loaded the machine is.
 */
describe('playing the computer in the browser', { timeout: 240_000 }, () => {
  const world = useBrowserWorld();
  const internal = () => new ApiClient(world.server.internalUrl!);

  /** The user's live match of this mode, once it exists. */
  async function liveMatch(userId: number, gameMode: string): Promise<{ id: number; code: string; game_mode: string; teams: any }> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = await internal().get(`/api/private/match/${userId}/`);
      if (found.status === 200 && found.body.game_mode === gameMode) return found.body;
      if (Date.now() > deadline) throw new Error(`user ${userId} has no live ${gameMode} after 30 s (${found.status} ${JSON.stringify(found.body)})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('a person alone plays the computer from the home page in one click, to the end, and reads who beat whom', async () => {
    // The clock stands still until the game is joined (its players have 5 s of clock to connect, which a loaded machine may not give at ×3), then runs ×3.
    let stopClock = () => {};
    const tab = await openTab(world.browser, world.server);
    try {
      await arrive(tab);
      const page = tab.page;
      await page.getByRole('heading', { name: 'Play the computer' }).waitFor();
      // Medium is preselected: one click starts it.
      await expect(page.getByRole('group', { name: 'Computer level' }).getByRole('button', { name: 'Medium' }).getAttribute('aria-pressed')).resolves.toBe('true');
      await screenshot(page, 'computer-home');
      await page.getByTestId('play-computer').click();
      await page.waitForURL('**/game/computer');
      await page.getByTestId('match-code').waitFor();
      // The computer is named by its level on the score bar.
      await page.getByTestId('names-left').getByText('Computer (medium)').waitFor();
      await joinedMatch(world.server, await userIdOf(tab), 'custom_game');

      // Somebody else watches it by its code (a custom game: not in his list of live matches) and reads the
      // computer's level, not its account's name. The live board is refreshed on the clock: moved on a quarter
      // second at a time until the game is on it.
      const code = (await page.getByTestId('match-code').textContent())!;
      const fan = await registerUser(world.api);
      let found = 0;
      for (let step = 0; found === 0 && step < 40; step++) {
        if (step > 0) world.server.clock.advance(250);
        found = (await world.api.get(`/api/game/live/?code=${code}`, { token: fan.access })).body.count;
      }
      expect(found).toBe(1);
      const watcher = await signedInTab(world, fan, `/spectate/${code}`);
      try {
        const bar = watcher.page.getByTestId('score-bar');
        await bar.getByText('Computer (medium)').waitFor();
        await expect(bar.textContent()).resolves.not.toMatch(/Bot\d{6}/);
        await screenshot(watcher.page, 'computer-watched-by-code');
      } finally {
        await watcher.context.close();
      }
      stopClock = runClock(world.server.clock, 3);

      // The person parks his paddle against the top wall: the computer should win.
      await page.keyboard.down('ArrowUp');
      // Pictured once the first goal is in: a game under way.
      await page.waitForFunction(() => ['score-left', 'score-right'].some((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent !== '0'), undefined, { timeout: 60_000 });
      await screenshot(page, 'computer-playing');
      const { title, text } = await endScreen(page);
      await screenshot(page, 'computer-over');
      // He loses as a rule; but the computer plays in the server's process, and on a loaded machine it may miss the
      // ball more often than he does. Either way the end screen says who beat whom, the computer named by its level.
      if (title === 'Defeat') expect(text).toMatch(/Computer \(medium\) won 3–[0-2]\./);
      else expect({ title, text }).toMatchObject({ title: 'Victory!', text: expect.stringMatching(/You won 3–[0-2] against Computer \(medium\)\./) });
      expect(text).not.toMatch(/Bot\d{6}/);
      await page.getByRole('dialog').getByRole('button', { name: 'Play again' }).waitFor();
      expect(page.url()).toContain('/game/computer');

      // Recorded as a custom game in the history.
      await page.getByRole('dialog').getByRole('button', { name: 'Quit' }).click();
      await page.getByRole('heading', { name: 'Play Pong' }).waitFor();
      expect(tab.errors).toEqual([]);
    } finally {
      stopClock();
      await tab.context.close();
    }
  });

  it('leaving a game against the computer on purpose: the site does not take him back to it, and it is lost 10 s later', async () => {
    const tab = await openTab(world.browser, world.server);
    try {
      await arrive(tab);
      const page = tab.page;
      await page.getByTestId('play-computer').click();
      await page.waitForURL('**/game/computer');
      await page.getByTestId('match-code').waitFor();
      // The clock stands still: the game waits in its countdown while he decides.
      const matchId = await joinedMatch(world.server, await userIdOf(tab), 'custom_game');
      await page.getByRole('link', { name: 'Pong home' }).click();
      const dialog = page.getByRole('dialog', { name: 'Leave the game?' });
      await dialog.getByText('Leaving now abandons the current game: 10 seconds after you leave, it is lost.').waitFor();
      await dialog.getByRole('button', { name: 'Leave' }).click();
      await page.getByRole('heading', { name: 'Play Pong' }).waitFor();
      // He opens the site again within the 10 s: he stays on the home page (a tab closed by mistake would be taken back).
      await page.goto('/');
      await page.getByRole('heading', { name: 'Play Pong' }).waitFor();
      await page.waitForTimeout(1500);
      expect(new URL(page.url()).pathname).toBe('/');
      world.server.clock.advance(10_500);
      const finished = async () => (await world.server.platform.db.selectFrom('matches').select(['finished', 'finish_reason']).where('id', '=', matchId).executeTakeFirstOrThrow());
      for (let wait = 0; (await finished()).finished !== 1 && wait < 100; wait++) await page.waitForTimeout(50);
      await expect(finished()).resolves.toEqual({ finished: 1, finish_reason: 'player-disconnect' });
      expect(tab.errors).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });

  it('a duel search alone for 15 s offers the computer; the person plays it until somebody comes, then gets the duel', async () => {
    let stopClock = runClock(world.server.clock, 1);
    const alice = await openTab(world.browser, world.server);
    const bob = await openTab(world.browser, world.server);
    try {
      await Promise.all([arrive(alice), arrive(bob)]);
      const a = alice.page;
      const seen = await noteFirstSight(a, { searching: 'Waiting for an opponent…', offer: 'Nobody is around — play the computer while you wait?' });
      await a.getByTestId('play').click();
      await a.getByText('Waiting for an opponent…').waitFor();
      const offer = a.getByTestId('computer-offer');
      await offer.getByText('Nobody is around — play the computer while you wait?').waitFor({ timeout: 30_000 });
      // Offered after 15 s of searching, not before (as the page saw it, whatever the test runner's delays).
      const sight = await seen();
      expect(sight.offer - sight.searching).toBeGreaterThanOrEqual(14_500);
      await screenshot(a, 'duel-offer');
      const aliceId = await userIdOf(alice);
      await offer.getByRole('button', { name: 'Easy' }).click();
      // The clock stands still while the game is joined (its players have 5 s of clock to connect, however loaded the machine).
      stopClock();
      await offer.getByRole('button', { name: 'Play the computer' }).click();
      await a.getByTestId('still-searching').waitFor();
      await a.getByTestId('names-left').getByText('Computer (easy)').waitFor();
      await joinedMatch(world.server, aliceId, 'custom_game');
      stopClock = runClock(world.server.clock, 1);
      // Still on the duel page: the search goes on.
      expect(new URL(a.url()).pathname).toBe('/game/duel');
      await screenshot(a, 'duel-computer-playing');

      // Bob looks for a duel: the computer gives its game up, and both play the duel.
      const nameB = await usernameOf(bob);
      await bob.page.getByTestId('play').click();
      // The matchmaker (on the clock) pairs them; from then on the clock stands still: the duel's players take the time
      // they need to join, and no goal comes in play before alice's three below.
      const duel = await liveMatch(aliceId, 'duel');
      stopClock();
      await bob.page.getByTestId('match-code').waitFor();
      await a.getByTestId('names-left').getByText(nameB).waitFor({ timeout: 20_000 });
      const code = await bob.page.getByTestId('match-code').textContent();
      await expect(a.getByTestId('match-code').textContent()).resolves.toBe(code);
      await screenshot(a, 'duel-found');
      expect(new URL(a.url()).pathname).toBe('/game/duel');

      // The duel ends quickly (three goals for alice through the private API); the computer game is recorded as the computer leaving.
      expect(duel.code).toBe(code);
      for (let goal = 0; goal < 3; goal++) expect((await internal().put(`/api/private/match/score/${aliceId}/`, {})).status).toBe(200);
      const { title } = await endScreen(a);
      expect(title).toBe('Victory!');
      await screenshot(a, 'duel-after-computer-over');
      const history = (await world.api.get(`/api/game/matches/${aliceId}/`, { token: JSON.parse((await a.evaluate(() => localStorage.getItem('pong.tokens')))!).access })).body;
      const practice = history.results.find((m: any) => m.game_mode === 'custom_game');
      expect(practice).toMatchObject({ finished: true, finish_reason: 'player-disconnect', winner: 'a' });
      expect(practice.forfeited_by).toBe(practice.teams.b.players[0].id);
      expect([...alice.errors, ...bob.errors]).toEqual([]);
    } finally {
      stopClock();
      await alice.context.close();
      await bob.context.close();
    }
  });

  it('a tournament of one person and three computer players is played to the end in the browser', async () => {
    const user = await registerUser(world.api);
    await setTrophies(world.server, user.id, 5000);
    const tab = await openTab(world.browser, world.server);
    await signIn(tab, user);
    await arrive(tab);
    const page = tab.page;
    let stopClock = runClock(world.server.clock, 1);
    try {
      await page.getByRole('radio', { name: /^Tournament/ }).check();
      await page.getByTestId('play').click();
      await page.waitForURL('**/tournament');
      await page.getByLabel('Find or create a tournament').fill(uniqueTournamentName('Solo Cup'));
      await page.getByRole('button', { name: 'Join or create' }).click();
      await page.getByRole('dialog').getByRole('radio', { name: '4' }).check();
      await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
      await page.getByTestId('tournament-code').waitFor();

      // The creator fills the three empty seats with computer players, takes one back, adds it again.
      const seats = page.getByTestId('add-computer');
      await seats.getByRole('button', { name: 'Easy' }).click();
      await seats.getByRole('button', { name: 'Add a computer player' }).click();
      await page.getByText('2 / 4 players').waitFor();
      await page.getByRole('button', { name: /^Remove / }).click();
      await page.getByText('1 / 4 players').waitFor();
      await seats.getByRole('button', { name: 'Add a computer player' }).click();
      await seats.getByRole('button', { name: 'Add a computer player' }).click();
      await page.getByText('3 / 4 players').waitFor();
      await expect(page.getByRole('list', { name: 'Participants' }).getByText('Computer (easy)').count()).resolves.toBe(2);
      // The chat tells who joined, computer players by level too.
      await page.getByTestId('game-chat').getByText('Computer (easy) has joined the tournament.').first().waitFor();
      await expect(page.getByTestId('game-chat').textContent()).resolves.not.toMatch(/Bot\d{6}/);
      await screenshot(page, 'tournament-computer-seats');
      await seats.getByRole('button', { name: 'Add a computer player' }).click();

      // Full: it starts, and 3 s later the person is taken to his semi-final against a computer player.
      await page.waitForURL('**/game/tournament', { timeout: 20_000 });
      await page.getByTestId('match-code').waitFor();
      const semiCode = await page.getByTestId('match-code').textContent();
      // He wins it at once (the private score API), the clock standing still meanwhile: no goal comes in play.
      stopClock();
      await screenshot(page, 'tournament-computer-semi');

      // Somebody else watches the other semi-final, two computer players: named by their level, as in the live list.
      const fan = await registerUser(world.api);
      type Listed = { code: string; teams: Record<'a' | 'b', Array<{ id: number; computer?: string }>> };
      let botsOnly: Listed | undefined;
      // The live list is refreshed on the clock (at most once a second): moved on a quarter second at a time.
      for (let step = 0; !botsOnly && step < 40; step++) {
        if (step > 0) world.server.clock.advance(250);
        const listed = (await world.api.get('/api/game/live/', { token: fan.access })).body.results as Listed[];
        botsOnly = listed.find((m) => [...m.teams.a, ...m.teams.b].every((p) => p.computer === 'easy'));
      }
      expect(botsOnly).toBeDefined();
      const watcher = await signedInTab(world, fan, `/spectate/${botsOnly!.code}`);
      try {
        await watcher.page.getByText('Spectating').waitFor();
        const bar = watcher.page.getByTestId('score-bar');
        await bar.getByText('Computer (easy)').first().waitFor();
        await expect(bar.getByText('Computer (easy)').count()).resolves.toBe(2);
        await expect(bar.textContent()).resolves.not.toMatch(/Bot\d{6}/);
        await screenshot(watcher.page, 'tournament-computer-watched');
      } finally {
        await watcher.context.close();
      }
      for (let goal = 0; goal < 3; goal++) expect((await internal().put(`/api/private/match/score/${user.id}/`, {})).status).toBe(200);
      const semi = await endScreen(page);
      expect(semi.title).toBe('Victory!');
      // Back on the bracket while the other semi-final is still played (the clock stands still): he may watch it.
      await page.getByRole('button', { name: 'Spectate' }).waitFor({ timeout: 20_000 });
      await expect(page.getByRole('button', { name: 'Spectate' }).count()).resolves.toBe(1);
      // Its card says it is being played, with the score so far; a goal there shows on the bracket within a second or so.
      const liveCard = page.getByTestId('bracket-live');
      await liveCard.getByText('Live').waitFor();
      await expect(liveCard.locator('.bracket-score').allTextContents()).resolves.toEqual(['0', '0']);
      expect((await internal().put(`/api/private/match/score/${botsOnly!.teams.a[0].id}/`, {})).status).toBe(200);
      const scores = () => liveCard.locator('.bracket-score').allTextContents();
      // The live list (and so its change event) moves on the server's clock, standing still here: a quarter second at a time.
      for (let step = 0; step < 20 && (await scores()).join() !== '1,0'; step++) {
        world.server.clock.advance(250);
        await page.waitForTimeout(150);
      }
      await expect(scores()).resolves.toEqual(['1', '0']);
      await screenshot(page, 'tournament-computer-bracket');
      // The other semi-final ends (the private score API, the clock still standing): its result in the tournament's
      // chat names the computer players by level, as the bracket does, not by their bot accounts.
      for (let goal = 1; goal < 3; goal++) expect((await internal().put(`/api/private/match/score/${botsOnly!.teams.a[0].id}/`, {})).status).toBe(200);
      await page.getByTestId('game-chat').getByText('Computer (easy) beat Computer (easy) 3–0.').waitFor();
      await expect(page.getByTestId('game-chat').textContent()).resolves.not.toMatch(/Bot\d{6}/);
      stopClock = runClock(world.server.clock, 3);

      // The final against the computer player that won the other semi-final, played on the field: the person parks his paddle.
      await page.waitForFunction((previous) => {
        const code = document.querySelector('[data-testid="match-code"]')?.textContent;
        return !!code && code !== previous && !document.querySelector('[data-testid="game-over"]');
      }, semiCode, { timeout: 180_000 });
      await page.keyboard.down('ArrowDown');
      await screenshot(page, 'tournament-computer-final');
      const final = await endScreen(page);
      await screenshot(page, 'tournament-computer-final-over');
      expect(['Victory!', 'Defeat']).toContain(final.title);
      // The opponent is named by its level on the end screen, never by its bot account.
      expect(final.text).toMatch(/Computer \(easy\)/);
      expect(final.text).not.toMatch(/Bot\d{6}/);
      // The tournament is over: the page goes home.
      await page.getByRole('heading', { name: 'Play Pong' }).waitFor({ timeout: 20_000 });
      expect(tab.errors).toEqual([]);
    } finally {
      stopClock();
      await tab.context.close();
    }
  });
});

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ApiClient, registerUser, type TestUser } from '../support/http.js';
import { setTrophies } from '../support/play.js';
import { uniqueTournamentName } from '../tournament/helpers.js';
import { arrive, openTab, runClock, screenshot, signIn, type Tab, useBrowserWorld } from './support.js';

const TOURNAMENTS = 3;

interface Person {
  user: TestUser;
  tab: Tab;
}

/** In each tab: when each `game-start` arrived and each game socket opened, and every "Leave the game?" dialog seen. */
function watchTab(): void {
  (window as any).__pongTrace = [];
  setInterval(() => {
    for (const dialog of document.querySelectorAll('dialog[open], [role="dialog"]')) {
      if (!dialog.textContent?.includes('Leave the game?')) continue;
      // Kept across page loads of the tab.
      const seen = JSON.parse(sessionStorage.getItem('leaveDialogs') ?? '[]');
      sessionStorage.setItem('leaveDialogs', JSON.stringify([...seen, location.pathname]));
    }
  }, 100);
}

const trace = (page: Page) => page.evaluate(() => (window as any).__pongTrace as Array<{ kind: string; matchId: number; at: number }>);
const leaveDialogs = (page: Page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('leaveDialogs') ?? '[]') as string[]);
interface EndScreen {
  title: string;
  /** "You 3 – 1 bob" → [3, 1] (the viewer's side first). */
  score: number[];
  afterword: string;
}

/**
 * What the end screen says, read as soon as it is complete: it stays only a
 * few seconds (the next round's game, or the way back, replaces it).
 */
async function endScreen(page: Page): Promise<EndScreen> {
  await page.getByTestId('afterword').waitFor();
  return page.evaluate(() => {
    const title = document.querySelector('[data-testid="game-over"]')?.closest('dialog')?.querySelector('h2')?.textContent ?? '';
    const text = document.querySelector('[data-testid="final-score"]')?.textContent ?? '';
    const [, mine, theirs] = /(\d+) – (\d+)/.exec(text) ?? [];
    return { title, score: [Number(mine), Number(theirs)], afterword: document.querySelector('[data-testid="afterword"]')?.textContent ?? '' };
  });
}

/**
 * Four people in four browser contexts play a 4-player tournament to its
 * end, three times in one run. One semi-final ends at once, the other after
 * several goals, so the finalist of the first waits on the bracket while the
 * other is still on his end screen when the final is created 3 s later: both
 * must reach the final's page within 2 s of its `game-start`, no "Leave the
 * game?" dialog may ever open, the final ends normally, and the bracket, the
 * end screens and every match history show one and the same score.
 */
describe('four people play tournaments to the end', { timeout: 600_000 }, () => {
  const world = useBrowserWorld();
  const internal = () => new ApiClient(world.server.internalUrl!);

  async function person(trophies: number): Promise<Person> {
    const user = await registerUser(world.api);
    await setTrophies(world.server, user.id, trophies);
    const tab = await openTab(world.browser, world.server);
    await tab.context.addInitScript(watchTab);
    await signIn(tab, user);
    await arrive(tab);
    return { user, tab };
  }

  const card = (page: Page, title: string) =>
    page.getByTestId('bracket').locator('.bracket-column').filter({ has: page.getByRole('heading', { name: title, exact: true }) }).locator('.bracket-card');

  async function liveMatch(user: TestUser): Promise<{ id: number; teams: any }> {
    for (;;) {
      const found = await internal().get(`/api/private/match/${user.id}/`);
      if (found.status === 200) return found.body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Waits until every person's page is at `path`; if one is not, says where each is and what it shows. */
  async function allReach(people: Person[], path: string, what: string): Promise<void> {
    try {
      await Promise.all(people.map((p) => p.tab.page.waitForURL((url) => url.pathname === path, { timeout: 20_000 })));
    } catch (error) {
      // The whole page: alerts and toasts say why someone is elsewhere.
      const seen = await Promise.all(people.map(async (p) => `${p.user.username} on ${p.tab.page.url()}: ${(await p.tab.page.locator('body').innerText().catch(() => '?')).replace(/\s+/g, ' ').slice(0, 400)}`));
      throw new Error(`not everybody reached ${what}:\n${seen.join('\n')}\n${String(error)}`);
    }
  }

  /** Waits for both end screens; if they do not come, says what each player's page shows instead. */
  async function gameOver(players: Person[], what: string): Promise<void> {
    try {
      await Promise.all(players.map((p) => p.tab.page.getByTestId('game-over').waitFor({ timeout: 90_000 })));
    } catch (error) {
      const seen = await Promise.all(players.map(async (p, i) => {
        await screenshot(p.tab.page, `stuck-${what.replace(/\W+/g, '-')}-${i}`);
        return `${p.user.username} on ${p.tab.page.url()}: ${await p.tab.page.locator('main').innerText().catch(() => '?')}`;
      }));
      throw new Error(`${what} did not end:\n${seen.join('\n')}\n${String(error)}`);
    }
  }

  async function historyRow(page: Page, opponent: string): Promise<number[]> {
    await page.goto('/profile');
    await page.getByRole('tab', { name: 'Match History' }).click();
    const row = page.getByRole('list', { name: 'Match history' }).getByRole('button').filter({ hasText: `against ${opponent}` }).first();
    const [, mine, theirs] = /(\d+) – (\d+)/.exec((await row.getByTestId('history-score').textContent())!)!;
    return [Number(mine), Number(theirs)];
  }

  it(`plays ${TOURNAMENTS} tournaments: finalists reach the final in time, one score per match everywhere`, async () => {
    // Seeds follow trophies: 1 meets 4 (the quick semi-final), 2 meets 3 (played out).
    const [p1, p2, p3, p4] = [await person(1000), await person(900), await person(800), await person(700)];
    const everyone = [p1, p2, p3, p4];
    // Real time: a faster server clock would shorten the 5 s a player has to connect to his game below what a busy
    // machine's browser needs, and the test would be about the machine.
    const stopClock = runClock(world.server.clock, 1);
    try {
      for (let round = 1; round <= TOURNAMENTS; round++) {
        const a = p1.tab.page;
        await a.goto('/');
        await a.getByRole('radio', { name: /^Tournament/ }).check();
        await a.getByTestId('play').click();
        await a.waitForURL('**/tournament');
        const name = uniqueTournamentName('People Cup');
        await a.getByLabel('Find or create a tournament').fill(name);
        await a.getByRole('button', { name: 'Join or create' }).click();
        await a.getByRole('dialog').getByRole('radio', { name: '4' }).check();
        await a.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
        await a.getByTestId('tournament-code').waitFor();
        const code = (await a.getByTestId('tournament-code').textContent())!;
        for (const p of [p2, p3, p4]) {
          await p.tab.page.goto(`/tournament/${code}`);
          await p.tab.page.getByTestId('tournament-code').waitFor();
        }
        // Full: the tournament starts; 3 s later both semi-finals are launched and everybody is taken to his game.
        await allReach(everyone, '/game/tournament', `the semi-finals of round ${round}`);
        await Promise.all(everyone.map((p) => p.tab.page.getByTestId('match-code').waitFor()));

        // Semi-final 1–4 ends at once (three goals for seed 1); 2–3 is played out with paddles parked at opposite walls.
        const quick = await liveMatch(p1.user);
        for (let goal = 0; goal < 3; goal++) expect((await internal().put(`/api/private/match/score/${p1.user.id}/`, {})).status).toBe(200);
        // (A goal really played before those three land counts too: the scores below are read, not assumed.)
        await gameOver([p1, p4], `quick semi-final of round ${round}`);
        const [quickEnd, quickLoserEnd] = await Promise.all([endScreen(p1.tab.page), endScreen(p4.tab.page)]);
        expect([quickEnd.title, quickEnd.score[0], quickLoserEnd.title]).toEqual(['Victory!', 3, 'Defeat']);
        expect(quickLoserEnd.score).toEqual([quickEnd.score[1], quickEnd.score[0]]);
        expect(quickEnd.afterword).toContain('through to the final');
        await p2.tab.page.keyboard.down('ArrowUp');
        await p3.tab.page.keyboard.down('ArrowDown');
        await gameOver([p2, p3], `semi-final of round ${round}`);
        const [end2, end3] = await Promise.all([endScreen(p2.tab.page), endScreen(p3.tab.page)]);
        await p2.tab.page.keyboard.up('ArrowUp');
        await p3.tab.page.keyboard.up('ArrowDown');
        const p2Won = end2.title === 'Victory!';
        const [finalist, semiLoser] = p2Won ? [p2, p3] : [p3, p2];
        const [finalistEnd, loserEnd] = p2Won ? [end2, end3] : [end3, end2];
        expect(loserEnd.title).toBe('Defeat');
        const semiScore = finalistEnd.score;
        expect(loserEnd.score).toEqual([semiScore[1], semiScore[0]]);
        expect(finalistEnd.afterword).toContain('through to the final');
        expect(loserEnd.afterword).toContain('out of the tournament');

        // Seed 4, out since the quick semi-final, watches the bracket: the played semi-final shows the same score.
        const watcher = p4.tab.page;
        await watcher.waitForURL(`**/tournament/${code}`);
        const semi = card(watcher, 'Semi-final').filter({ hasText: finalist.user.username });
        await semi.locator('.bracket-slot.winner').filter({ hasText: `${finalist.user.username}${semiScore[0]}` }).waitFor({ timeout: 10_000 });
        await expect(semi.locator('.bracket-slot:not(.winner)').textContent()).resolves.toBe(`${semiLoser.user.username}${semiScore[1]}`);

        // The final: both finalists are on its page within 2 s of its game-start, wherever they were.
        await Promise.all([p1.tab.page.waitForURL('**/game/tournament'), finalist.tab.page.waitForURL('**/game/tournament')]);
        const final = await liveMatch(p1.user);
        expect(final.id).not.toBe(quick.id);
        await Promise.all([p1.tab.page.getByTestId('match-code').waitFor(), finalist.tab.page.getByTestId('match-code').waitFor()]);
        for (const p of [p1, finalist]) {
          const events = await trace(p.tab.page);
          const started = events.find((e) => e.kind === 'game-start' && e.matchId === final.id);
          const opened = events.find((e) => e.kind === 'game-open' && e.matchId === final.id);
          expect(started && opened, `${p.user.username}: ${JSON.stringify(events)}`).toBeTruthy();
          expect(opened!.at - started!.at, `${p.user.username} reached the final's page late`).toBeLessThan(2000);
        }
        if (round === 1) await screenshot(finalist.tab.page, 'tournament-final-playing');
        await p1.tab.page.keyboard.down('ArrowUp');
        await finalist.tab.page.keyboard.down('ArrowDown');
        await gameOver([p1, finalist], `final of round ${round}`);
        const [end1, endFinalist] = await Promise.all([endScreen(p1.tab.page), endScreen(finalist.tab.page)]);
        await p1.tab.page.keyboard.up('ArrowUp');
        await finalist.tab.page.keyboard.up('ArrowDown');
        const finalScore = end1.score;
        expect(endFinalist.score).toEqual([finalScore[1], finalScore[0]]);
        expect([end1.afterword, endFinalist.afterword].sort()).toEqual(
          [`${end1.title === 'Victory!' ? 'You won the tournament!' : 'You are out of the tournament. You can watch the other matches from the bracket.'}`,
            `${endFinalist.title === 'Victory!' ? 'You won the tournament!' : 'You are out of the tournament. You can watch the other matches from the bracket.'}`].sort());
        if (round === 1) await screenshot(p1.tab.page, 'tournament-final-over');
        const recordedFinal = (await world.api.get(`/api/game/matches/${p1.user.id}/`, { token: p1.user.access })).body.results.find((m: any) => m.id === final.id);
        expect(recordedFinal.finish_reason).toBe('normal-end');

        // Everybody lands home; then each match history shows the same scores.
        await Promise.all(everyone.map((p) => p.tab.page.waitForURL((url) => url.pathname === '/', { timeout: 20_000 })));
        expect(await historyRow(finalist.tab.page, semiLoser.user.username)).toEqual(semiScore);
        expect(await historyRow(semiLoser.tab.page, finalist.user.username)).toEqual([semiScore[1], semiScore[0]]);
        expect(await historyRow(p1.tab.page, finalist.user.username)).toEqual(finalScore);
        expect(await historyRow(p1.tab.page, p4.user.username)).toEqual(quickEnd.score);
        // The finished tournament's bracket (from the history) too.
        await p1.tab.page.getByRole('list', { name: 'Match history' }).getByRole('button').filter({ hasText: `against ${finalist.user.username}` }).first().click();
        await p1.tab.page.getByRole('button', { name: 'Show the tournament bracket' }).click();
        const archived = p1.tab.page.getByRole('dialog').filter({ hasText: name });
        const column = (title: string) => archived.locator('.bracket-column').filter({ has: p1.tab.page.getByRole('heading', { name: title, exact: true }) });
        const finalCard = column('Final').locator('.bracket-card');
        const [winnerScore, loserScore] = [Math.max(...finalScore), Math.min(...finalScore)];
        await expect(finalCard.locator('.bracket-slot.winner .bracket-score').textContent()).resolves.toBe(String(winnerScore));
        await expect(finalCard.locator('.bracket-slot:not(.winner) .bracket-score').textContent()).resolves.toBe(String(loserScore));
        const archivedSemi = column('Semi-final').locator('.bracket-card').filter({ hasText: finalist.user.username });
        await expect(archivedSemi.locator('.bracket-slot.winner .bracket-score').textContent()).resolves.toBe(String(semiScore[0]));
        await expect(archivedSemi.locator('.bracket-slot:not(.winner) .bracket-score').textContent()).resolves.toBe(String(semiScore[1]));
        if (round === 1) await screenshot(p1.tab.page, 'tournament-history-bracket');
        await p1.tab.page.keyboard.press('Escape');
      }
      for (const p of everyone) expect(await leaveDialogs(p.tab.page), `${p.user.username} saw a "Leave the game?" dialog`).toEqual([]);
      expect(everyone.flatMap((p) => p.tab.errors)).toEqual([]);
    } finally {
      stopClock();
      for (const p of everyone) await p.tab.context.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { arrive, joinedMatch, openTab, runClock, screenshot, useBrowserWorld, userIdOf, usernameOf } from './support.js';

describe('online games in the browser', { timeout: 120_000 }, () => {
  const world = useBrowserWorld();

  it('shows the search state and cancels it', async () => {
    const tab = await openTab(world.browser, world.server);
    await arrive(tab);
    await tab.page.getByTestId('play').click();
    await tab.page.getByText('Waiting for an opponent…').waitFor();
    await tab.page.getByRole('button', { name: 'Cancel' }).click();
    await tab.page.getByRole('heading', { name: 'Play Pong' }).waitFor();
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });

  it('two guests match in a duel, one reloads mid-game, and they play with the keyboard to the end', async () => {
    let stopClock = runClock(world.server.clock, 1);
    const a = await openTab(world.browser, world.server);
    const b = await openTab(world.browser, world.server);
    // The watcher waits on the home page: the match (idle paddles) can be over in seconds, sooner than a new tab loads on a busy machine.
    const watcher = await openTab(world.browser, world.server);
    try {
      await Promise.all([arrive(a), arrive(b), arrive(watcher)]);
      await a.page.getByTestId('play').click();
      await a.page.getByText('Waiting for an opponent…').waitFor();
      await screenshot(a.page, 'duel-searching');
      await b.page.getByTestId('play').click();
      await Promise.all([a.page.getByTestId('match-code').waitFor(), b.page.getByTestId('match-code').waitFor()]);
      const code = await a.page.getByTestId('match-code').textContent();
      expect(code).toMatch(/^\d{4}$/);
      expect(await b.page.getByTestId('match-code').textContent()).toBe(code);
      // The clock holds still while the watcher arrives and b reloads, so that the match cannot end first on a busy machine.
      await joinedMatch(world.server, await userIdOf(a));
      stopClock();

      // A third browser watches the match by its code, typed into the home page's form.
      await watcher.page.getByLabel('Watch a match (match code)').fill(code!);
      await watcher.page.getByRole('button', { name: 'Spectate' }).click();
      await watcher.page.getByText('Spectating').waitFor();
      // Spectators see the players' names, never team letters.
      const [nameA, nameB] = [await usernameOf(a), await usernameOf(b)];
      await watcher.page.getByTestId('score-bar').getByText(nameA).waitFor();
      await watcher.page.getByTestId('score-bar').getByText(nameB).waitFor();
      await expect(watcher.page.getByTestId('score-bar').textContent()).resolves.not.toMatch(/Team [AB]/);

      // Reconnect after a reload: the stored game-start event takes b straight back into the game.
      await b.page.reload();
      await b.page.getByTestId('match-code').waitFor();
      stopClock = runClock(world.server.clock, 3);

      await a.page.waitForTimeout(800);
      await screenshot(a.page, 'duel-playing');
      // Park the paddles at opposite walls so that balls get through.
      await a.page.keyboard.down('ArrowUp');
      await b.page.keyboard.down('ArrowDown');
      await Promise.all([
        a.page.getByTestId('game-over').waitFor({ timeout: 90_000 }),
        b.page.getByTestId('game-over').waitFor({ timeout: 90_000 }),
      ]);
      await screenshot(a.page, 'duel-over');
      await watcher.page.getByTestId('game-over').waitFor();
      const titles = [
        await a.page.getByRole('dialog').getByRole('heading').first().textContent(),
        await b.page.getByRole('dialog').getByRole('heading').first().textContent(),
      ];
      expect([...titles].sort()).toEqual(['Defeat', 'Victory!']);
      const [winner, loser, winnerTab, loserTab] = titles[0] === 'Victory!' ? [nameA, nameB, a, b] : [nameB, nameA, b, a];
      // End screens name people and show one score: "You won 3–1 against bob" / "alice won 3–1".
      const won = (await winnerTab.page.getByTestId('game-over').textContent())!;
      const score = /You won (3–\d) against /.exec(won)?.[1];
      expect(won).toContain(`You won ${score} against ${loser}.`);
      await expect(loserTab.page.getByTestId('game-over').textContent()).resolves.toContain(`${winner} won ${score}.`);
      expect(await watcher.page.getByRole('dialog').getByRole('heading').first().textContent()).toBe(`${winner} won`);
      await expect(watcher.page.getByTestId('game-over').textContent()).resolves.toContain(`${winner} won ${score} against ${loser}.`);
      // The spectator's end screen links to the replay (game_over names the match).
      await expect(watcher.page.getByRole('dialog').getByRole('link', { name: 'Watch the replay' }).getAttribute('href')).resolves.toMatch(/^\/replay\/\d+$/);
      // He watches it, and Back takes him where he was before the match (the home page), not to the finished match.
      await watcher.page.getByRole('dialog').getByRole('link', { name: 'Watch the replay' }).click();
      await watcher.page.waitForURL('**/replay/*');
      await watcher.page.getByRole('button', { name: 'Back' }).click();
      await watcher.page.getByRole('heading', { name: 'Play Pong' }).waitFor();
      expect(new URL(watcher.page.url()).pathname).toBe('/');
      await watcher.page.waitForTimeout(500);
      await expect(watcher.page.getByText(/Unable to spectate/).count()).resolves.toBe(0);
      // The stored event is gone: a reload queues again instead of reconnecting.
      expect(await a.page.evaluate(() => localStorage.getItem('pong.gameEvent'))).toBeNull();
      expect([...a.errors, ...b.errors]).toEqual([]);
    } finally {
      stopClock();
      await a.context.close();
      await b.context.close();
      await watcher.context.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { ApiClient, registerUser, type TestUser } from '../support/http.js';
import { runClock, screenshot, type Tab, useBrowserWorld, signedInTab } from './support.js';

const RUNS = 5;

/**
 * Custom 1v1 and 3v3 lobbies with two people on the bench: every time the
 * lobby's game starts, both are taken to watch it (they connect the moment
 * the match exists, before any player), see it with the players' names, and
 * are back in the lobby when it ends — five games in a row each, without a
 * miss. Bots take the empty seats (the lobby's bot flag), so one person
 * plays; each game is ended through the internal API once the bench sees it.
 */
describe('the bench of a custom lobby watches its games', { timeout: 300_000 }, () => {
  const world = useBrowserWorld();
  const internal = () => new ApiClient(world.server.internalUrl!);

  const tabFor = (user: TestUser, path = '/') => signedInTab(world, user, path);

  for (const matchType of ['1v1', '3v3'] as const) {
    it(`custom ${matchType}: two bench members see ${RUNS} games and return to the lobby each time`, async () => {
      const host = await registerUser(world.api);
      const benchUsers = [await registerUser(world.api), await registerUser(world.api)];
      const stopClock = runClock(world.server.clock, 2);
      const h = await tabFor(host);
      const bench: Tab[] = [];
      try {
        await h.page.getByRole('radio', { name: /^Custom Game/ }).check();
        await h.page.getByTestId('play').click();
        await h.page.getByTestId('lobby-code').waitFor();
        const code = (await h.page.getByTestId('lobby-code').textContent())!;
        if (matchType === '3v3') await h.page.getByRole('button', { name: '3v3', exact: true }).click();
        // Computer players take the seats nobody holds (set outside the page: the client has no switch for it yet).
        const flag = await world.api.patch('/api/play/lobby/', { bot: true }, { token: host.access });
        expect(flag.status, flag.text).toBe(200);

        for (const user of benchUsers) {
          const tab = await tabFor(user, `/lobby/${code}`);
          await tab.page.getByTestId(`member-${user.username}`).waitFor();
          await tab.page.getByRole('button', { name: 'Go to the bench' }).click();
          await h.page.locator('.zone-spectator').getByTestId(`member-${user.username}`).waitFor();
          bench.push(tab);
        }

        for (let run = 1; run <= RUNS; run++) {
          await h.page.getByTestId(`member-${host.username}`).getByRole('button', { name: 'Not ready' }).click();
          await h.page.waitForURL(`**/game/${matchType}`);
          await Promise.all(bench.map((tab) => tab.page.waitForURL('**/spectate/*')));
          // Each bench member sees the game: the banner, the field and the host's name on the scoreboard.
          for (const tab of bench) {
            await tab.page.getByText('Spectating').waitFor();
            await tab.page.getByTestId('score-bar').getByText(host.username).waitFor({ timeout: 10_000 });
          }
          if (run === 1) await screenshot(bench[0].page, `lobby-${matchType}-bench-spectating`);
          expect(bench.every((tab) => tab.page.url().includes('/spectate/'))).toBe(true);

          // The game ends: the host's side loses 0–3.
          const match = (await internal().get(`/api/private/match/${host.id}/`)).body;
          const forfeit = await internal().put(`/api/private/match/finish/${match.id}/`, { user_id: host.id, finish_reason: 'player-disconnect' });
          expect(forfeit.status, forfeit.text).toBe(200);
          await Promise.all(bench.map((tab) => tab.page.getByTestId('game-over').waitFor()));
          // Back to the lobby, still on its bench.
          await Promise.all([h.page.waitForURL(`**/lobby/${code}`), ...bench.map((tab) => tab.page.waitForURL(`**/lobby/${code}`))]);
          for (const user of benchUsers) await h.page.locator('.zone-spectator').getByTestId(`member-${user.username}`).waitFor();
        }
        expect([...h.errors, ...bench.flatMap((tab) => tab.errors)]).toEqual([]);
      } finally {
        stopClock();
        await h.context.close();
        for (const tab of bench) await tab.context.close();
      }
    });
  }
});

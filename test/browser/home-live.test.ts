import { describe, expect, it } from 'vitest';
import { ApiClient, createGuest, registerUser, type TestUser } from '../support/http.js';
import { setTrophies } from '../support/play.js';
import { SseClient } from '../support/sse.js';
import { runClock, screenshot, signedInTab, type Tab, useBrowserWorld } from './support.js';

interface ActivityUpdate {
  online: number;
  playing: number;
  live_matches: number;
  open_tournaments: number;
  live_version: number;
}

/**
 * The home page is alive (docs/api.md, Activity; docs/events.md, Activity):
 * a duel started by two people shows up on a third person's home page
 * without a reload, its score follows, Watch opens it, and the figures and
 * the ladder say who is around.
 */
describe('the live home page', { timeout: 120_000 }, () => {
  const world = useBrowserWorld();
  const internal = () => new ApiClient(world.server.internalUrl!);
  const tabFor = (user: TestUser) => signedInTab(world, user);

  /** Once the matchmaker (on the clock) has paired `a` and `b`: their duel's code. */
  async function duelMade(a: TestUser): Promise<string> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = await internal().get(`/api/private/match/${a.id}/`);
      if (found.status === 200 && found.body.game_mode === 'duel') return found.body.code;
      if (Date.now() > deadline) throw new Error(`no duel for ${a.username} after 30 s (${found.status} ${JSON.stringify(found.body)})`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * The `activity-update` events a stream receives from now on. `until` moves
   * the (stopped) server clock on a quarter second at a time until one that
   * `wanted` accepts has come (the feed sends at most one a second on the
   * clock): the duel on the field moves on no more than that, and nobody
   * scores in play.
   */
  function activityUpdates(observer: SseClient) {
    let read = observer.events.length;
    let last: ActivityUpdate | null = null;
    return {
      get last() {
        return last;
      },
      async until(wanted: (update: ActivityUpdate) => boolean): Promise<ActivityUpdate> {
        for (let steps = 0; ; steps++) {
          const fresh = observer.events.slice(read).filter((e) => e.event === 'activity-update').map((e) => e.envelope.data as ActivityUpdate);
          read = observer.events.length;
          if (fresh.length > 0) last = fresh[fresh.length - 1];
          const hit = fresh.find(wanted);
          if (hit) return hit;
          if (steps >= 40) throw new Error(`no such activity-update in 10 s of clock (last: ${JSON.stringify(last)})`);
          world.server.clock.advance(250);
          const seen = observer.events.length;
          await observer.waitFor((events) => events.length > seen, 100).catch(() => {});
        }
      },
    };
  }

  it("a duel appears on a third person's home page within seconds, with its players and score; Watch opens it", async () => {
    const [alice, bob, carol] = await Promise.all([registerUser(world.api), registerUser(world.api), registerUser(world.api)]);
    await setTrophies(world.server, carol.id, 4321);
    const stopClock = runClock(world.server.clock, 1);
    const [c, a, b] = await Promise.all([tabFor(carol), tabFor(alice), tabFor(bob)]);
    // What the activity feed sends, as any stream gets it.
    const observer = await SseClient.open(world.server.publicUrl, (await createGuest(world.api)).access);
    try {
      const home = c.page;
      await home.setViewportSize({ width: 1366, height: 800 });
      const live = home.getByRole('region', { name: 'Live matches' });
      await live.getByText('Nobody is playing right now').waitFor();
      // The ladder: carol has the most trophies, and reads her own place.
      const ladder = home.getByRole('region', { name: 'Ladder' });
      await ladder.getByTestId('ladder-me').getByText(carol.username).waitFor();
      await expect(ladder.getByTestId('ladder-place').textContent()).resolves.toMatch(/^You are #1 with 4321 trophies\.$/);
      await screenshot(home, 'home-live-empty');

      // Alice and bob look for a duel. Once paired, the clock stands still: the duel stays 0–0 on the field (the goal
      // below comes from the private API), and its players take the time they need to join.
      const updates = activityUpdates(observer);
      await a.page.getByTestId('play').click();
      await a.page.getByText('Waiting for an opponent…').waitFor();
      await b.page.getByTestId('play').click();
      const code = await duelMade(alice);
      stopClock();
      const startedAt = Date.now();
      await updates.until((update) => update.live_matches === 1 && update.playing === 2);
      const row = live.getByTestId('live-match');
      await row.waitFor({ timeout: 8000 });
      expect(Date.now() - startedAt).toBeLessThan(8000);
      await Promise.all([a.page.getByTestId('match-code').waitFor(), b.page.getByTestId('match-code').waitFor()]);
      expect((await a.page.getByTestId('match-code').textContent())?.replace(/\D/g, '')).toBe(code);
      const names = [await row.getByTestId('live-team-a').textContent(), await row.getByTestId('live-team-b').textContent()];
      expect([...names].sort()).toEqual([alice.username, bob.username].sort());
      await row.getByText('Duel · 1v1 · nobody watching yet').waitFor();

      // The figures: the three of us online, two playing, one live match.
      const figures = home.getByTestId('activity-figures');
      await figures.getByText('2 playing').waitFor({ timeout: 8000 });
      await figures.getByText('1 live match', { exact: true }).waitFor();
      const online = Number(/^(\d+) online$/.exec((await home.getByTestId('figure-online').textContent()) ?? '')?.[1]);
      expect(online).toBeGreaterThanOrEqual(3);

      // A goal moves the live list's version: the score follows without a reload.
      const before = updates.last!.live_version;
      expect((await internal().put(`/api/private/match/score/${alice.id}/`, {})).status).toBe(200);
      await updates.until((update) => update.live_version !== before);
      await row.getByText(/^1 – 0$|^0 – 1$/).waitFor({ timeout: 8000 });
      await screenshot(home, 'home-live-1366');
      await home.screenshot({ path: '/tmp/home-live-1366-full.png', fullPage: true });
      await home.setViewportSize({ width: 390, height: 844 });
      await live.scrollIntoViewIfNeeded();
      await screenshot(home, 'home-live-390');
      await home.screenshot({ path: '/tmp/home-live-390-full.png', fullPage: true });
      await home.setViewportSize({ width: 1366, height: 800 });

      await row.getByRole('button', { name: `Watch ${names[0]} vs ${names[1]}` }).click();
      await home.waitForURL(`**/spectate/${code}`);
      await home.getByTestId('names-left').waitFor();
      // A spectator looks the players' names up: "a player" stands there until the answer comes.
      const spectatedNames = async () => [await home.getByTestId('names-left').textContent(), await home.getByTestId('names-right').textContent()].sort();
      await expect.poll(spectatedNames, { timeout: 10_000 }).toEqual([alice.username, bob.username].sort());
      expect([...a.errors, ...b.errors, ...c.errors]).toEqual([]);
    } finally {
      stopClock();
      observer.close();
      for (const tab of [a, b, c]) await tab.context.close();
    }
  });

  it('a guest reads that registering puts him on the ladder', async () => {
    const guest = await signedInTab(world, await createGuest(world.api));
    try {
      await guest.page.getByTestId('ladder-guest').getByText('Guests are not on the ladder: register to join it.').waitFor();
      await expect(guest.page.getByRole('heading', { name: 'Play the computer' }).isVisible()).resolves.toBe(true);
    } finally {
      await guest.context.close();
    }
  });
});

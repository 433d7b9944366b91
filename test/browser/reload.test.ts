import { describe, expect, it } from 'vitest';
import { registerUser, type TestUser } from '../support/http.js';
import { uniqueTournamentName } from '../tournament/helpers.js';
import { runClock, screenshot, type Tab, useBrowserWorld, signedInTab } from './support.js';

/** Past the server's grace after a stream closes (3 s), with room for a slow reload. */
const PAST_GRACE_MS = 4500;

/**
 * A reload closes the tab's live stream and opens a new one a moment later:
 * the person keeps his seat in a tournament, a lobby or a queue, and the
 * others are told nothing.
 */
describe('a reload keeps the seat', { timeout: 120_000 }, () => {
  const world = useBrowserWorld();

  const tabFor = (user: TestUser, path = '/') => signedInTab(world, user, path);

  const gameChat = (tab: Tab) => tab.page.getByTestId('game-chat');

  /** `user` creates a 4-player tournament on his page; three computer players fill it, and 3 s later he is in his semi-final. */
  async function intoSemiFinal(tab: Tab, user: TestUser, name: string): Promise<void> {
    const created = await world.api.post('/api/play/tournament/', { name: uniqueTournamentName(name), size: 4 }, { token: user.access });
    expect(created.status, created.text).toBe(201);
    await tab.page.goto(`/tournament/${created.body.code}`);
    await tab.page.getByTestId('tournament-code').waitFor();
    const bots = await world.api.post(`/api/play/tournament/${created.body.code}/bots/`, { count: 3, level: 'easy' }, { token: user.access });
    expect(bots.status, bots.text).toBe(201);
    await tab.page.waitForURL('**/game/tournament', { timeout: 20_000 });
    await tab.page.getByTestId('match-code').waitFor();
  }

  it('the creator reloads the waiting page of his tournament: still in it, nobody sees him leave', async () => {
    const alice = await registerUser(world.api);
    const bob = await registerUser(world.api);
    const stopClock = runClock(world.server.clock, 1);
    const a = await tabFor(alice);
    const b = await tabFor(bob);
    try {
      const name = uniqueTournamentName('Reload Cup');
      const created = await world.api.post('/api/play/tournament/', { name, size: 4 }, { token: alice.access });
      expect(created.status, created.text).toBe(201);
      await a.page.goto(`/tournament/${created.body.code}`);
      await a.page.getByTestId('tournament-code').waitFor();
      await b.page.goto(`/tournament/${created.body.code}`);
      await a.page.getByTestId(`participant-${bob.username}`).waitFor();

      await a.page.reload();
      await a.page.getByTestId(`participant-${bob.username}`).waitFor();
      await b.page.waitForTimeout(PAST_GRACE_MS);
      await expect(b.page.getByTestId(`participant-${alice.username}`).count()).resolves.toBe(1);
      await expect(gameChat(b).textContent()).resolves.not.toContain('left');
      const mine = await world.api.get('/api/play/tournament/', { token: alice.access });
      expect(mine.status).toBe(200);
      expect(mine.body.participants.map((p: any) => p.username).sort()).toEqual([alice.username, bob.username].sort());

      // Closing the tab for good does remove him, once the grace is over.
      await a.page.close();
      await b.page.getByTestId(`participant-${alice.username}`).waitFor({ state: 'detached', timeout: PAST_GRACE_MS + 5000 });
      expect(b.errors).toEqual([]);
    } finally {
      stopClock();
      await a.context.close();
      await b.context.close();
    }
  });

  it('a tournament player closes his tab mid-game and opens the site at its home page: back in his game, still in the tournament', async () => {
    const alice = await registerUser(world.api);
    let stopClock = runClock(world.server.clock, 1);
    const a = await tabFor(alice);
    try {
      await intoSemiFinal(a, alice, 'Reopen Cup');
      const code = await a.page.getByTestId('match-code').textContent();

      // The clock stands still while she closes the tab and opens the site again, at its address.
      stopClock();
      await a.page.close();
      const again = await a.context.newPage();
      await again.goto('/');
      await again.waitForURL('**/game/tournament');
      await expect(again.getByTestId('match-code').textContent()).resolves.toBe(code);
      const mine = await world.api.get('/api/play/tournament/', { token: alice.access });
      expect(mine.status, mine.text).toBe(200);
      expect(mine.body.participants.map((p: any) => p.id)).toContain(alice.id);
      const semi = (mine.body.matches['semi-final'] as any[]).find((m) => m.user_1?.id === alice.id || m.user_2?.id === alice.id);
      expect([semi.user_1, semi.user_2].find((p: any) => p?.id === alice.id).still_in).toBe(true);
      stopClock = runClock(world.server.clock, 1);
    } finally {
      stopClock();
      await a.context.close();
    }
  });

  it('a second tab opened during a tournament game does not take it over; opened at the game itself, the first tab says so and takes it back', async () => {
    const alice = await registerUser(world.api);
    let stopClock = runClock(world.server.clock, 1);
    const a = await tabFor(alice);
    try {
      await intoSemiFinal(a, alice, 'Two Tabs Cup');
      // The clock stands still from here: nobody scores, nobody's grace runs out.
      stopClock();

      // She opens her profile in a second tab: it stays there, and the game stays in the first.
      const second = await a.context.newPage();
      await second.goto('/profile');
      await second.getByTestId('download-data').waitFor();
      await second.waitForTimeout(500);
      expect(new URL(second.url()).pathname).toBe('/profile');
      await expect(a.page.getByTestId('played-elsewhere').count()).resolves.toBe(0);
      await expect(a.page.getByTestId('game-over').count()).resolves.toBe(0);
      const mine = await world.api.get('/api/play/tournament/', { token: alice.access });
      expect(mine.status, mine.text).toBe(200);
      expect(mine.body.participants.map((p: any) => p.id)).toContain(alice.id);

      // Opened at the game's own address, the second tab plays it: the first says where, and no end screen.
      await second.goto('/game/tournament');
      await second.getByTestId('match-code').waitFor();
      const notice = a.page.getByTestId('played-elsewhere');
      await notice.waitFor();
      expect(await notice.textContent()).toContain('This game is being played in another tab or window.');
      await expect(a.page.getByTestId('game-over').count()).resolves.toBe(0);
      await screenshot(a.page, 'game-played-elsewhere');
      // And takes it back with one click.
      await notice.getByRole('button', { name: 'Play it here' }).click();
      await second.getByTestId('played-elsewhere').waitFor();
      await expect(a.page.getByTestId('played-elsewhere').count()).resolves.toBe(0);
      await expect(second.getByTestId('game-over').count()).resolves.toBe(0);
      expect(a.errors).toEqual([]);
      stopClock = runClock(world.server.clock, 1);
    } finally {
      stopClock();
      await a.context.close();
    }
  });

  it('a member reloads the lobby page, and a searching player reloads the duel page: both keep their place', async () => {
    const alice = await registerUser(world.api);
    const bob = await registerUser(world.api);
    const carol = await registerUser(world.api);
    const stopClock = runClock(world.server.clock, 1);
    const a = await tabFor(alice);
    const b = await tabFor(bob);
    try {
      await a.page.getByRole('radio', { name: /^Custom Game/ }).check();
      await a.page.getByTestId('play').click();
      await a.page.getByTestId('lobby-code').waitFor();
      const code = (await a.page.getByTestId('lobby-code').textContent())!;
      await b.page.goto(`/lobby/${code}`);
      await a.page.getByTestId(`member-${bob.username}`).waitFor();

      await b.page.reload();
      await b.page.getByTestId(`member-${alice.username}`).waitFor();
      await a.page.waitForTimeout(PAST_GRACE_MS);
      await expect(a.page.getByTestId(`member-${bob.username}`).count()).resolves.toBe(1);
      await expect(gameChat(a).textContent()).resolves.not.toContain(`${bob.username} has left`);

      // The duel queue: Carol searches, reloads, and is still found by the next player.
      const c = await tabFor(carol);
      try {
        await c.page.getByTestId('play').click();
        await c.page.getByText('Waiting for an opponent…').waitFor();
        await c.page.reload();
        await c.page.getByText('Waiting for an opponent…').waitFor();
        await c.page.waitForTimeout(PAST_GRACE_MS);
        await a.page.goto('/');
        await a.page.getByRole('radio', { name: /^Duel/ }).check();
        await a.page.getByTestId('play').click();
        await Promise.all([a.page.getByTestId('match-code').waitFor(), c.page.getByTestId('match-code').waitFor()]);
        expect(c.errors).toEqual([]);
      } finally {
        await c.context.close();
      }
      expect([...a.errors, ...b.errors]).toEqual([]);
    } finally {
      stopClock();
      await a.context.close();
      await b.context.close();
    }
  });
});

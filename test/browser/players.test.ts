import { describe, expect, it } from 'vitest';
import { playScripted } from '../support/game.js';
import { ApiClient, registerUser } from '../support/http.js';
import { screenshot, signedInTab, useBrowserWorld } from './support.js';

/**
 * Another player's page (/players/<id>): reached from his name on the ladder and in a match's details,
 * it shows who he is, his trophies and his matches seen from his side, and lets a registered viewer
 * send him a friend request or a message. The profile's tab is kept in the address, so Back from a
 * replay opened in the match history comes back to the history.
 */
describe("a player's page", { timeout: 120_000 }, () => {
  const world = useBrowserWorld();

  it("alice opens bob's page from the ladder, then carol's from bob's match; she befriends carol and writes to her", async () => {
    const [alice, bob, carol] = await Promise.all([registerUser(world.api), registerUser(world.api), registerUser(world.api)]);
    const internal = new ApiClient(world.server.internalUrl!);
    const match = await playScripted(internal, 'ranked', [bob], [carol], [bob, bob, carol, bob]);
    const tab = await signedInTab(world, alice);
    const page = tab.page;
    try {
      await page.setViewportSize({ width: 1366, height: 800 });
      const ladder = page.getByRole('region', { name: 'Ladder' });
      await ladder.getByRole('link', { name: bob.username }).click();
      await page.waitForURL(`**/players/${bob.id}`);
      await page.getByRole('heading', { level: 1, name: bob.username }).waitFor();
      const bobNow = (await world.api.get(`/api/users/${bob.id}/`, { token: alice.access })).body;
      expect(bobNow.trophies).toBeGreaterThan(0);
      await expect(page.getByTestId('player-trophies').textContent()).resolves.toBe(`${bobNow.trophies} trophies`);
      // His match, from his side: a victory 3–1 against carol, with its replay.
      const row = page.getByRole('list', { name: 'Match history' }).locator('.history-row');
      await row.waitFor();
      const rowText = (await row.textContent())!;
      expect(rowText).toContain('victory');
      expect(rowText).toContain(`against ${carol.username}`);
      await expect(page.getByTestId('history-score').textContent()).resolves.toBe('3 – 1');
      expect(await page.getByRole('link', { name: /replay/i }).count()).toBe(1);
      await screenshot(page, 'player-page');
      await page.screenshot({ path: '/tmp/player-page.png' });

      // The match's details name both players; carol's name opens her page, where the same match is a defeat.
      await row.click();
      await page.getByRole('dialog').getByRole('link', { name: carol.username }).click();
      await page.waitForURL(`**/players/${carol.id}`);
      await page.getByRole('heading', { level: 1, name: carol.username }).waitFor();
      await expect(page.locator('.history-row').textContent()).resolves.toContain('defeat');
      await expect(page.getByTestId('history-score').textContent()).resolves.toBe('1 – 3');

      // A friend request from here reaches carol, and a double click sends one.
      const add = page.getByRole('button', { name: 'Add friend' });
      await add.dblclick();
      await page.getByText('Friend request sent.').waitFor();
      const received = (await world.api.get('/api/users/me/friend_requests/received/', { token: carol.access })).body.results as any[];
      const fromAlice = received.filter((request) => JSON.stringify(request).includes(alice.username));
      expect(fromAlice).toHaveLength(1);
      expect(await add.count()).toBe(0);
      // "Send a message": carol takes new chats from friends only, and alice reads so; once carol takes them from
      // everyone, it opens the conversation with her in the chat panel.
      const message = page.getByRole('button', { name: 'Send a message' });
      await message.click();
      await page.getByText('This user does not accept new chat.').waitFor();
      expect((await world.api.patch('/api/users/me/', { accept_chat_from: 'everyone' }, { token: carol.access })).status).toBe(200);
      await message.click();
      await page.getByLabel(`Message to ${carol.username}`).waitFor();
      expect(await page.getByText('This user does not accept new chat.').count()).toBe(0);
      await page.getByText('Friend request sent', { exact: true }).waitFor();
      // Read again, the page still knows the request is on its way.
      await page.reload();
      await page.getByText('Friend request sent', { exact: true }).waitFor();
      expect(await add.count()).toBe(0);
      await screenshot(page, 'player-page-actions');

      // Back returns to bob's page; an unknown player reads a sentence.
      await page.goBack();
      await page.waitForURL(`**/players/${bob.id}`);
      await page.getByRole('heading', { level: 1, name: bob.username }).waitFor();
      // Blocking him from here: his page is closed to her, says why, and offers to undo it.
      await page.getByRole('button', { name: 'Block' }).click();
      await page.getByText(`You blocked ${bob.username}.`).waitFor();
      const blocked = (await world.api.get('/api/users/me/blocked/', { token: alice.access })).body.results as any[];
      expect(blocked.map((entry) => JSON.stringify(entry)).filter((text) => text.includes(bob.username))).toHaveLength(1);
      await page.getByRole('button', { name: `Unblock ${bob.username}` }).click();
      await page.getByRole('heading', { level: 1, name: bob.username }).waitFor();
      expect((await world.api.get('/api/users/me/blocked/', { token: alice.access })).body.count).toBe(0);
      // Bob's blocks read like an unknown id: the page does not tell alice that he blocked her.
      expect((await world.api.post('/api/users/me/blocked/', { user_id: alice.id }, { token: bob.access })).status).toBe(201);
      await page.reload();
      await page.getByText("This player's page is not available.").waitFor();
      await page.goto('/players/99999999');
      await page.getByText("This player's page is not available.").waitFor();
      expect(match.finished).toBe(true);
    } finally {
      await tab.context.close();
    }
  });

  it('Back from a replay opened in the match history comes back to the history tab', async () => {
    const [dan, erin] = await Promise.all([registerUser(world.api), registerUser(world.api)]);
    const match = await playScripted(new ApiClient(world.server.internalUrl!), 'duel', [dan], [erin], [dan, dan, dan]);
    const tab = await signedInTab(world, dan, '/profile');
    const page = tab.page;
    try {
      await page.getByRole('tab', { name: 'Match History' }).click();
      await page.waitForURL('**/profile?tab=history');
      await page.getByRole('list', { name: 'Match history' }).getByRole('link', { name: /replay/i }).click();
      await page.waitForURL(`**/replay/${match.id}`);
      await page.goBack();
      await page.waitForURL('**/profile?tab=history');
      await expect(page.getByRole('tab', { name: 'Match History' }).getAttribute('aria-selected')).resolves.toBe('true');
      await page.locator('.history-row').waitFor();
      // The replay opened straight from its address: Back goes to the home page, not to whatever the tab showed before.
      await page.goto('about:blank');
      await page.goto(`${world.server.publicUrl}/replay/${match.id}`);
      await page.getByRole('button', { name: 'Back' }).click();
      await page.waitForURL((url) => url.pathname === '/');

      // Erin asked dan first: Add friend on her page points him to the request waiting for his answer.
      expect((await world.api.post('/api/users/me/friend_requests/', { username: dan.username }, { token: erin.access })).status).toBe(201);
      await page.goto(`/players/${erin.id}`);
      await page.getByRole('button', { name: 'Add friend' }).click();
      await page.getByText(`${erin.username} has already asked you: answer in your friend requests.`).waitFor();
      await page.getByRole('button', { name: 'Open friend requests' }).click();
      await page.getByRole('dialog').getByText(erin.username).first().waitFor();
    } finally {
      await tab.context.close();
    }
  });
});

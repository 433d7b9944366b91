import { describe, expect, it } from 'vitest';
import { registerUser, type TestUser } from '../support/http.js';
import { befriend } from '../support/social.js';
import { runClock, screenshot, useBrowserWorld, signedInTab } from './support.js';

describe('custom lobby in the browser', { timeout: 120_000 }, () => {
  const world = useBrowserWorld();

  const tabFor = (user: TestUser, path = '/') => signedInTab(world, user, path);

  it('invites a friend to a custom 1v1, chats in the lobby, and both play it to the end', async () => {
    const alice = await registerUser(world.api);
    const bob = await registerUser(world.api);
    await befriend(world.api, alice, bob);
    const a = await tabFor(alice);
    const b = await tabFor(bob);
    const stopClock = runClock(world.server.clock, 3);
    try {
      await a.page.getByRole('radio', { name: /^Custom Game/ }).check();
      await a.page.getByTestId('play').click();
      await a.page.getByTestId('lobby-code').waitFor();
      const code = (await a.page.getByTestId('lobby-code').textContent())!;
      expect(a.page.url()).toContain(`/lobby/${code}`);

      // Invite Bob from the lobby; he joins from the toast.
      await a.page.getByRole('button', { name: `Invite ${bob.username}` }).click();
      const invite = b.page.getByTestId('toast').filter({ hasText: 'invite' });
      await invite.waitFor();
      await invite.getByRole('button', { name: 'join' }).click();
      await b.page.getByTestId('lobby-code').waitFor();
      await a.page.getByTestId(`member-${bob.username}`).waitFor();
      // Here now: neither of them is offered to invite the other any more.
      await a.page.getByRole('button', { name: `Invite ${bob.username}` }).waitFor({ state: 'detached' });
      await b.page.getByText('Your friends online are all here.').waitFor();
      await expect(b.page.getByRole('button', { name: `Invite ${alice.username}` }).count()).resolves.toBe(0);

      // The Game chat tab carries lobby messages live.
      await a.page.getByLabel('Message to the game chat').fill('ready when you are');
      await a.page.getByLabel('Message to the game chat').press('Enter');
      await b.page.getByTestId('game-chat').getByText('ready when you are').waitFor();
      await screenshot(b.page, 'lobby-custom');

      await a.page.getByTestId(`member-${alice.username}`).getByRole('button', { name: 'Not ready' }).click();
      await b.page.getByTestId(`member-${alice.username}`).getByRole('button', { name: 'Ready' }).waitFor();
      await b.page.getByTestId(`member-${bob.username}`).getByRole('button', { name: 'Not ready' }).click();

      await Promise.all([a.page.waitForURL('**/game/1v1'), b.page.waitForURL('**/game/1v1')]);
      await Promise.all([a.page.getByTestId('match-code').waitFor(), b.page.getByTestId('match-code').waitFor()]);
      await a.page.keyboard.down('ArrowUp');
      await b.page.keyboard.down('ArrowDown');
      await Promise.all([
        a.page.getByTestId('game-over').waitFor({ timeout: 90_000 }),
        b.page.getByTestId('game-over').waitFor({ timeout: 90_000 }),
      ]);
      // After a lobby game both go back to the lobby.
      await Promise.all([a.page.waitForURL(`**/lobby/${code}`), b.page.waitForURL(`**/lobby/${code}`)]);
      await a.page.getByTestId(`member-${bob.username}`).waitFor();
      expect([...a.errors, ...b.errors]).toEqual([]);
    } finally {
      stopClock();
      await a.context.close();
      await b.context.close();
    }
  });
});

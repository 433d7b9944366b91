import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registerUser, type TestUser } from '../support/http.js';
import { befriend } from '../support/social.js';
import { arrive, openTab, screenshot, signedInTab, signIn, type Tab, useBrowserWorld } from './support.js';

describe('social features in the browser', { timeout: 90_000 }, () => {
  const world = useBrowserWorld();

  async function tabFor(user: TestUser): Promise<Tab> {
    const tab = await openTab(world.browser, world.server);
    await signIn(tab, user);
    await arrive(tab);
    await tab.page.getByRole('link', { name: `Profile of ${user.username}` }).waitFor();
    return tab;
  }

  it('a friend request is accepted from the toast, then messages arrive live', async () => {
    const alice = await registerUser(world.api);
    const bob = await registerUser(world.api);
    const a = await tabFor(alice);
    const b = await tabFor(bob);
    try {
      // Alice sends the request from the friends dialog.
      await a.page.getByTestId('friends-button').click();
      await a.page.getByRole('tab', { name: 'Friend requests' }).click();
      await a.page.getByLabel('Add a friend by username').fill(bob.username);
      await a.page.getByRole('button', { name: 'Send' }).click();
      await a.page.getByText('Friend request sent.').waitFor();
      await a.page.keyboard.press('Escape');

      // Bob gets a toast with accept / decline and accepts from it.
      const toast = b.page.getByTestId('toast').filter({ hasText: 'friend request' });
      await toast.waitFor();
      expect(await toast.textContent()).toContain(alice.username);
      await screenshot(b.page, 'toast-friend-request');
      await toast.getByRole('button', { name: 'accept' }).click();

      // Alice is told; both now see each other in their friend lists.
      await a.page.getByTestId('toast').filter({ hasText: 'accepted' }).waitFor();
      // Becoming friends unlocks a picture: the achievement toast's "use" button equips it.
      const achievement = a.page.getByTestId('toast').filter({ hasText: 'achievement' });
      await achievement.waitFor();
      await achievement.getByRole('button', { name: 'use' }).click();
      await expect.poll(async () => (await world.api.get('/api/users/me/', { token: alice.access })).body.profile_picture.name).toBe('One Friend');
      await b.page.getByTestId('friends-button').click();
      await b.page.getByRole('list', { name: 'Friends' }).getByText(alice.username).waitFor();
      await b.page.getByRole('list', { name: 'Friends' }).getByText('online').waitFor();

      // Bob opens a chat with Alice from the friend list and writes.
      await b.page.getByRole('button', { name: `Chat with ${alice.username}` }).click();
      await b.page.getByLabel(`Message to ${alice.username}`).fill('hello alice');
      await b.page.getByLabel(`Message to ${alice.username}`).press('Enter');
      await b.page.getByTestId('chat-messages').getByText('hello alice').waitFor();

      // Alice gets a toast; clicking it opens the conversation with the message.
      const messageToast = a.page.getByTestId('toast').filter({ hasText: 'message received' });
      await messageToast.waitFor();
      await messageToast.getByRole('button', { name: /message received/ }).click();
      await a.page.getByTestId('chat-messages').getByText('hello alice').waitFor();

      // With both conversations open, replies appear live on the other side.
      await a.page.getByLabel(`Message to ${bob.username}`).fill('hi bob!');
      await a.page.getByLabel(`Message to ${bob.username}`).press('Enter');
      await b.page.getByTestId('chat-messages').getByText('hi bob!').waitFor();
      await screenshot(b.page, 'chat-live');
      expect([...a.errors, ...b.errors]).toEqual([]);
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });

  it('a conversation with 45 unread messages, opened once, leaves nothing unread (after a reload too)', async () => {
    const alice = await registerUser(world.api);
    const bob = await registerUser(world.api);
    await befriend(world.api, alice, bob);
    const chat = await world.api.post('/api/chat/', { username: alice.username }, { token: bob.access });
    expect(chat.status, chat.text).toBe(201);
    for (let n = 1; n <= 45; n++) {
      const sent = await world.api.post(`/api/chat/${chat.body.id}/messages/`, { content: `message ${n}` }, { token: bob.access });
      expect(sent.status, sent.text).toBe(201);
    }
    const a = await tabFor(alice);
    try {
      const chatsButton = a.page.getByTestId('chats-button');
      await chatsButton.getByLabel('45 unread chats').waitFor();
      await chatsButton.click();
      await a.page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(bob.username) }).first().click();
      await a.page.getByTestId('chat-messages').getByText(/: message 45$/).waitFor();
      // The oldest unread message was on the page opened, so it was listed, so it is read.
      await a.page.getByTestId('chat-messages').getByText(/: message 1$/).waitFor();
      await expect.poll(async () => (await world.api.get('/api/users/me/', { token: alice.access })).body.notifications.chats).toBe(0);
      await a.page.reload();
      await a.page.getByRole('link', { name: `Profile of ${alice.username}` }).waitFor();
      await expect(chatsButton.locator('.badge').count()).resolves.toBe(0);
      expect(a.errors).toEqual([]);
    } finally {
      await a.context.close();
    }
  });

  it('shows the profile pictures with the locked ones and equips one', async () => {
    const carol = await registerUser(world.api);
    await befriend(world.api, carol, await registerUser(world.api)); // unlocks "One Friend"
    const tab = await tabFor(carol);
    const { page } = tab;
    try {
      await page.getByRole('link', { name: `Profile of ${carol.username}` }).click();
      await page.getByTestId('change-picture').click();
      const gallery = page.getByRole('list', { name: 'Profile pictures' });
      await gallery.getByRole('button').first().waitFor();
      const buttons = gallery.getByRole('button');
      expect(await buttons.count()).toBe(23);
      const locked = gallery.locator('button.locked');
      expect(await locked.count()).toBeGreaterThan(0);
      expect(await locked.first().getAttribute('title')).toMatch(/ — .+/);
      await screenshot(page, 'profile-pictures');
      const choice = gallery.locator('button:not(.locked):not(.equipped)').first();
      const name = (await choice.locator('.picture-name').textContent())!;
      await choice.click();
      await gallery.locator('button.equipped').filter({ hasText: name }).waitFor();
      const me = await world.api.get('/api/users/me/', { token: carol.access });
      expect(me.body.profile_picture.name).toBe(name);
      expect(tab.errors).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });

  it('downloads the account data and deletes the account with the password', async () => {
    const dave = await registerUser(world.api);
    const tab = await tabFor(dave);
    const { page } = tab;
    try {
      await page.getByRole('link', { name: `Profile of ${dave.username}` }).click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-data').click()]);
      expect(download.suggestedFilename()).toBe(`user_${dave.id}_data.json`);
      const data = JSON.parse(readFileSync((await download.path())!, 'utf8'));
      expect(data.user_data.username).toBe(dave.username);

      await page.getByRole('button', { name: 'Delete my account' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete my account' });
      await dialog.getByLabel('Password').fill('not-my-password');
      await dialog.getByRole('button', { name: 'Delete my account' }).click();
      await dialog.locator('.field-error').waitFor();
      await dialog.getByLabel('Password').fill(dave.password);
      await dialog.getByRole('button', { name: 'Delete my account' }).click();
      await page.getByText('Your account was deleted').waitFor();
      await page.getByTestId('login-button').waitFor();
      expect((await world.api.post('/api/auth/login/', { username: dave.username, password: dave.password })).status).toBe(401);
      expect(tab.errors).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });
});

describe('a flooded conversation in the browser', { timeout: 60_000 }, () => {
  const world = useBrowserWorld({ CHAT_MESSAGES_PER_10_SECONDS: '10' });

  it('the 11th message within 10 s is refused with a sentence, the text stays in the box, and goes once the window is over', async () => {
    const alice = await registerUser(world.api);
    const bob = await registerUser(world.api);
    await befriend(world.api, alice, bob);
    const chat = await world.api.post('/api/chat/', { username: bob.username }, { token: alice.access });
    expect(chat.status, chat.text).toBe(201);
    const clock = world.server.clock;
    clock.advance(10_000 - (clock.now() % 10_000));
    for (let n = 1; n <= 10; n++) {
      expect((await world.api.post(`/api/chat/${chat.body.id}/messages/`, { content: `quick ${n}` }, { token: alice.access })).status).toBe(201);
    }
    const tab = await signedInTab(world, alice);
    const { page } = tab;
    try {
      await page.getByRole('link', { name: `Profile of ${alice.username}` }).waitFor();
      await page.getByTestId('chats-button').click();
      await page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(bob.username) }).first().click();
      await page.getByTestId('chat-messages').getByText(/: quick 10$/).waitFor();
      const box = page.getByLabel(`Message to ${bob.username}`);
      await box.fill('one too many');
      await box.press('Enter');
      await page.getByRole('alert').getByText('Too many messages at once: wait a few seconds, then send it again.').waitFor();
      expect(await box.inputValue()).toBe('one too many');
      await screenshot(page, 'chat-flood-refused');

      clock.advance(10_000);
      await box.press('Enter');
      await page.getByTestId('chat-messages').getByText(/: one too many$/).waitFor();
      expect(await box.inputValue()).toBe('');
      await expect(page.getByRole('alert').count()).resolves.toBe(0);
      expect(tab.errors).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });
});

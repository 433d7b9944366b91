import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Canvas } from '../../src/cli/canvas.js';
import { Controller } from '../../src/cli/controller.js';
import { drawChrome } from '../../src/cli/screens/chrome.js';
import { endScreen } from '../../src/cli/screens/end.js';
import type { ScreenHost } from '../../src/cli/screens/types.js';
import { pump } from '../support/game.js';
import { ApiClient, registerUser, uniqueName, type TestUser } from '../support/http.js';
import { player } from '../support/play.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { until } from './support.js';

/**
 * The social half of the terminal client (issue 19) against a live server:
 * friends and their requests, blocks, a chat both ways with the live stream,
 * an invitation joined from the inbox, a guest registered and a picture
 * chosen, the trophies of a ranked match on its end screen.
 */

let server: TestServer;
let api: ApiClient;
const controllers: Controller[] = [];

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
});
afterAll(async () => {
  for (const c of controllers) await c.shutdown();
  await server.close();
});

function client(on: TestServer = server): Controller {
  const controller = new Controller({
    server: on.publicUrl, insecure: true, gameNow: () => on.clock.now(), stream: { idleTimeoutMs: 0, retryDelaysMs: [100] }, presenceRefreshMs: 0,
  });
  controllers.push(controller);
  return controller;
}

async function loggedIn(user?: TestUser, on: TestServer = server): Promise<{ controller: Controller; user: TestUser }> {
  const account = user ?? await registerUser(on === server ? api : new ApiClient(on.publicUrl));
  const controller = client(on);
  expect(await controller.login(account.username, account.password)).toBe(true);
  await until(controller, () => controller.state.stream.status === 'up', 'the live stream');
  return { controller, user: account };
}

const notices = (c: Controller) => c.state.notices.map((n) => n.text);

describe('the social features of the terminal client against a live server', () => {
  it('sends, accepts, declines and cancels friend requests, follows them live, removes, blocks and unblocks', async () => {
    const { controller: ann, user: annUser } = await loggedIn();
    const { controller: bob, user: bobUser } = await loggedIn();

    await ann.social.openFriends();
    expect(ann.screen).toBe('friends');
    expect(ann.social.state.friends).toEqual([]);
    // A refusal in the server's words.
    expect(await ann.social.sendFriendRequest(annUser.username)).toBe(false);
    expect(ann.state.status?.text).toBe('You cannot send a friend request to yourself.');
    expect(await ann.social.sendFriendRequest(uniqueName('nobody'))).toBe(false);
    expect(ann.state.status?.text).toBe('User not found.');

    expect(await ann.social.sendFriendRequest(bobUser.username)).toBe(true);
    expect(ann.state.status?.text).toBe(`Friend request sent to ${bobUser.username}.`);
    expect(ann.social.state.sent!.map((r) => r.receiver.username)).toEqual([bobUser.username]);

    // Bob: the notice says how to answer, the inbox has it, the menu counts it.
    await until(bob, () => bob.social.state.inbox.some((item) => item.kind === 'friend-request'), 'the request in the inbox');
    expect(notices(bob)).toContain(`${annUser.username} wants to be friends with you. (Ctrl+N: answer)`);
    await until(bob, () => bob.state.user!.notifications.friend_requests === 1, 'the menu count');
    bob.social.openInbox();
    expect(bob.screen).toBe('inbox');
    const item = bob.social.selectedInboxItem()!;
    expect(item).toMatchObject({ kind: 'friend-request', text: `${annUser.username} wants to be friends with you.` });
    expect(await bob.social.answerInboxRequest(item, true)).toBe(true);
    expect(bob.state.status?.text).toBe(`You and ${annUser.username} are friends now.`);
    expect(bob.social.state.inbox.find((entry) => entry.id === item.id)?.done).toBe('accepted');

    // Ann's lists follow live: bob is a friend, online, and no request is pending.
    await until(ann, () => ann.social.state.friends?.length === 1 && ann.social.state.sent?.length === 0, 'the friendship on ann\'s screen');
    expect(ann.social.state.friends![0].friend).toMatchObject({ username: bobUser.username, status: { is_online: true } });
    expect(notices(ann)).toContain(`${bobUser.username} has accepted your friend request.`);

    // Remove (asked first), live on bob's side.
    await bob.social.openFriends();
    expect(bob.social.state.friends!.map((f) => f.friend.username)).toEqual([annUser.username]);
    ann.social.ask('remove', ann.social.selectedFriend()!.id, bobUser.username);
    expect(ann.social.state.confirm?.text).toBe(`Remove ${bobUser.username} from your friends?`);
    expect(await ann.social.answer(true)).toBe(true);
    expect(ann.state.status?.text).toBe(`${bobUser.username} is no longer your friend.`);
    await until(bob, () => bob.social.state.friends?.length === 0, 'the friendship gone on bob\'s screen');

    // Declined, then cancelled.
    expect(await ann.social.sendFriendRequest(bobUser.username)).toBe(true);
    await until(bob, () => bob.social.state.received?.length === 1, 'the second request on bob\'s screen');
    expect(await bob.social.deleteRequest({ kind: 'received', request: bob.social.state.received![0] })).toBe(true);
    expect(bob.state.status?.text).toBe(`You declined ${annUser.username}'s friend request.`);
    await until(ann, () => ann.social.state.sent?.length === 0, 'the declined request gone');
    expect(await ann.social.sendFriendRequest(bobUser.username)).toBe(true);
    await until(bob, () => bob.social.state.received?.length === 1, 'the third request');
    expect(await ann.social.deleteRequest({ kind: 'sent', request: ann.social.state.sent![0] })).toBe(true);
    expect(ann.state.status?.text).toBe(`Friend request to ${bobUser.username} cancelled.`);
    await until(bob, () => bob.social.state.received?.length === 0, 'the cancelled request gone');

    // Block and unblock.
    ann.social.ask('block', bobUser.id, bobUser.username);
    expect(await ann.social.answer(true)).toBe(true);
    expect(ann.social.state.blocked!.map((b) => b.blocked.username)).toEqual([bobUser.username]);
    expect(await ann.social.sendFriendRequest(bobUser.username)).toBe(false);
    expect(ann.state.status?.text).toBe('You blocked this user.');
    expect(await ann.social.unblock(ann.social.state.blocked![0])).toBe(true);
    expect(ann.state.status?.text).toBe(`You unblocked ${bobUser.username}.`);
    expect(ann.social.state.blocked).toEqual([]);
    ann.social.back();
    expect(ann.screen).toBe('menu');
  });

  it('chats both ways live: unread counts, the open conversation follows the stream, the server refuses in words', async () => {
    const { controller: ann, user: annUser } = await loggedIn();
    const { controller: bob, user: bobUser } = await loggedIn();

    // Chats are for friends by default: the server says so.
    expect(await ann.social.chatWith(bobUser.username)).toBe(false);
    expect(ann.state.status?.text).toBe('This user does not accept new chat.');
    const sent = await api.post('/api/users/me/friend_requests/', { username: bobUser.username }, { token: (await api.post('/api/auth/login/', { username: annUser.username, password: annUser.password })).body.access });
    expect((await api.post(`/api/users/me/friend_requests/${sent.body.id}/`, undefined, { token: bobUser.access })).status).toBe(201);

    expect(await ann.social.chatWith(bobUser.username)).toBe(true);
    expect(ann.screen).toBe('chat');
    expect(ann.social.state.conversation!.chat.chat_with.username).toBe(bobUser.username);
    expect(ann.social.setDraft('hi bob, wanna play?')).toBe(true);
    expect(await ann.social.send()).toBe(true);
    expect(ann.social.state.conversation!.draft).toBe('');
    expect(ann.social.state.conversation!.messages.map((m) => m.content)).toEqual(['hi bob, wanna play?']);

    // Bob is on the menu: a notice, an inbox entry, the unread count.
    await until(bob, () => notices(bob).includes(`${annUser.username}: hi bob, wanna play?`), 'the message notice');
    expect(bob.state.user!.notifications.chats).toBe(1);
    await bob.social.openChats();
    expect(bob.social.state.chats!.map((c) => [c.chat_with.username, c.unread_messages])).toEqual([[annUser.username, 1]]);
    await bob.social.openConversation(bob.social.selectedChat()!);
    expect(bob.social.state.conversation!.messages.map((m) => m.content)).toEqual(['hi bob, wanna play?']);
    // Read: the menu's count goes back to 0.
    await until(bob, () => bob.state.user!.notifications.chats === 0, 'the unread count read');

    // Both conversations open: each message shows on the other side as it comes.
    bob.social.setDraft('sure — send me a code');
    expect(await bob.social.send()).toBe(true);
    await until(ann, () => ann.social.state.conversation!.messages.some((m) => m.content === 'sure — send me a code'), 'bob\'s answer on ann\'s screen');
    ann.social.setDraft('1234');
    expect(await ann.social.send()).toBe(true);
    await until(bob, () => bob.social.state.conversation!.messages.some((m) => m.content === '1234'), 'ann\'s message on bob\'s screen');
    expect(bob.social.state.conversation!.messages.map((m) => m.content)).toEqual(['hi bob, wanna play?', 'sure — send me a code', '1234']);
    // Seen on the open conversation: nothing unread, no notice.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await api.get('/api/users/me/', { token: bobUser.access })).body.notifications.chats).toBe(0);
    expect(notices(bob)).not.toContain(`${annUser.username}: 1234`);

    // The limit: typing stops at 2000 characters; a longer text reaching the server gets its own sentence.
    expect(ann.social.setDraft('x'.repeat(2001))).toBe(false);
    expect(ann.state.status?.text).toBe('A message is at most 2000 characters.');
    ann.social.state = { ...ann.social.state, conversation: { ...ann.social.state.conversation!, draft: 'y'.repeat(2001) } };
    expect(await ann.social.send()).toBe(false);
    expect(ann.state.status?.text).toMatch(/2000/);
    expect(ann.state.status?.text).not.toMatch(/\(\d{3}\)/);
    ann.social.setDraft('   ');
    expect(await ann.social.send()).toBe(false);
    expect(ann.state.status?.text).toBe('Type a message first.');

    // Back: the conversation goes to the list, the list to the menu.
    ann.social.back();
    await until(ann, () => ann.screen === 'chats' && ann.social.state.chats !== null, 'the conversations');
    ann.social.back();
    expect(ann.screen).toBe('menu');
  });

  it('joins the lobby of an invitation from the inbox (the notice gives the code)', async () => {
    const { controller: ann, user: annUser } = await loggedIn();
    const inviter = await player(server, api);
    const sent = await api.post('/api/users/me/friend_requests/', { username: annUser.username }, { token: inviter.access });
    expect(sent.status).toBe(201);
    await until(ann, () => ann.social.state.inbox.some((item) => item.requestId === sent.body.id), 'the request');
    expect(await ann.social.answerInboxRequest(ann.social.state.inbox.find((item) => item.requestId === sent.body.id)!, true)).toBe(true);

    const lobby = await api.post('/api/play/lobby/', { game_mode: 'custom_game', match_type: '1v1' }, { token: inviter.access });
    expect(lobby.status).toBe(201);
    expect((await api.post(`/api/play/lobby/${lobby.body.code}/invite/${annUser.id}/`, undefined, { token: inviter.access })).status).toBe(204);
    await until(ann, () => ann.social.pendingInvitations().length === 1, 'the invitation');
    expect(notices(ann)).toContain(`${inviter.username} has challenged you to a game — lobby ${lobby.body.code}. (Ctrl+N: answer)`);
    const invitation = ann.social.pendingInvitations()[0];
    expect(invitation).toMatchObject({ kind: 'lobby', code: lobby.body.code, text: `${inviter.username} has challenged you to a game.` });

    ann.social.openInbox();
    expect(await ann.social.activate(invitation)).toBe(true);
    expect(ann.screen).toBe('lobby');
    expect(ann.play.state.lobby?.code).toBe(lobby.body.code);
    expect(ann.social.pendingInvitations()).toEqual([]);
    expect(ann.social.state.inbox.find((item) => item.id === invitation.id)?.done).toBe('joined');
    expect((await api.get('/api/play/lobby/', { token: inviter.access })).body.participants.map((p: { id: number }) => p.id)).toContain(annUser.id);
    inviter.stream.close();
  });

  it('registers a guest (refusals in the server\'s words) and chooses a picture from the list, locked ones saying why', async () => {
    const guest = client();
    expect(await guest.guest()).toBe(true);
    await guest.social.openAccount();
    expect(guest.screen).toBe('account');
    const before = guest.social.state.pictures!;
    expect(before.find((p) => p.is_equiped)?.name).toBe('Guest');
    expect(guest.social.state.upgrade).toMatchObject({ username: guest.state.user!.username, focus: 0 });

    const name = uniqueName('cli');
    guest.social.setUpgrade({ username: name, password: 'short' });
    expect(await guest.social.registerGuest()).toBe(false);
    expect(guest.state.status?.text).toBe('This password is too short. It must contain at least 8 characters.');
    guest.social.setUpgrade({ password: 'Str0ng-Passw0rd!' });
    expect(await guest.social.registerGuest()).toBe(true);
    expect(guest.state.user).toMatchObject({ username: name, is_guest: false });
    expect(guest.state.status?.text).toBe(`Welcome, ${name}: this account is yours now (trophies, friends and chat).`);
    // Still the same session: a request with the new tokens works, and the live stream is still up.
    await guest.social.openFriends();
    expect(guest.social.state.friends).toEqual([]);
    expect(guest.state.stream.status).toBe('up');

    await guest.social.openAccount();
    const pictures = guest.social.state.pictures!;
    const register = pictures.findIndex((p) => p.name === 'Register');
    expect(pictures[register].unlock).toBe(true);
    guest.social.movePictures(register - guest.social.state.selected.pictures);
    expect(await guest.social.equipSelected()).toBe(true);
    expect(guest.state.status?.text).toBe('Your picture is now Register.');
    await until(guest, () => guest.state.user?.profile_picture.name === 'Register', 'the new picture');
    // The selection stays on the picture chosen.
    expect(guest.social.state.pictures![guest.social.state.selected.pictures].name).toBe('Register');
    const locked = guest.social.state.pictures!.findIndex((p) => !p.unlock);
    guest.social.movePictures(locked - guest.social.state.selected.pictures);
    expect(await guest.social.equipSelected()).toBe(false);
    expect(guest.state.status?.text).toBe(`This picture is locked: ${guest.social.state.pictures![locked].unlock_reason}`);
  });

  it('shows the trophies a ranked match gave on its end screen', { timeout: 60_000 }, async () => {
    const { controller: me, user } = await loggedIn();
    const opponent = await player(server, api);
    expect(await me.enterQueue('ranked')).toBe(true);
    expect((await api.post('/api/play/ranked/', undefined, { token: opponent.access })).status).toBe(201);
    await until(me, () => me.screen === 'game', 'the game');
    const match = me.game!.match;
    expect(match.game_mode).toBe('ranked');
    // The opponent never connects: after the room's connect deadline the match is recorded as a forfeit win.
    await pump(server.clock, 20_000, { until: () => me.screen === 'end' });
    expect(me.screen).toBe('end');
    await until(me, () => me.social.state.trophies?.matchId === match.id && me.social.state.trophies.total !== null, 'the trophies', 15_000);
    const { change, total } = me.social.state.trophies!;
    expect(change).toBeGreaterThan(0);
    expect(total).toBe((await api.get('/api/users/me/', { token: user.access })).body.trophies);

    const canvas = new Canvas(80, 24);
    const host = { controller: me, ui: { login: { server: '', username: '', password: '', focus: 0 }, menu: { index: 0 }, confirmLeave: false }, held: null as never, now: () => Date.now(), quit: () => {} } as ScreenHost;
    endScreen.render(canvas, host, { top: 2, height: 19, width: 80 });
    drawChrome(canvas, me, endScreen.hints(host));
    expect(canvas.text().join('\n')).toContain(`Trophies: +${change} (now ${total})`);
    me.back();
    opponent.stream.close();
  });
});

describe('a flooded conversation in the terminal client', () => {
  let flood: TestServer;
  beforeAll(async () => {
    flood = await startTestServer({ env: { CHAT_MESSAGES_PER_10_SECONDS: '10' } });
  });
  afterAll(async () => {
    await flood.close();
  });

  it('the 11th message within 10 s is refused in a sentence and stays typed; it goes once the window is over', async () => {
    const floodApi = new ApiClient(flood.publicUrl);
    const { controller: ann } = await loggedIn(undefined, flood);
    const bobUser = await registerUser(floodApi);
    expect((await floodApi.patch('/api/users/me/', { accept_chat_from: 'everyone' }, { token: bobUser.access })).status).toBe(200);
    expect(await ann.social.chatWith(bobUser.username)).toBe(true);
    flood.clock.advance(10_000 - (flood.clock.now() % 10_000));
    for (let n = 1; n <= 10; n++) {
      expect(ann.social.setDraft(`quick ${n}`)).toBe(true);
      expect(await ann.social.send()).toBe(true);
    }
    ann.social.setDraft('one too many');
    expect(await ann.social.send()).toBe(false);
    expect(ann.state.status?.text).toBe('Too many messages at once: wait a few seconds, then send it again.');
    expect(ann.social.state.conversation!.draft).toBe('one too many');
    flood.clock.advance(10_000);
    expect(await ann.social.send()).toBe(true);
    expect(ann.social.state.conversation!.messages.at(-1)!.content).toBe('one too many');
  });
});

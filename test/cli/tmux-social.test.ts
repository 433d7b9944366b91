import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, registerUser, type TestUser } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { bottomBar, CLI_ROOT, followRealTime, hasTmux, Tmux } from './tmux-harness.js';

/**
 * The social half of the terminal client in the real program, two of them
 * side by side in tmux (as tmux.test.ts runs one): a friend request sent and
 * accepted, a chat both ways, live; the too-small screen and back; the menu
 * after logging out. At 80 × 24, the smallest size the client works in.
 */
const harness = new Tmux('social');
const tmux = (...args: string[]) => harness.run(...args);
const ROOT = CLI_ROOT;
const screen = (session: string) => harness.screen(session);
const keys = (session: string, ...names: string[]) => harness.keys(session, ...names);
const type = (session: string, text: string) => harness.type(session, text);
/** The bottom bar's text (the key hints, with a status or not). */
const bar = (text: string) => ` ${bottomBar(text).trim()}`;
const waitFor = (session: string, patterns: RegExp[], what: string, timeoutMs?: number) => harness.waitFor(session, patterns, what, timeoutMs);
const start = (session: string, server: TestServer, user: TestUser, size = { x: 80, y: 24 }) => harness.launchClient(session, server, user, size.x, size.y);

if (!hasTmux) {
  describe('the social screens of the terminal client in a pseudo-terminal', () => {
    it.skip('SKIPPED: tmux is not installed (apt-get install -y tmux) — needed to drive the real program', () => {});
  });
} else {
  describe('the social screens of the terminal client in a pseudo-terminal (tmux)', () => {
    let server: TestServer;
    let stopClock = () => {};
    let api: ApiClient;

    beforeAll(async () => {
      server = await startTestServer();
      api = new ApiClient(server.publicUrl);
      stopClock = followRealTime(server);
    });
    afterAll(async () => {
      stopClock();
      harness.close();
      await server?.close();
    });

    it('two clients: a friend request sent and accepted, then a chat both ways, live; the too-small screen and back', { timeout: 240_000 }, async () => {
      const ann = await registerUser(api);
      const bob = await registerUser(api);
      start('ann', server, ann);
      start('bob', server, bob);
      await waitFor('ann', [new RegExp(`Hello ${ann.username}!`), /● live/], 'ann\'s menu', 60_000);
      await waitFor('bob', [new RegExp(`Hello ${bob.username}!`), /● live/], 'bob\'s menu', 60_000);

      // Ann: the friends screen, a to add, the name, Enter.
      keys('ann', 'f');
      await waitFor('ann', [/Friends \(0\) +Requests \(0 in · 0 out\) +Blocked \(0\)/, /No friends yet/], 'ann\'s friends screen');
      keys('ann', 'a');
      type('ann', bob.username);
      await waitFor('ann', [new RegExp(`Add a friend — username: ${bob.username}▏`)], 'the name typed');
      keys('ann', 'Enter');
      await waitFor('ann', [new RegExp(`Friend request sent to ${bob.username}\\.`), /Requests \(0 in · 1 out\)/], 'the request sent');

      // Bob: the notice says how to answer; Ctrl+N, y.
      const notified = await waitFor('bob', [new RegExp(`» ${ann.username} wants to be friends with you\\. \\(Ctrl\\+N: answer\\)`), /Friends — 1 request waiting {2}\(f\)/], 'the request on bob\'s side');
      expect(notified).not.toMatch(/\(\d{3}\)/);
      keys('bob', 'C-n');
      await waitFor('bob', [/Notifications — 1 to answer/, new RegExp(`▶ \\d\\d:\\d\\d {2}${ann.username} wants to be friends with you\\. +y accept · n decline`)], 'bob\'s notifications');
      keys('bob', 'y');
      await waitFor('bob', [new RegExp(`You and ${ann.username} are friends now\\.`)], 'the request accepted');

      // Ann's screen follows by itself: bob is a friend, online; the request is gone.
      const friends = await waitFor('ann', [/Friends \(1\) +Requests \(0 in · 0 out\)/, new RegExp(`▶ ${bob.username} +● online`)], 'the friendship on ann\'s screen');
      expect(friends).not.toMatch(/No friends yet/);
      expect(bar(friends)).toBe(' Enter chat · a add · x remove · b block · Tab lists · Esc back');

      // Ann: Enter on bob opens the conversation; she writes.
      keys('ann', 'Enter');
      await waitFor('ann', [new RegExp(`Conversation with ${bob.username} ● online`), /> ▏/], 'ann\'s conversation');
      type('ann', 'hi bob, wanna play?');
      keys('ann', 'Enter');
      await waitFor('ann', [/\d\d:\d\d you: hi bob, wanna play\?/, /> ▏/], 'the message sent');

      // Bob, on his notifications screen: the notice, then the conversations (1 unread) and the conversation.
      await waitFor('bob', [new RegExp(`» ${ann.username}: hi bob, wanna play\\?`)], 'the message notice');
      keys('bob', 'Escape');
      await waitFor('bob', [/Chat — 1 unread message {2}\(m\)/], 'the unread count on bob\'s menu');
      keys('bob', 'm');
      await waitFor('bob', [/Conversations — 1 · 1 unread/, new RegExp(`▶ ● ${ann.username} +1 unread +${ann.username}: hi bob, wanna play\\?`)], 'bob\'s conversations');
      keys('bob', 'Enter');
      await waitFor('bob', [new RegExp(`Conversation with ${ann.username} ● online`), new RegExp(`\\d\\d:\\d\\d ${ann.username}: hi bob, wanna play\\?`)], 'bob\'s conversation');
      type('bob', 'sure, send me a code');
      keys('bob', 'Enter');
      await waitFor('bob', [/\d\d:\d\d you: sure, send me a code/], 'bob\'s answer sent');
      // Live on ann's open conversation, and back again.
      await waitFor('ann', [new RegExp(`\\d\\d:\\d\\d ${bob.username}: sure, send me a code`)], 'bob\'s answer on ann\'s screen');
      type('ann', 'lobby 1234, see you there');
      keys('ann', 'Enter');
      const both = await waitFor('bob', [new RegExp(`\\d\\d:\\d\\d ${ann.username}: lobby 1234, see you there`)], 'ann\'s second message on bob\'s screen');
      const order = ['hi bob, wanna play?', 'you: sure, send me a code', 'lobby 1234, see you there'].map((text) => both.indexOf(text));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(bar(both)).toBe(' type · Enter send · PgUp/PgDn scroll · Esc back');

      // Too small: the window shrinks to 40 × 12, then 30 × 10 — a sentence, nothing cut off — and grows back.
      tmux('resize-window', '-t', 'ann', '-x', '40', '-y', '12');
      const tiny = await waitFor('ann', [/Make the window at least 80x24/, /\(it is 40x12 now\)/], 'the too-small screen');
      expect(tiny).not.toMatch(/Conversation with|PONG|────/);
      // A key typed meanwhile acts on nothing.
      keys('ann', 'x', 'Enter');
      tmux('resize-window', '-t', 'ann', '-x', '30', '-y', '10');
      await waitFor('ann', [/Make the window at least/, /80x24/, /\(it is 30x10 now\)/], 'the too-small screen at 30 × 10');
      tmux('resize-window', '-t', 'ann', '-x', '80', '-y', '24');
      const back = await waitFor('ann', [new RegExp(`Conversation with ${bob.username}`), /lobby 1234, see you there/, /> ▏/], 'the conversation again');
      expect(back).not.toMatch(/Make the window/);
      expect(bar(back)).toBe(' type · Enter send · PgUp/PgDn scroll · Esc back');

      keys('ann', 'C-q');
      keys('bob', 'C-q');
      expect(await waitFor('ann', [/EXITED \d+/], 'ann\'s program to exit')).toMatch(/EXITED 0/);
      expect(await waitFor('bob', [/EXITED \d+/], 'bob\'s program to exit')).toMatch(/EXITED 0/);
    });

    it('at 60 × 20 says the window is too small (no login buttons over the box border), and draws the whole box at 80 × 24', { timeout: 120_000 }, async () => {
      const user = await registerUser(api);
      const command = `node --import tsx src/cli/main.ts -s ${server.publicUrl} -k -u ${user.username}; echo "EXITED $?"; sleep 600`;
      tmux('new-session', '-d', '-s', 'small', '-x', '60', '-y', '20', '-c', ROOT, command);
      const small = await waitFor('small', [/Make the window at least 80x24/, /\(it is 60x20 now\)/], 'the too-small screen', 60_000);
      expect(small).not.toMatch(/\[ Quit \]/);
      tmux('resize-window', '-t', 'small', '-x', '80', '-y', '24');
      const login = await waitFor('small', [/Log in to play Pong/, /\[ Continue as guest \]/], 'the login screen');
      const buttons = login.split('\n').find((line) => line.includes('[ Log in ]'))!;
      expect(buttons).toMatch(/│ +\[ Log in \] \[ Register \] \[ Continue as guest \] \[ Quit \] +│/);
      keys('small', 'C-q');
      expect(await waitFor('small', [/EXITED \d+/], 'the program to exit')).toMatch(/EXITED 0/);
    });

    it('after logging out, the next session opens with Duel selected: a stray Enter searches, it does not log out again', { timeout: 120_000 }, async () => {
      const user = await registerUser(api);
      start('relog', server, user);
      await waitFor('relog', [new RegExp(`Hello ${user.username}!`), /● live/, /▶ Duel — play anyone/], 'the menu', 60_000);
      // `l` in the menu: "Log out" selected and run.
      keys('relog', 'l');
      await waitFor('relog', [/Log in to play Pong/, /Logged out\./], 'the login screen');
      // The username stays; the password is typed again (the focus is on "Log in", the password field above it).
      keys('relog', 'Up');
      type('relog', user.password);
      keys('relog', 'Enter');
      const menu = await waitFor('relog', [new RegExp(`Hello ${user.username}!`), /● live/], 'the menu again');
      expect(menu).toMatch(/▶ Duel — play anyone/);
      expect(menu).not.toMatch(/▶ Log out/);
      keys('relog', 'Enter');
      await waitFor('relog', [/Searching for an opponent \(duel\)/], 'the search (not a log out)');
      keys('relog', 'Escape');
      await waitFor('relog', [/Left the duel queue\./], 'the search cancelled');
      keys('relog', 'C-q');
      expect(await waitFor('relog', [/EXITED \d+/], 'the program to exit')).toMatch(/EXITED 0/);
    });
  });
}

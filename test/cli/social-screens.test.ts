import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/cli/app.js';
import { ApiError, errorText, normalizeServer } from '../../src/cli/api.js';
import { parseCliArgs, USAGE } from '../../src/cli/args.js';
import { Canvas } from '../../src/cli/canvas.js';
import { Controller, type ControllerState } from '../../src/cli/controller.js';
import { ErrorTexts, refusalText } from '../../src/cli/error-text.js';
import { GameSession } from '../../src/cli/game-client.js';
import type { Key } from '../../src/cli/keys.js';
import { accountScreen } from '../../src/cli/screens/account.js';
import { chatScreen, chatsScreen, messageLines } from '../../src/cli/screens/chat.js';
import { drawChrome, drawStatusLine } from '../../src/cli/screens/chrome.js';
import { endScreen } from '../../src/cli/screens/end.js';
import { friendsScreen } from '../../src/cli/screens/friends.js';
import { gameScreen } from '../../src/cli/screens/game.js';
import { inboxScreen } from '../../src/cli/screens/inbox.js';
import { wrap } from '../../src/cli/screens/kit.js';
import { loginScreen } from '../../src/cli/screens/login.js';
import { MENU_SIZE, menuScreen } from '../../src/cli/screens/menu.js';
import { profileScreen } from '../../src/cli/screens/profile.js';
import { queueScreen } from '../../src/cli/screens/queue.js';
import { drawTooSmall, MIN_COLUMNS, MIN_ROWS, tooSmall } from '../../src/cli/screens/too-small.js';
import type { ScreenHost, ScreenModule } from '../../src/cli/screens/types.js';
import { Social, type SocialHost } from '../../src/cli/social/social.js';
import { invitationText, trophyText } from '../../src/cli/social/texts.js';
import type { Chat, ChatMessage, Friendship, FriendRequest, MatchObject, Me, Picture } from '../../src/client/types.js';
import { ReplayRun } from '../../src/cli/replay.js';
import { historyScreen } from '../../src/cli/screens/history.js';
import { replayScreen } from '../../src/cli/screens/replay.js';
import { syntheticReplay } from './replay-doc.js';

/**
 * The social screens, the adaptive layout and the smaller defects of issue 19,
 * without a server: every screen drawn at the smallest size (80 × 24) and at
 * 200 × 60 as the app draws it (title bar, screen, notice and status lines).
 */

const ROOT = new URL('../../', import.meta.url).pathname;
const picture = { id: 1, name: 'Register', small: '/s.png', medium: '/m.png' };
const small = (id: number, username: string) => ({ id, username, profile_picture: picture });

function me(overrides: Partial<Me> = {}): Me {
  return {
    id: 7, username: 'ann', is_guest: false, created_at: '2026-12-01T10:00:00.000Z', profile_picture: picture, accept_friend_request: true,
    accept_chat_from: 'everyone', trophies: 212, notifications: { friend_requests: 1, chats: 2 }, is_online: true, last_online: '2026-12-05T10:00:00.000Z',
    ...overrides,
  } as Me;
}

function friendship(id: number, username: string, online: boolean, playing: string | null = null): Friendship {
  return {
    id, friend: { ...small(100 + id, username), trophies: 40 + id, status: { is_online: online, game_playing: playing, last_online: new Date(Date.now() - 300_000).toISOString() } },
    friend_wins: 1, me_wins: 2, friends_since: '2026-11-30T10:00:00.000Z', matches_played_against: 3, matches_played_together: 0, matches_won_together: 0,
  } as Friendship;
}

const request = (id: number, from: string, to: string): FriendRequest => ({ id, sender: small(200 + id, from), receiver: small(300 + id, to), send_at: new Date(Date.now() - 60_000).toISOString() }) as FriendRequest;

function message(id: number, author: { id: number; username: string }, content: string): ChatMessage {
  return { id, chat_id: 5, author: { ...author, profile_picture: picture }, content, is_read: true, sent_at: new Date().toISOString() } as ChatMessage;
}

const chat = (id: number, username: string, unread: number, last: ChatMessage | null): Chat => ({
  id, chat_with: { ...small(400 + id, username), status: { is_online: id % 2 === 1, last_online: null } }, last_message: last,
  created_at: '2026-12-01T10:00:00.000Z', last_updated: '2026-12-05T10:00:00.000Z', view_chat: true, unread_messages: unread,
}) as Chat;

const pictures: Picture[] = [
  { id: 1, name: 'Register', unlock_reason: 'Register user.', unlock: true, is_equiped: true, url: '', small: '', medium: '', large: '' },
  { id: 2, name: 'Guest', unlock_reason: 'Be a guest.', unlock: true, is_equiped: false, url: '', small: '', medium: '', large: '' },
  ...Array.from({ length: 21 }, (_, i) => ({ id: 3 + i, name: `Trophy ${i}`, unlock_reason: `Win ${i + 1} ranked games.`, unlock: false, is_equiped: false, url: '', small: '', medium: '', large: '' })),
];

/** A `Social` with data in it (no server: its host refuses every request). */
function social(user: Me): Social {
  const host: SocialHost = {
    api: () => { throw new Error('no server in this test'); },
    user: () => user, setUser: () => {}, screenName: () => 'menu', go: () => {}, setStatus: () => {}, notice: () => {}, changed: () => {},
    failure: (error) => ({ text: String(error), kind: 'error' }), joinByCode: async () => true, presenceRefreshMs: 0,
  };
  const s = new Social(host);
  const long = 'a message long enough to be wrapped over several lines of the conversation, to see that nothing is cut at the right edge of the screen';
  s.state = {
    ...s.state,
    friends: [friendship(1, 'bob', true), friendship(2, 'cid', true, '0427'), friendship(3, 'dan', false)],
    received: [request(11, 'eve', 'ann')], sent: [request(12, 'ann', 'fay')], blocked: [{ id: 21, blocked: small(500, 'gus'), blocked_at: '2026-12-01T10:00:00.000Z' } as never],
    chats: [chat(5, 'bob', 2, message(3, { id: 101, username: 'bob' }, 'hi, wanna play?')), chat(6, 'cid', 0, null)],
    conversation: {
      chat: chat(5, 'bob', 0, null), next: 'https://x/api/chat/5/messages/?limit=50&offset=50', loading: false, draft: 'see you', sending: false, scroll: 0,
      messages: [message(1, { id: 101, username: 'bob' }, 'hi'), message(2, { id: 7, username: 'ann' }, long), message(3, { id: 101, username: 'bob' }, 'hi, wanna play?')],
    },
    inbox: [
      { id: 1, at: Date.now() - 60_000, kind: 'friend-request', text: 'eve wants to be friends with you.', requestId: 11 },
      { id: 2, at: Date.now(), kind: 'lobby', text: 'bob has challenged you to a game.', code: '1234' },
    ],
    pictures,
  };
  return s;
}

interface Fake {
  host: ScreenHost;
  state: ControllerState;
}

function fake(screen: ControllerState['screen'], user: Me | null = me(), status: ControllerState['status'] = null): Fake {
  const state: ControllerState = {
    screen, server: 'https://localhost:4443', user, status, notices: [{ at: Date.now(), text: 'Live stream connected.', kind: 'info' }],
    stream: { status: 'up', error: null, retryAt: null, connections: 1 }, history: null,
  };
  const controller = {
    state, social: social(user ?? me()), play: { returnLabel: () => 'main menu' }, game: null as GameSession | null, replay: null,
    get screen() { return state.screen.name; },
  };
  const host: ScreenHost = {
    controller: controller as unknown as Controller,
    ui: { login: { server: state.server, username: 'ann', password: 'secret', focus: 3 }, menu: { index: 0 }, confirmLeave: false },
    held: null as never, now: () => Date.now(), quit: () => {},
  };
  return { host, state };
}

/** The whole terminal as the app draws it (each row without its trailing blanks). */
function draw(module: ScreenModule, host: ScreenHost, cols: number, rows: number): string[] {
  const canvas = new Canvas(cols, rows);
  if (tooSmall(cols, rows)) drawTooSmall(canvas);
  else {
    module.render(canvas, host, { top: 2, height: rows - 5, width: cols });
    drawChrome(canvas, host.controller, module.hints(host));
  }
  return canvas.text().map((line) => line.trimEnd());
}

const SIZES: Array<[number, number]> = [[MIN_COLUMNS, MIN_ROWS], [200, 60]];

/** The checks every screen passes at both sizes: the hints whole at the end of the bottom bar, nothing drawn past the area. */
function checkFrame(lines: string[], hints: string, cols: number): void {
  expect(lines.at(-1)!.trimEnd().endsWith(hints)).toBe(true);
  expect(hints.length).toBeLessThanOrEqual(cols - 2);
  expect(lines[0]).toMatch(/^ PONG · https:\/\/localhost:4443/);
}

const key = (name: Key['name'], ch?: string, extra: Partial<Key> = {}): Key => ({ name, ...(ch ? { ch } : {}), ...extra });

describe('every screen at the smallest size and at 200 × 60', () => {
  for (const [cols, rows] of SIZES) {
    it(`the social screens at ${cols} × ${rows}`, () => {
      const friends = fake({ name: 'friends' });
      let text = draw(friendsScreen, friends.host, cols, rows);
      checkFrame(text, friendsScreen.hints(friends.host), cols);
      let all = text.join('\n');
      expect(all).toMatch(/Friends \(3\) +Requests \(1 in · 1 out\) +Blocked \(1\)/);
      expect(all).toMatch(/▶ bob +● online +41 trophies {2}since 2026-11-30/);
      expect(all).toMatch(/cid +● playing \(game 0427\)/);
      expect(all).toMatch(/dan +○ offline · seen 5m ago/);
      friends.host.controller.social.selectTab('requests');
      all = draw(friendsScreen, friends.host, cols, rows).join('\n');
      expect(all).toMatch(/Received\n +▶ eve wants to be your friend · 1m ago/);
      expect(all).toMatch(/Sent\n +fay · waiting for an answer/);
      friends.host.controller.social.selectTab('blocked');
      expect(draw(friendsScreen, friends.host, cols, rows).join('\n')).toMatch(/▶ gus · blocked \d+d ago/);

      const chats = fake({ name: 'chats' });
      text = draw(chatsScreen, chats.host, cols, rows);
      checkFrame(text, chatsScreen.hints(chats.host), cols);
      expect(text.join('\n')).toMatch(/Conversations — 2 · 2 unread/);
      expect(text.join('\n')).toMatch(/▶ ● bob +2 unread +bob: hi, wanna play\?/);
      expect(text.join('\n')).toMatch(/○ cid +no message yet/);

      const conversation = fake({ name: 'chat' });
      text = draw(chatScreen, conversation.host, cols, rows);
      checkFrame(text, chatScreen.hints(conversation.host), cols);
      all = text.join('\n');
      expect(all).toMatch(/Conversation with bob ● online/);
      expect(all).toMatch(/\d\d:\d\d bob: hi\n/);
      expect(all).toMatch(/\d\d:\d\d bob: hi, wanna play\?/);
      expect(all).toMatch(/> see you▏/);
      // The long message is wrapped, whole: every word of it is on the screen.
      for (const word of 'right edge of the screen'.split(' ')) expect(all).toContain(word);
      const inputRow = text.findIndex((line) => line.includes('> see you'));
      expect(inputRow).toBe(rows - 4);

      const inbox = fake({ name: 'inbox' });
      text = draw(inboxScreen, inbox.host, cols, rows);
      checkFrame(text, inboxScreen.hints(inbox.host), cols);
      expect(text.join('\n')).toMatch(/Notifications — 2 to answer/);
      expect(text.join('\n')).toMatch(/▶ \d\d:\d\d {2}bob has challenged you to a game\. +join lobby 1234/);
      expect(text.join('\n')).toMatch(/eve wants to be friends with you\. +y accept · n decline/);

      const account = fake({ name: 'account' });
      account.host.controller.social.setUpgrade({ focus: 3 });
      text = draw(accountScreen, account.host, cols, rows);
      checkFrame(text, accountScreen.hints(account.host), cols);
      all = text.join('\n');
      expect(all).toMatch(/Profile picture — 2 of 23 unlocked/);
      expect(all).toMatch(/▶ ✔ Register +in use/);
      expect(all).toMatch(/ {2}Guest +unlocked — Enter: use it/);
      expect(all).toMatch(/× Trophy 0 +locked — Win 1 ranked games\./);

      const guest = fake({ name: 'account' }, me({ is_guest: true, username: 'Guest123456' }));
      guest.host.controller.social.setUpgrade({ username: 'Guest123456', password: 'pw', focus: 0 });
      text = draw(accountScreen, guest.host, cols, rows);
      checkFrame(text, accountScreen.hints(guest.host), cols);
      all = text.join('\n');
      expect(all).toMatch(/Username: Guest123456▏/);
      expect(all).toMatch(/Password: ••/);
      expect(all).toMatch(/\[ Register \]/);
    });

    it(`the other screens at ${cols} × ${rows}: login box whole, every menu item, profile, queue, game field and end screen`, () => {
      const login = fake({ name: 'login', busy: null }, null);
      let text = draw(loginScreen, login.host, cols, rows);
      checkFrame(text, loginScreen.hints(login.host), cols);
      const buttons = text.find((line) => line.includes('[ Log in ]'))!;
      // The buttons are inside the box, its right border intact.
      expect(buttons).toMatch(/│ +\[ Log in \] \[ Register \] \[ Continue as guest \] \[ Quit \] +│/);

      const menu = fake({ name: 'menu' });
      text = draw(menuScreen, menu.host, cols, rows);
      checkFrame(text, menuScreen.hints(menu.host), cols);
      const all = text.join('\n');
      for (const label of ['Duel — play anyone', 'Friends — 1 request waiting  (f)', 'Chat — 2 unread messages  (m)', 'Notifications and invitations — 1 invitation  (i)', 'Account and picture  (a)', 'Log out  (l)', 'Quit  (q)']) {
        expect(all).toContain(label);
      }
      expect(text.filter((line) => /\((\w)\)\s*$/.test(line.trimEnd())).length).toBe(MENU_SIZE);

      const profile = fake({ name: 'profile', profile: { me: me(), stats: [], ranked: [{ id: 1, trophies: 12, total_trophies: 212, at: '2026-12-05T10:00:00.000Z', user: 7 }] } });
      text = draw(profileScreen, profile.host, cols, rows);
      checkFrame(text, profileScreen.hints(profile.host), cols);
      expect(text.join('\n')).toMatch(/\+12 → 212 trophies/);

      const queue = fake({ name: 'queue', mode: 'duel', since: Date.now(), entered: true, suspended: false });
      text = draw(queueScreen, queue.host, cols, rows);
      checkFrame(text, queueScreen.hints(queue.host), cols);

      // The game: the field's frame whole, both paddles inside it.
      const game = fake({ name: 'game' });
      const session = new GameSession({
        baseUrl: 'https://localhost:4443', token: async () => 'x', myId: 7, onChange: () => {},
        match: { id: 9, code: '0427', game_mode: 'ranked', match_type: '1v1', teams: { a: { players: [{ id: 7, username: 'ann' }] }, b: { players: [{ id: 8, username: 'bob' }] } } },
      });
      (game.host.controller as unknown as { game: GameSession }).game = session;
      session.model.handle({ event: 'start_game', data: null }, 0);
      text = draw(gameScreen, game.host, cols, rows);
      checkFrame(text, gameScreen.hints(game.host), cols);
      const top = text.findIndex((line) => /┌─+┐/.test(line));
      const bottom = text.findIndex((line) => /└─+┘/.test(line));
      expect(top).toBeGreaterThan(0);
      expect(bottom).toBeGreaterThan(top);
      expect(bottom).toBeLessThan(rows - 3);
      const field = text.slice(top + 1, bottom).join('\n');
      expect(field.match(/█/g)!.length).toBeGreaterThanOrEqual(2);
      for (const line of text.slice(top, bottom + 1)) expect(line.trimEnd()).toMatch(/[┐│┘]$/);

      // The match history and a replay (replay.test.ts checks them closely at 80 × 24).
      const played = {
        id: 42, code: 'm42', created_at: '2026-12-05T14:03:00.000Z', finished: true, finish_reason: 'normal-end', forfeited_by: null, game_duration: '0:01:40',
        game_mode: 'duel', match_type: '1v1', winner: 'a', looser: 'b', tournament_n: null, tournament_stage_id: null, field_score: { a: 3, b: 1 },
        teams: { a: { score: 3, players: [{ id: 7, username: 'ann', score: 3 }] }, b: { score: 1, players: [{ id: 9, username: 'bob', score: 1 }] } },
      } as unknown as MatchObject;
      const history = fake({ name: 'history' });
      history.state.history = { matches: [played], count: 1, next: null, loading: false, selected: 0 };
      text = draw(historyScreen, history.host, cols, rows);
      checkFrame(text, historyScreen.hints(history.host), cols);
      expect(text.join('\n')).toMatch(/▶ 2026-12-05 \d\d:\d\d {2}duel +bob +3 – 1 {2}won/);
      const replay = fake({ name: 'replay', match: played, load: 'ready' });
      const run = new ReplayRun(syntheticReplay({ seed: 1234 }), 7);
      run.seekTo(4);
      (replay.host.controller as unknown as { replay: ReplayRun }).replay = run;
      text = draw(replayScreen, replay.host, cols, rows);
      checkFrame(text, replayScreen.hints(replay.host), cols);
      const timeline = text.findIndex((line) => /^ [▶‖■] 1x\s+0:04 [━─◆●]+ \d:\d\d {2}\d – \d$/.test(line));
      expect(timeline).toBe(rows - 4);
      expect(text.findIndex((line) => /└─+┘/.test(line))).toBeLessThan(timeline);
    });
  }
});

describe('the terminal too small', () => {
  it(`says "make the window at least ${MIN_COLUMNS}x${MIN_ROWS}" below it, whatever the size, with nothing of the screen cut off`, () => {
    expect(tooSmall(79, 24)).toBe(true);
    expect(tooSmall(80, 23)).toBe(true);
    expect(tooSmall(80, 24)).toBe(false);
    for (const [cols, rows] of [[40, 12], [30, 10], [60, 20], [79, 40], [12, 3]] as const) {
      const canvas = new Canvas(cols, rows);
      drawTooSmall(canvas);
      const all = canvas.text().join(' ').replace(/\s+/g, ' ');
      expect(all).toContain('Make the window at least');
      if (rows >= 6) expect(all).toContain(`(it is ${cols}x${rows} now)`);
      expect(all).not.toMatch(/PONG|Duel|█/);
    }
  });

  const apps: App[] = [];
  afterEach(() => {
    for (const instance of apps.splice(0)) instance.quit();
  });

  /** The real app on a terminal that can be resized (the controller is real; no server is called). */
  function app(cols: number, rows: number) {
    const terminal = {
      columns: cols, rows, frames: [] as string[][], key: null as ((k: Key) => void) | null, resized: null as (() => void) | null,
      onKey(listener: (k: Key) => void) { this.key = listener; }, onResized(listener: () => void) { this.resized = listener; },
      start() {}, stop() {}, draw(lines: string[]) { this.frames.push(lines.map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''))); },
    };
    const controller = new Controller({ server: 'https://127.0.0.1:9' });
    const instance = new App(controller, terminal as never, { fps: 30, holdMs: 150, onExit: () => {} });
    instance.start();
    apps.push(instance);
    return { terminal, controller, app: instance };
  }

  /** Logs the fake session in (no server: the state is set as a login leaves it). */
  function signIn(controller: Controller, user = me()): void {
    controller.state = { ...controller.state, user, screen: { name: 'menu' }, stream: { status: 'up', error: null, retryAt: null, connections: 1 } };
    (controller as unknown as { changed(): void }).changed();
  }

  it('at 40 × 12 shows the too-small screen (not a menu without Log out and Quit), and the whole menu once the window is 80 × 24 again', () => {
    const { terminal, controller, app: instance } = app(40, 12);
    signIn(controller);
    (instance as unknown as { draw(): void }).draw();
    let frame = terminal.frames.at(-1)!.join('\n');
    expect(frame).toContain('Make the window at least 80x24');
    expect(frame).not.toContain('Duel');
    // Keys act on nothing that cannot be seen (Enter would start a search, `l` log out).
    terminal.key!(key('char', 'l'));
    expect(controller.state.user).not.toBeNull();
    terminal.columns = 80;
    terminal.rows = 24;
    terminal.resized!();
    frame = terminal.frames.at(-1)!.join('\n');
    expect(frame).not.toContain('Make the window');
    expect(frame).toContain('Log out  (l)');
    expect(frame).toContain('Quit  (q)');
    expect(frame).toContain('▶ Duel — play anyone');
  });

  it('at 30 × 10 a game is not drawn with its paddles off screen: the too-small screen instead', () => {
    const { terminal, controller } = app(30, 10);
    signIn(controller);
    controller.state = { ...controller.state, screen: { name: 'game' } };
    (controller as unknown as { changed(): void }).changed();
    terminal.resized!();
    const frame = terminal.frames.at(-1)!.join('\n');
    expect(frame).toMatch(/Make the window at least\s+80x24/);
    expect(frame).not.toMatch(/[█┌└]/);
  });

  it('after logging out, the next session opens on the first item of the menu, not on "Log out"', () => {
    const { terminal, controller, app: instance } = app(80, 24);
    signIn(controller);
    const ui = (instance as unknown as { ui: ScreenHost['ui'] }).ui;
    // `l` in the menu selects "Log out" and logs out.
    ui.menu.index = MENU_SIZE - 2;
    void controller.logout();
    expect(controller.state.user).toBeNull();
    signIn(controller);
    (instance as unknown as { draw(): void }).draw();
    expect(ui.menu.index).toBe(0);
    expect(terminal.frames.at(-1)!.join('\n')).toContain('▶ Duel — play anyone');
  });
});

describe('errors in words a person reads, the key hints always whole', () => {
  it('words the server refusals: a failed login, session codes, throttling, server failures, guests; the server sentences otherwise', () => {
    expect(refusalText(401, { detail: 'No active account found with the given credentials' })).toBe('Wrong username or password.');
    expect(refusalText(401, { detail: 'Given token not valid for any token type.', code: 'token_not_valid' })).toBe(ErrorTexts.sessionExpired);
    expect(refusalText(401, { detail: 'You need to be connected to SSE to access this resource.', code: 'sse_connection_required' })).toBe(ErrorTexts.streamNotReady);
    expect(refusalText(429, { detail: 'Request was throttled.' })).toBe(ErrorTexts.throttled);
    expect(refusalText(500, { detail: 'A server error occurred.' })).toBe(ErrorTexts.serverProblem);
    expect(refusalText(503, { detail: 'Failed to connect to event-queue service.' })).toBe(ErrorTexts.serverUnavailable);
    expect(refusalText(502, null)).toBe(ErrorTexts.serverUnavailable);
    expect(refusalText(403, { detail: 'Guest users cannot perform this action.' })).toBe(ErrorTexts.guestsRefused);
    expect(refusalText(409, { detail: 'You are already friends with this user.' })).toBe('You are already friends with this user.');
    expect(refusalText(400, { content: ['must NOT have more than 2000 characters'] })).toBe('Content: must NOT have more than 2000 characters.');
    expect(refusalText(400, { kwargs: { name: 'Missing required kwargs.' } })).toBe('Name: Missing required kwargs.');
    expect(errorText({ username: ['This username already exists.'] })).toBe('This username already exists.');
    // Never a code in the text.
    for (const status of [400, 401, 403, 404, 409, 413, 429, 500, 503]) {
      const text = new ApiError(status, refusalText(status, { detail: 'x' })).message;
      expect(text).not.toMatch(/\(\d{3}\)|\(0\)|\(local\)/);
    }
    expect(new ApiError(0, 'connection refused').message).toBe('Cannot reach the server: connection refused');
  });

  it('keeps the hints whole on the bottom bar beside a long error, which shows whole on the row above', () => {
    const hints = '↑↓ Enter · d duel · r ranked · h history · p profile · q quit';
    const long = { text: 'This password is too short. It must contain at least 8 characters.', kind: 'error' as const };
    const f = fake({ name: 'menu' }, me(), long);
    const text = draw(menuScreen, f.host, 80, 24);
    expect(text[23].trim()).toBe(hints);
    expect(text[23].endsWith(hints)).toBe(true);
    expect(text[21].trim()).toBe(long.text);
    // The notice line keeps the latest notice.
    expect(text[22]).toMatch(/^ » Live stream connected\./);
    // A short one stands beside the hints.
    const canvas = new Canvas(80, 3);
    const short = '↑↓ select · Enter chat · Esc back';
    drawStatusLine(canvas, { text: 'Friend request sent to bob.', kind: 'info' }, short);
    expect(canvas.text()[2]).toBe(` Friend request sent to bob.${' '.repeat(80 - 2 - 27 - short.length)}${short} `);
  });
});

describe('the smaller defects', () => {
  it('refuses ht!tp://::bad and other malformed server addresses, on the command line and in the login form', () => {
    expect(() => normalizeServer('ht!tp://::bad')).toThrow(/not a scheme/);
    for (const bad of ['http://', 'ftp://x', 'exa mple.org', 'https://user:pw@host', 'https://host/path', 'a_b.c:12', 'host:99999', '']) {
      expect(() => normalizeServer(bad), bad).toThrow();
    }
    expect(normalizeServer('HTTPS://Example.org:4443/')).toBe('https://example.org:4443');
    expect(normalizeServer('[::1]:4443')).toBe('https://[::1]:4443');
    expect(() => parseCliArgs(['-s', 'ht!tp://::bad'], {})).toThrow(/invalid server address "ht!tp:\/\/::bad"/);
    const controller = new Controller({ server: 'https://127.0.0.1:9' });
    expect(controller.setServer('ht!tp://::bad')).toBe(false);
    expect(controller.state.status?.text).toMatch(/^Invalid server address ht!tp:\/\/::bad: /);
    expect(controller.state.server).toBe('https://127.0.0.1:9');
  });

  it('names the command `pong` in the help and the error messages, never `pong-cli`', { timeout: 60_000 }, () => {
    expect(USAGE).not.toContain('pong-cli');
    const run = (...args: string[]) => spawnSync('node', ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
    const bad = run('--bogus');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^pong: /);
    expect(bad.stderr).not.toContain('pong-cli');
    const server = run('-s', 'ht!tp://::bad');
    expect(server.status).toBe(2);
    expect(server.stderr).toMatch(/^pong: invalid server address "ht!tp:\/\/::bad"/);
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('pong [options]');
    expect(help.stdout).not.toContain('pong-cli');
  });

  it('shows the trophy change of a ranked match on its end screen', () => {
    const f = fake({ name: 'end' });
    const session = new GameSession({
      baseUrl: 'https://localhost:4443', token: async () => 'x', myId: 7, onChange: () => {},
      match: { id: 9, code: '0427', game_mode: 'ranked', match_type: '1v1', teams: { a: { players: [{ id: 7, username: 'ann' }] }, b: { players: [{ id: 8, username: 'bob' }] } } },
    });
    session.model.handle({ event: 'game_over', data: { reason: 'normal-end', winner: 'a', team_a: 3, team_b: 1 } }, 0);
    (f.host.controller as unknown as { game: GameSession }).game = session;
    expect(draw(endScreen, f.host, 80, 24).join('\n')).toContain('Trophies: counting…');
    f.host.controller.social.state = { ...f.host.controller.social.state, trophies: { matchId: 9, change: 12, total: 224 } };
    const text = draw(endScreen, f.host, 80, 24).join('\n');
    expect(text).toContain('VICTORY');
    expect(text).toContain('Trophies: +12 (now 224)');
    expect(trophyText({ change: -8, total: 204 })).toBe('Trophies: −8 (now 204)');
    expect(trophyText({ change: null, total: null })).toMatch(/not known yet/);
  });
});

describe('social pieces', () => {
  it('rewords the invitations and wraps messages to the width', () => {
    expect(invitationText('invite-1v1', 'alice has challenged you to a game.')).toBe('alice has challenged you to a game');
    expect(invitationText('invite-tournament', 'alice inviting you to join his tournament.')).toBe('alice invites you to their tournament');
    expect(invitationText('invite-3v3', 'bob inviting you to join an epic 3v3 friendly battle.')).toBe('bob invites you to an epic 3v3 friendly battle');
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    const lines = messageLines(message(1, { id: 8, username: 'bob' }, 'word '.repeat(30).trim()), 7, 40);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(line.text.length).toBeLessThanOrEqual(40);
  });

  it('drives the friends screen with its keys: tabs, selection, the add prompt, the questions', () => {
    const f = fake({ name: 'friends' });
    const s = f.host.controller.social;
    friendsScreen.key(key('down'), f.host);
    expect(s.selectedFriend()?.friend.username).toBe('cid');
    friendsScreen.key(key('char', 'x'), f.host);
    expect(s.state.confirm).toMatchObject({ action: 'remove', name: 'cid' });
    expect(friendsScreen.hints(f.host)).toBe('y yes · n no');
    friendsScreen.key(key('char', 'n'), f.host);
    expect(s.state.confirm).toBeNull();
    friendsScreen.key(key('char', 'a'), f.host);
    for (const ch of 'zoe') friendsScreen.key(key('char', ch), f.host);
    expect(s.state.prompt).toEqual({ purpose: 'add-friend', text: 'zoe' });
    expect(draw(friendsScreen, f.host, 80, 24).join('\n')).toContain('Add a friend — username: zoe▏');
    friendsScreen.key(key('escape'), f.host);
    expect(s.state.prompt).toBeNull();
    friendsScreen.key(key('tab'), f.host);
    expect(s.state.tab).toBe('requests');
    expect(friendsScreen.hints(f.host)).toBe('y accept · n decline · b block · a add · Tab lists · Esc back');
    friendsScreen.key(key('down'), f.host);
    expect(friendsScreen.hints(f.host)).toBe('x cancel · a add · Tab lists · Esc back');
    friendsScreen.key(key('left'), f.host);
    expect(s.state.tab).toBe('friends');
  });

  it('types the chat draft up to the server limit and no further', () => {
    const f = fake({ name: 'chat' });
    const s = f.host.controller.social;
    chatScreen.key(key('backspace'), f.host);
    chatScreen.key(key('char', '!'), f.host);
    expect(s.state.conversation!.draft).toBe('see yo!');
    expect(s.setDraft('x'.repeat(2000))).toBe(true);
    chatScreen.key(key('char', 'y'), f.host);
    expect(s.state.conversation!.draft.length).toBe(2000);
    expect(draw(chatScreen, f.host, 80, 24).join('\n')).toMatch(/2000\/2000/);
  });
});

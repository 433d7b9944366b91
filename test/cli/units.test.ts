import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ApiError, errorText, isConnectionError, networkReason, normalizeServer, tokenExpiry } from '../../src/cli/api.js';
import { parseCliArgs } from '../../src/cli/args.js';
import { Canvas } from '../../src/cli/canvas.js';
import { ConnectionTexts, readGameConfig, type Controller, type Screen } from '../../src/cli/controller.js';
import { LiveStream, type LiveEvent, type StreamState } from '../../src/cli/events.js';
import { drawBigNumber, drawField, fieldSize } from '../../src/cli/field.js';
import { HeldDirection } from '../../src/cli/input.js';
import { paddleDirectionOf, parseKeys } from '../../src/cli/keys.js';
import { drawStatusLine } from '../../src/cli/screens/chrome.js';
import { menuScreen } from '../../src/cli/screens/menu.js';
import { queueScreen } from '../../src/cli/screens/queue.js';
import type { ScreenHost } from '../../src/cli/screens/types.js';
import { GameModel } from '../../src/client/game-model.js';
import { ApiClient, memoryTokens } from '../../src/client/http.js';
import { GAME_CONFIG } from '../../src/game/engine/index.js';
import type { ClientEvent } from '../../src/game/protocol.js';

describe('keyboard decoding', () => {
  it('reads characters, control keys, arrows in both cursor modes, and editing keys', () => {
    expect(parseKeys('aW')).toEqual([{ name: 'char', ch: 'a' }, { name: 'char', ch: 'W' }]);
    expect(parseKeys('\x1b[A\x1bOB\x1b[C\x1b[D')).toEqual([{ name: 'up' }, { name: 'down' }, { name: 'right' }, { name: 'left' }]);
    expect(parseKeys('\r\t\x1b[Z\x7f \x1b[3~')).toEqual([
      { name: 'enter' }, { name: 'tab' }, { name: 'backtab' }, { name: 'backspace' }, { name: 'space', ch: ' ' }, { name: 'delete' },
    ]);
    expect(parseKeys('\x11\x07')).toEqual([{ name: 'char', ch: 'q', ctrl: true }, { name: 'char', ch: 'g', ctrl: true }]);
    expect(parseKeys('\x1b')).toEqual([{ name: 'escape' }]);
    expect(parseKeys('é')).toEqual([{ name: 'char', ch: 'é' }]);
  });

  it('reads the kitty protocol: modifiers, repeats and releases', () => {
    expect(parseKeys('\x1b[1;1:3A')).toEqual([{ name: 'up', release: true }]);
    expect(parseKeys('\x1b[1;1:2B')).toEqual([{ name: 'down', repeat: true }]);
    expect(parseKeys('\x1b[119;1:3u')).toEqual([{ name: 'char', ch: 'w', release: true }]);
    expect(parseKeys('\x1b[113;5u')).toEqual([{ name: 'char', ch: 'q', ctrl: true }]);
    expect(parseKeys('\x1b[27u')).toEqual([{ name: 'escape' }]);
  });

  it('maps Up/W and Down/S to paddle directions', () => {
    expect(parseKeys('\x1b[Aw\x1b[BSx').map(paddleDirectionOf)).toEqual([-1, -1, 1, 1, null]);
  });
});

describe('held paddle direction', () => {
  it('without key releases, a press holds for a while and repeats extend it', () => {
    const held = new HeldDirection(100, 300);
    held.press(-1, 0);
    expect(held.direction(250)).toBe(-1);
    held.press(-1, 250);
    expect(held.direction(340)).toBe(-1);
    expect(held.direction(351)).toBe(0);
    held.press(1, 400);
    held.press(-1, 410);
    expect(held.direction(420)).toBe(-1);
    held.stop();
    expect(held.direction(420)).toBe(0);
  });

  it('with key releases, holds until the release; both keys mean stop', () => {
    const held = new HeldDirection(100, 300);
    held.release(1, 'arrow');
    held.press(-1, 0, 'arrow');
    expect(held.direction(10_000)).toBe(-1);
    held.press(1, 10_000, 'arrow');
    expect(held.direction(10_001)).toBe(0);
    held.release(-1, 'arrow');
    expect(held.direction(10_002)).toBe(1);
  });

  it('keeps timed holds for keys that never report a release (letters when only arrows do)', () => {
    const held = new HeldDirection(100, 300);
    held.release(1, 'arrow');
    held.press(-1, 0, 'letter');
    expect(held.direction(299)).toBe(-1);
    expect(held.direction(300)).toBe(0);
  });
});

describe('the game model (engine interpolation)', () => {
  const sent: Array<{ event: ClientEvent; data: unknown }> = [];
  const model = (team: 'a' | 'b' = 'a') =>
    new GameModel({ perspective: { kind: 'player', myId: 7, myTeam: team }, send: (event, data) => { sent.push({ event, data }); } });

  it('moves the ball between snapshots with the shared engine, bouncing off the walls', () => {
    const game = model();
    game.handle({ event: 'canvas', data: { canvas_width: 1000, canvas_height: 600 } }, 0);
    game.handle({ event: 'game_state', data: { position_x: 490, position_y: 20, speed_x: 300, speed_y: -400, speed: 500 } }, 0);
    game.handle({ event: 'start_countdown', data: null }, 0);
    expect(game.frame(100).countdown).toBe(3);
    expect(game.frame(800).countdown).toBe(2);
    expect(game.frame(1400).countdown).toBe(1);
    expect(game.frame(1900).ball).toEqual({ x: 490, y: 20 });
    game.handle({ event: 'start_game', data: null }, 2000);
    const view = game.frame(2100);
    expect(view.ball!.x).toBeCloseTo(520, 5);
    // 0.1 s at −400 units/s from y = 20 crosses the top wall: reflected down.
    expect(view.ball!.y).toBeGreaterThan(0);
    expect(game.ball.speedY).toBeGreaterThan(0);
    // A snapshot overrides the prediction.
    game.handle({ event: 'game_state', data: { position_x: 600, position_y: 300, speed_x: 0, speed_y: 0, speed: 350 } }, 2100);
    expect(game.frame(2200).ball).toEqual({ x: 600, y: 300 });
  });

  it('moves my paddle from local input and tells the server; snaps the opponent to stop_moving', () => {
    sent.length = 0;
    const game = model();
    game.handle({ event: 'start_game', data: null }, 0);
    game.setInput(-1, 0);
    expect(game.frame(100).paddles.find((p) => p.mine)!.y).toBeCloseTo(150, 5);
    game.setInput(1, 100);
    game.setInput(0, 200);
    expect(sent.map((m) => m.event)).toEqual(['move_up', 'stop_moving', 'move_down', 'stop_moving']);
    expect(sent[0].data).toBeNull();
    expect((sent[1].data as { position: number }).position).toBeCloseTo(150, 6);
    expect((sent[3].data as { position: number }).position).toBeCloseTo(200, 6);
    game.handle({ event: 'move_up', data: { player: 9 } }, 200);
    expect(game.frame(300).paddles.find((p) => !p.mine)!.y).toBeCloseTo(150, 5);
    game.handle({ event: 'stop_moving', data: { player: 9, position: 123 } }, 300);
    expect(game.frame(400).paddles.find((p) => !p.mine)).toMatchObject({ x: 100, y: 123 });
    expect(game.frame(400).paddles.find((p) => p.mine)!.x).toBe(870);
  });

  it('reads scores and the winner from my team (team b sees the mirrored field)', () => {
    const game = model('b');
    game.handle({ event: 'score', data: { team_a: 2, team_b: 1 } }, 0);
    expect(game.score).toEqual({ me: 1, opponent: 2 });
    game.handle({ event: 'game_over', data: { reason: 'normal-end', winner: 'b', team_a: 2, team_b: 3 } }, 0);
    expect(game.score).toEqual({ me: 3, opponent: 2 });
    expect(game.won).toBe(true);
    expect(game.phase).toBe('over');
  });
});

describe('the field on a character grid', () => {
  it('uses the reference scale (7 units per column) on a big terminal, a smaller one on a small terminal', () => {
    expect(fieldSize(158, 54, 1000, 600)).toMatchObject({ cols: 143, rows: 40, unitsPerCol: 7 });
    const small = fieldSize(78, 17, 1000, 600);
    expect(small.cols).toBeLessThanOrEqual(78);
    expect(small.rows).toBeLessThanOrEqual(17);
  });

  it('draws both paddles, the ball and the frame with block characters', () => {
    const size = fieldSize(100, 30, 1000, 600);
    const canvas = new Canvas(size.cols + 2, size.rows + 2);
    const layout = new GameModel({ perspective: { kind: 'player', myId: 1, myTeam: 'a' } }).layout;
    drawField(canvas, 0, 0, size, {
      layout, ball: { x: 490, y: 290 }, countdown: null,
      paddles: [{ x: 870, y: 200, side: 'right', mine: true }, { x: 100, y: 200, side: 'left', mine: false }],
    });
    const text = canvas.text();
    expect(text[0]).toMatch(/^┌─+┐$/);
    expect(text.at(-1)).toMatch(/^└─+┘$/);
    const middle = text[Math.floor(text.length / 2)];
    expect(middle.match(/█+/g)!.length).toBeGreaterThanOrEqual(2);
    const styled = canvas.lines().join('\n');
    expect(styled).toContain('\x1b[0;34m');
    expect(styled).toContain('\x1b[0;31m');
    expect(styled).toMatch(/\x1b\[0;1;33m[▀▄█]/);
  });

  it('draws large digits', () => {
    const canvas = new Canvas(8, 3);
    drawBigNumber(canvas, 0, 0, 10, '');
    expect(canvas.text()).toEqual(['▄█  █▀█ ', ' █  █ █ ', '▀▀▀ ▀▀▀ ']);
  });
});

describe('small parts', () => {
  it('parses the command line', () => {
    expect(parseCliArgs([], {})).toMatchObject({ server: 'https://localhost:4443', insecure: false, auto: null, fps: 30 });
    expect(parseCliArgs(['-s', 'example.org:4443', '-k', '-u', 'ann', '-p', 'pw', '--login', '--fps', '20'], {}))
      .toMatchObject({ server: 'example.org:4443', insecure: true, username: 'ann', password: 'pw', auto: 'login', fps: 20 });
    expect(parseCliArgs(['--guest'], { PONG_PASSWORD: 'x' })).toMatchObject({ auto: 'guest', password: 'x' });
    expect(() => parseCliArgs(['--login'], {})).toThrow(/needs --user and --password/);
    expect(() => parseCliArgs(['--bogus'], {})).toThrow();
  });

  it('normalizes server addresses and reads error bodies', () => {
    expect(normalizeServer('localhost:4443')).toBe('https://localhost:4443');
    expect(normalizeServer('https://127.0.0.1:1234/')).toBe('https://127.0.0.1:1234');
    expect(() => normalizeServer('ftp://x')).toThrow();
    expect(errorText({ detail: 'You are already in a game.' })).toBe('You are already in a game.');
    expect(errorText({ username: ['A user with that username already exists.'] })).toBe('A user with that username already exists.');
    expect(errorText({ password: ['This field is required.'] })).toBe('Password: This field is required.');
    expect(errorText({ non_field_errors: ['No active account found with the given credentials'] })).toBe('No active account found with the given credentials');
    expect(errorText({ detail: 'Given token not valid for any token type.', code: 'token_not_valid' })).toBe('Your session has expired — log in again (Ctrl+L).');
    expect(new ApiError(409, 'You are already in a game.').message).toBe('You are already in a game.');
    // No answer at all: words, not a `(0)`.
    expect(new ApiError(0, networkReason(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).message).toBe('Cannot reach the server: connection refused');
    expect(networkReason(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('connection reset');
    // A browser's timeout is a DOMException whose code is a number (23): read, not thrown on.
    expect(networkReason(new DOMException('The operation timed out.', 'TimeoutError'))).toBe('timed out');
    expect(networkReason(new DOMException('The user aborted a request.', 'AbortError'))).toBe('The user aborted a request.');
    expect(isConnectionError(new ApiError(0, 'timed out'))).toBe(true);
    expect(isConnectionError(new ApiError(401, 'You need to be connected to SSE to access this resource.', 'sse_connection_required'))).toBe(true);
    expect(isConnectionError(new ApiError(409, 'You are already in a game.'))).toBe(false);
    const exp = Math.floor(Date.now() / 1000) + 60;
    expect(tokenExpiry(`x.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.y`)).toBe(exp * 1000);
    expect(tokenExpiry('garbage')).toBeNull();
  });

  it('reads the live stream split anywhere (CRLF, comments, multi-line data, UTF-8) and resumes with Last-Event-ID', async () => {
    const resumedFrom: Array<string | undefined> = [];
    const server = createServer(async (request, response) => {
      resumedFrom.push(request.headers['last-event-id'] as string | undefined);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (resumedFrom.length > 1) {
        response.write('event: ping\ndata: {}\n\n');
        return;
      }
      const body = Buffer.from([
        ': hello\r\nevent: ping\r\ndata: {}\r\n\r\n',
        'id: 7\r\nevent: game-start\r\ndata: {"message":\r\ndata: "Ready? ✓ é"}\r\n\r\n',
        'event: ping\rdata: {}\r\r',
        'id: 8\ndata: {"type":"plain"}\n\n',
      ].join(''));
      // Two bytes at a time: lines, CRLFs and the three-byte ✓ are cut in two.
      for (let i = 0; i < body.length; i += 2) {
        response.write(body.subarray(i, i + 2));
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const api = new ApiClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tokens: memoryTokens({ access: 'token', refresh: 'token' }) });
    const events: LiveEvent[] = [];
    let state = null as StreamState | null;
    const stream = new LiveStream({
      api, onEvent: (event) => events.push(event), onState: (s) => { state = s; }, retryDelaysMs: [10], idleTimeoutMs: 0,
    });
    try {
      stream.start();
      const deadline = Date.now() + 5000;
      while (!(resumedFrom.length === 2 && state?.status === 'up') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(events).toEqual([
        { event: 'game-start', id: '7', envelope: { message: 'Ready? ✓ é' } },
        { event: 'message', id: '8', envelope: { type: 'plain' } },
      ]);
      // The server closed the stream: the client came back on its own, from the last id it saw.
      expect(resumedFrom).toEqual([undefined, '8']);
      expect(state).toMatchObject({ status: 'up', connections: 2 });
    } finally {
      stream.stop();
      server.closeAllConnections();
      server.close();
    }
  });

  it('accepts the server game configuration and falls back on anything else', () => {
    expect(readGameConfig(JSON.parse(JSON.stringify(GAME_CONFIG)))).toEqual(GAME_CONFIG);
    expect(readGameConfig({ canvas: {} })).toBeNull();
    expect(readGameConfig(null)).toBeNull();
  });
});

describe('the status line and the screens while the connection is lost', () => {
  const MENU_HINTS = '↑↓ Enter · h history · p profile · Ctrl+R retry now · q quit';

  it('keeps the key hints whole on the right; a long status is cut instead', () => {
    const canvas = new Canvas(120, 3);
    drawStatusLine(canvas, { text: ConnectionTexts.lost, kind: 'error' }, MENU_HINTS);
    const line = canvas.text()[2];
    expect(line.startsWith(` ${ConnectionTexts.lost}`)).toBe(true);
    expect(line.endsWith(`${MENU_HINTS} `)).toBe(true);

    const narrow = new Canvas(80, 3);
    drawStatusLine(narrow, { text: ConnectionTexts.searchSuspended, kind: 'error' }, 'Esc/c cancel · Ctrl+R retry now · Ctrl+Q quit');
    // Too long to stand beside the hints: the bar keeps the hints whole (the chrome shows the status on the row above).
    const cut = narrow.text()[2];
    expect(cut.trim()).toBe('Esc/c cancel · Ctrl+R retry now · Ctrl+Q quit');
    expect(cut.endsWith('Esc/c cancel · Ctrl+R retry now · Ctrl+Q quit ')).toBe(true);

    // Too narrow for both: the hints stay (the chrome shows the status whole above the bar).
    const tiny = new Canvas(40, 3);
    drawStatusLine(tiny, { text: ConnectionTexts.lost, kind: 'error' }, MENU_HINTS);
    expect(tiny.text()[2]).toMatch(/^ ↑↓ Enter · h history · p profile · Ct… $/);
  });

  function host(screen: Screen, stream: Controller['state']['stream']): ScreenHost {
    const controller = { state: { screen, stream, user: { username: 'ann', id: 3, is_guest: false, trophies: 0, notifications: { friend_requests: 0, chats: 0 } } } };
    return { controller: controller as unknown as Controller, ui: { login: { server: '', username: '', password: '', focus: 0 }, menu: { index: 0 }, confirmLeave: false }, held: null as never, now: () => 0, quit: () => {} };
  }
  const down = { status: 'down' as const, error: 'connection refused', retryAt: Date.now() + 1000, connections: 1 };
  const up = { status: 'up' as const, error: null, retryAt: null, connections: 1 };

  it('shows a suspended search without a spinner or a clock, and a running one with both', () => {
    const suspended = host({ name: 'queue', mode: 'duel', since: Date.now() - 65_000, entered: false, suspended: true }, down);
    const canvas = new Canvas(120, 30);
    queueScreen.render(canvas, suspended, { top: 2, height: 25, width: 120 });
    const text = canvas.text().join('\n');
    expect(text).toContain('Search suspended (duel): the connection to the server is lost');
    expect(text).toContain('The search starts again by itself once the connection is back.');
    expect(text).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|Searching|\d:\d\d/);
    expect(queueScreen.hints(suspended)).toBe('Esc/c cancel · Ctrl+R retry now · Ctrl+Q quit');

    const searching = host({ name: 'queue', mode: 'duel', since: Date.now() - 65_000, entered: true, suspended: false }, up);
    const again = new Canvas(120, 30);
    queueScreen.render(again, searching, { top: 2, height: 25, width: 120 });
    expect(again.text().join('\n')).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Searching for an opponent \(duel\)… 1:0\d/);
    expect(queueScreen.hints(searching)).toBe('Esc/c cancel the search · Ctrl+Q quit');
  });

  it('says on the menu that the searches wait for the connection', () => {
    const menu = host({ name: 'menu' }, down);
    const canvas = new Canvas(120, 30);
    menuScreen.render(canvas, menu, { top: 2, height: 25, width: 120 });
    expect(canvas.text().join('\n')).toContain('Connection to the server lost — reconnecting… Duel and Ranked are back with it.');
    expect(menuScreen.hints(menu)).toBe(MENU_HINTS);
    expect(menuScreen.hints(host({ name: 'menu' }, up))).toBe('↑↓ Enter · d duel · r ranked · h history · p profile · q quit');
  });
});

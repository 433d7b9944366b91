import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../src/game/bot/index.js';
import { ApiClient } from '../support/http.js';
import { player } from '../support/play.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { TcpProxy } from '../support/tcp-proxy.js';

/**
 * The real program (`node --import tsx src/cli/main.ts`) in a pseudo-terminal:
 * tmux runs it in a detached 120 × 40 window, `send-keys` types, and
 * `capture-pane` reads the screen.
 */
const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
const SOCKET = `pong-cli-test-${process.pid}`;
let SESSION = 'cli';
const ROOT = new URL('../../', import.meta.url).pathname;

function tmux(...args: string[]): string {
  const result = spawnSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

const screen = () => tmux('capture-pane', '-p', '-t', SESSION);
const keys = (...names: string[]) => tmux('send-keys', '-t', SESSION, ...names);

/** Polls the screen until it matches every pattern; returns it. */
async function waitForScreen(patterns: RegExp[], what: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = screen();
    if (patterns.every((p) => p.test(last))) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen shows:\n${last}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

if (!hasTmux) {
  describe('the terminal client in a pseudo-terminal', () => {
    it.skip('SKIPPED: tmux is not installed (apt-get install -y tmux) — needed to drive the real program', () => {});
  });
} else {
  describe('the terminal client in a pseudo-terminal (tmux)', () => {
    let server: TestServer;
    let ticking: NodeJS.Timeout;

    beforeAll(async () => {
      server = await startTestServer();
      // The server's clock follows real time (by the time elapsed, at most 50 ms a step), so the live
      // stream pings and games run as in production, even on a loaded machine.
      let last = Date.now();
      ticking = setInterval(() => {
        const now = Date.now();
        server.clock.advance(Math.min(50, Math.max(1, now - last)));
        last = now;
      }, 20);
    });
    afterAll(async () => {
      clearInterval(ticking);
      spawnSync('tmux', ['-L', SOCKET, 'kill-server'], { stdio: 'ignore' });
      rmSync(join(process.env.TMUX_TMPDIR ?? tmpdir(), `tmux-${process.getuid?.() ?? 0}`, SOCKET), { force: true });
      await server?.close();
    });

    it('logs in as a guest, enters the duel queue, shows the waiting state, cancels, and quits', { timeout: 180_000 }, async () => {
      SESSION = 'queue';
      const command = `node --import tsx src/cli/main.ts --server ${server.publicUrl} --insecure; echo "EXITED $?"; sleep 600`;
      tmux('new-session', '-d', '-s', SESSION, '-x', '120', '-y', '40', '-c', ROOT, command);

      const login = await waitForScreen([/Log in to play Pong/, /\[ Continue as guest \]/], 'the login screen', 60_000);
      expect(login).toContain(`Server:    ${server.publicUrl}`);
      expect(login).toMatch(/Username:/);
      expect(login).toMatch(/Password:/);

      // Focus starts on Username: Password, Log in, Register, then Continue as guest.
      keys('Tab', 'Tab', 'Tab', 'Tab', 'Enter');
      const menu = await waitForScreen([/Hello Guest\w*!/, /● live/, /Duel — play anyone/], 'the main menu');
      expect(menu).toMatch(/Live stream connected\./);
      const userId = Number(/User #(\d+) · guest/.exec(menu)![1]);
      expect(userId).toBeGreaterThan(0);

      keys('Enter');
      const waiting = await waitForScreen([/Searching for an opponent \(duel\)… \d+:\d\d/, /Esc or c: cancel/], 'the waiting state');
      expect(waiting).toMatch(/Esc\/c cancel the search/);
      await expect.poll(() => server.platform.play.queues.entryOf(userId), { timeout: 10_000 }).toMatchObject({ game_mode: 'duel' });

      keys('Escape');
      const back = await waitForScreen([/Left the duel queue\./, /Hello Guest\w*!/], 'the menu after cancelling');
      expect(back).not.toMatch(/Searching for an opponent/);
      expect(await server.platform.play.queues.entryOf(userId)).toBeNull();

      keys('C-q');
      const exited = await waitForScreen([/EXITED \d+/], 'the program to exit');
      expect(exited).toMatch(/EXITED 0/);
      // The alternate screen is gone: the shell's screen is back, without the client's frames.
      expect(exited).not.toMatch(/PONG ·/);
    });

    it('suspends the search while the server is gone, says so, and searches again once the live stream is back', { timeout: 120_000 }, async () => {
      SESSION = 'outage';
      // The program talks to the server through a TCP proxy that the test stops (reset, then refused) and restores.
      const proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(server.publicUrl).port) });
      try {
        const command = `node --import tsx src/cli/main.ts -s https://127.0.0.1:${proxy.port} -k --guest; echo "EXITED $?"; sleep 600`;
        tmux('new-session', '-d', '-s', SESSION, '-x', '120', '-y', '40', '-c', ROOT, command);
        const menu = await waitForScreen([/Hello Guest\w*!/, /● live/], 'the main menu', 60_000);
        const userId = Number(/User #(\d+) · guest/.exec(menu)![1]);
        keys('d');
        await waitForScreen([/Searching for an opponent \(duel\)… \d+:\d\d/], 'the waiting state');
        await expect.poll(() => server.platform.play.queues.entryOf(userId), { timeout: 10_000 }).toMatchObject({ game_mode: 'duel' });

        await proxy.stop();
        const suspended = await waitForScreen([/Search suspended \(duel\): the connection to the server is lost/, /● (connection lost|reconnecting…)/], 'the suspended search');
        expect(suspended).not.toMatch(/Searching for an opponent/);
        expect(suspended).toMatch(/Connection to the server lost \(connection (reset|refused)\) — reconnecting…/);
        // The status line: the sentence on the left, the key hints whole on the right; no bare codes.
        const bar = suspended.trimEnd().split('\n').at(-1)!;
        expect(bar).toMatch(/^ Connection to the server lost — search suspended, reconnecting… +Esc\/c cancel · Ctrl\+R retry now · Ctrl\+Q quit$/);
        expect(suspended).not.toMatch(/\((0|local)\)/);
        // Past the server's grace for a closed stream the entry is gone.
        await expect.poll(() => server.platform.play.queues.entryOf(userId), { timeout: 15_000 }).toBeNull();

        await proxy.restore();
        keys('C-r');
        const again = await waitForScreen([/Searching for an opponent \(duel\)… \d+:\d\d/, /Connection to the server is back — searching again\./, /● live/], 'the search again', 30_000);
        expect(again).not.toMatch(/Search suspended|Connection to the server lost —/);
        await expect.poll(() => server.platform.play.queues.entryOf(userId), { timeout: 10_000 }).toMatchObject({ game_mode: 'duel' });

        keys('Escape');
        await waitForScreen([/Left the duel queue\./, /Hello Guest\w*!/], 'the menu after cancelling');
        keys('C-q');
        expect(await waitForScreen([/EXITED \d+/], 'the program to exit')).toMatch(/EXITED 0/);
      } finally {
        await proxy.close();
      }
    });

    it('plays a duel against a bot in the real program, from the --guest flag to the end screen and back to the menu', { timeout: 240_000 }, async () => {
      SESSION = 'duel';
      const command = `node --import tsx src/cli/main.ts -s ${server.publicUrl} -k --guest --fps 20; echo "EXITED $?"; sleep 600`;
      tmux('new-session', '-d', '-s', SESSION, '-x', '120', '-y', '40', '-c', ROOT, command);
      await waitForScreen([/Hello Guest\w*!/, /● live/], 'the main menu', 60_000);

      keys('d');
      await waitForScreen([/Searching for an opponent \(duel\)/], 'the waiting state');
      const api = new ApiClient(server.publicUrl);
      const opponent = await player(server, api);
      expect((await api.post('/api/play/duel/', undefined, { token: opponent.access })).status).toBe(201);
      const start = await opponent.stream.next('game-start', 15_000);
      const bot = startBot(server.publicUrl, opponent.access, { skill: 'easy', clock: server.clock, insecure: true });

      const game = await waitForScreen([new RegExp(`Match ${start.envelope.data.code} · duel · ${opponent.username} \\(red\\) vs you \\(blue\\)`), /┌─+┐/, /└─+┘/], 'the game screen');
      expect(game).toMatch(/█/);
      expect(game).toMatch(/↑\/W up · ↓\/S down/);
      keys('Up', 'Up', 'Up', 'w', 'Down', 'Space');

      const end = await waitForScreen([/VICTORY|DEFEAT/, /Enter: main menu · q: quit/], 'the end screen', 180_000);
      const over = await bot.gameOver;
      expect(over).toMatchObject({ reason: 'normal-end' });
      const winnerTeam: 'a' | 'b' = over!.winner === 'a' ? 'a' : 'b';
      const guestWon = start.envelope.data.teams[winnerTeam].players[0].id !== opponent.id;
      expect(end).toContain(guestWon ? 'VICTORY' : 'DEFEAT');
      const myScore = start.envelope.data.teams.a.players[0].id === opponent.id ? over!.team_b : over!.team_a;
      const theirScore = start.envelope.data.teams.a.players[0].id === opponent.id ? over!.team_a : over!.team_b;
      expect(end).toContain(`${opponent.username} ${theirScore} – ${myScore} you`);

      keys('Enter');
      await waitForScreen([/Hello Guest\w*!/, /Duel — play anyone/], 'the menu after the game');
      keys('C-q');
      expect(await waitForScreen([/EXITED \d+/], 'the program to exit')).toMatch(/EXITED 0/);
      opponent.stream.close();
    });
  });
}

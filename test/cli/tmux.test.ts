import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../src/game/bot/index.js';
import { createMatch, pump } from '../support/game.js';
import { ApiClient, registerUser } from '../support/http.js';
import { player } from '../support/play.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { CLI_ROOT, followRealTime, hasTmux, Tmux } from './tmux-harness.js';

/**
 * The real program (`node --import tsx src/cli/main.ts`) in a pseudo-terminal:
 * tmux runs it in a detached 120 × 40 window, `send-keys` types, and
 * `capture-pane` reads the screen.
 */
const harness = new Tmux('test');
const tmux = (...args: string[]) => harness.run(...args);
let SESSION = 'cli';
const ROOT = CLI_ROOT;

const screen = () => harness.screen(SESSION);
const keys = (...names: string[]) => harness.keys(SESSION, ...names);
/** Polls the screen until it matches every pattern; returns it. */
const waitForScreen = (patterns: RegExp[], what: string, timeoutMs?: number) => harness.waitFor(SESSION, patterns, what, timeoutMs);

if (!hasTmux) {
  describe('the terminal client in a pseudo-terminal', () => {
    it.skip('SKIPPED: tmux is not installed (apt-get install -y tmux) — needed to drive the real program', () => {});
  });
} else {
  describe('the terminal client in a pseudo-terminal (tmux)', () => {
    let server: TestServer;
    let stopClock = () => {};

    beforeAll(async () => {
      server = await startTestServer();
      // The server's clock follows real time (by the time elapsed, at most 50 ms a step), so the live
      // stream pings and games run as in production, even on a loaded machine.
      stopClock = followRealTime(server);
    });
    afterAll(async () => {
      stopClock();
      harness.close();
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

    it('replays a match at 80 × 24: the history, a match without a replay, then a replay played, paused, sped up, sought and jumped to its end', { timeout: 240_000 }, async () => {
      SESSION = 'replay';
      const api = new ApiClient(server.publicUrl);
      const internal = new ApiClient(server.internalUrl!);
      const me = await registerUser(api);
      const rival = await registerUser(api);
      const other = await registerUser(api);
      // A duel two bots play for them in a real game room: it has a replay.
      const played = await createMatch(internal, 'duel', [me], [rival]);
      const bots = [startBot(server.publicUrl, me.access, { skill: 'hard', clock: server.clock, insecure: true }),
        startBot(server.publicUrl, rival.access, { skill: 'easy', clock: server.clock, insecure: true })];
      let finished = false;
      void bots[0].gameOver.then(() => { finished = true; });
      await pump(server.clock, 600_000, { until: () => finished });
      const over = (await bots[0].gameOver)!;
      expect(over.reason).toBe('normal-end');
      await pump(server.clock, 1000);
      await Promise.all(bots.map((bot) => bot.closed));
      // Then one finished through the internal API, without a room: no replay. The newest, so the first row.
      await createMatch(internal, 'duel', [me], [other]);
      for (let g = 0; g < 3; g++) expect((await internal.put(`/api/private/match/score/${other.id}/`, { own_goal: false })).status).toBe(200);

      const command = `PONG_PASSWORD='${me.password}' node --import tsx src/cli/main.ts -s ${server.publicUrl} -k -u ${me.username} --login --fps 20; echo "EXITED $?"; sleep 600`;
      tmux('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '24', '-c', ROOT, command);
      await waitForScreen([new RegExp(`Hello ${me.username}!`), /Match history and replays {2}\(h\)/], 'the main menu', 60_000);

      keys('h');
      const mine = (team: 'a' | 'b') => (team === 'a' ? over.team_a : over.team_b);
      const history = await waitForScreen([/Match history — 2 finished matches/, new RegExp(other.username), new RegExp(rival.username)], 'the match history');
      const rows = history.split('\n');
      const first = rows.find((line) => line.includes(other.username))!;
      const second = rows.find((line) => line.includes(rival.username))!;
      expect(first).toMatch(/▶ \d{4}-\d\d-\d\d \d\d:\d\d {2}duel +\S+ +0 – 3 {2}lost/);
      expect(second).toMatch(new RegExp(`\\d\\d:\\d\\d {2}duel +${rival.username} +${mine('a')} – ${mine('b')} {2}${over.winner === 'a' ? 'won' : 'lost'}`));
      expect(rows.indexOf(first)).toBeLessThan(rows.indexOf(second));
      expect(history.trimEnd().split('\n').at(-1)).toMatch(/↑↓ move · Enter watch the replay · Esc back/);

      // The newest match has no replay: a sentence, not a code.
      keys('Enter');
      const missing = await waitForScreen([/This match has no replay\./, /Esc\/q back to the match history/], 'the missing replay');
      expect(missing).not.toMatch(/404|Match not found/);
      keys('Escape');
      await waitForScreen([/Match history — 2 finished matches/], 'the history again');

      keys('Down');
      await waitForScreen([new RegExp(`▶ \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d {2}duel +${rival.username}`)], 'the second row selected');
      keys('Enter');
      const opened = await waitForScreen([new RegExp(`Replay · duel · .* · ${rival.username} vs ${me.username}`), /┌─+┐/, /└─+┘/, /▶ 1x +0:\d\d [━─◆●]+ \d:\d\d {2}\d – \d/], 'the replay screen');
      const bar = (screen: string) => screen.trimEnd().split('\n').at(-1)!;
      expect(bar(opened)).toMatch(/Space pause · \+\/- speed · ←→ 5 s · n goal · q back/);
      // Everything fits: the field's frame, the names and the timeline above the notice and status lines.
      const lines = opened.split('\n');
      expect(lines.findIndex((line) => /└─+┘/.test(line))).toBeLessThan(lines.findIndex((line) => /▶ 1x/.test(line)));
      expect(lines.findIndex((line) => /▶ 1x/.test(line))).toBeLessThanOrEqual(20);

      // The field moves: the ball (and the paddles) are somewhere else a moment later.
      const field = (screen: string) => screen.split('\n').slice(3, 19).join('\n');
      const before = await waitForScreen([/▶ 1x +0:0[3-9]/], 'the ball in play');
      const after = await waitForScreen([/▶ 1x +0:(0[5-9]|[1-5]\d)/], 'a moment later');
      expect(field(after)).not.toBe(field(before));
      expect(field(after)).toMatch(/[█▀▄]/);

      // Space pauses, + speeds up, ← and → seek 5 s.
      keys('Space');
      const paused = await waitForScreen([/‖ 1x +\d:\d\d/, /Space play · /], 'the pause');
      const at = /‖ 1x +(\d):(\d\d)/.exec(paused)!;
      keys('+');
      await waitForScreen([/‖ 2x /], 'the speed');
      const shown = (seconds: number) => new RegExp(`‖ 2x +${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')} `);
      const back = Math.max(0, Number(at[1]) * 60 + Number(at[2]) - 5);
      keys('Left');
      await waitForScreen([shown(back)], 'the position 5 s earlier');
      keys('Right');
      await waitForScreen([shown(back + 5)], 'the position 5 s later');
      keys('Space');
      await waitForScreen([/▶ 2x /, /Space pause · /], 'playing again');

      // n: from goal to goal, then the end, with the final score.
      let end = '';
      for (let i = 0; i < 8 && !/End of the match/.test(end); i++) {
        keys('n');
        await new Promise((resolve) => setTimeout(resolve, 300));
        end = screen();
      }
      end = await waitForScreen([/End of the match/, /■ 2x/], 'the end of the replay');
      expect(end).toContain(`${rival.username} ${over.team_b} – ${over.team_a} ${me.username}`);
      expect(end).toMatch(new RegExp(`■ 2x +\\d:\\d\\d [━◆●]+ \\d:\\d\\d {2}${over.team_b} – ${over.team_a}`));
      expect(end).toContain(`${(over.winner === 'a' ? me : rival).username} won`);

      keys('q');
      await waitForScreen([/Match history — 2 finished matches/], 'the history after the replay');
      keys('Escape');
      await waitForScreen([new RegExp(`Hello ${me.username}!`)], 'the menu');
      keys('C-q');
      expect(await waitForScreen([/EXITED \d+/], 'the program to exit')).toMatch(/EXITED 0/);
      expect(played.id).toBeGreaterThan(0);
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type BotHandle } from '../../src/game/bot/index.js';
import { ApiClient, registerUser, type TestUser } from '../support/http.js';
import { openStream } from '../support/social.js';
import type { SseClient } from '../support/sse.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { uniqueTournamentName } from '../tournament/helpers.js';
import { bottomBar, followRealTime, hasTmux, Tmux } from './tmux-harness.js';

/**
 * The play features in the real program (`node --import tsx src/cli/main.ts`)
 * under tmux, against a real server whose clock follows real time (faster
 * where nobody at a terminal plays): a four-player tournament with two
 * terminal players and two computer players seated from the terminal, played
 * to its end; a lobby created and shared through the API (standing in for the
 * web client), its invitation accepted from the terminal's notifications and its game played.
 */
const tmux = new Tmux('play');
const screenOf = (session: string) => tmux.screen(session);
const keysTo = (session: string, ...names: string[]) => tmux.keys(session, ...names);
/** Literal text (a name with spaces, a code). */
const typeTo = (session: string, text: string) => tmux.type(session, text);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const waitFor = (session: string, patterns: RegExp[], what: string, timeoutMs?: number) => tmux.waitFor(session, patterns, what, timeoutMs);
/** Starts the client for a registered user in a detached window of `cols` × `rows`. */
const launch = (session: string, server: TestServer, user: TestUser, cols: number, rows: number) => tmux.launchClient(session, server, user, cols, rows, '--fps 20');

if (!hasTmux) {
  describe('the play features in a pseudo-terminal', () => {
    it.skip('SKIPPED: tmux is not installed (apt-get install -y tmux) — needed to drive the real program', () => {});
  });
} else {
  describe('the play features in a pseudo-terminal (tmux)', () => {
    let server: TestServer;
    let api: ApiClient;
    let stopClock = () => {};
    /** Server clock milliseconds per real millisecond. */
    let speed = 1;
    const streams: SseClient[] = [];
    const bots: BotHandle[] = [];

    beforeAll(async () => {
      server = await startTestServer();
      api = new ApiClient(server.publicUrl);
      // The server's clock follows real time (at `speed`; at most 250 ms of real time a step, which the
      // synchronous tmux calls may hold up), so that the terminals' games, the live stream pings and the
      // tournament's delays run as in production.
      stopClock = followRealTime(server, 250, () => speed);
    });
    afterAll(async () => {
      stopClock();
      for (const bot of bots) bot.close();
      for (const stream of streams) stream.close();
      tmux.close();
      await server?.close();
    });

    it('plays a four-player tournament to its end: two terminal players, two computer players seated from the terminal', { timeout: 420_000 }, async () => {
      const alice = await registerUser(api);
      const bob = await registerUser(api);
      // Alice at the smallest size, Bob on a large terminal.
      launch('alice', server, alice, 80, 24);
      launch('bob', server, bob, 200, 60);
      await waitFor('alice', [new RegExp(`Hello ${alice.username}!`), /● live/, /Play: lobbies, tournaments, computer, local, watch {2}\(g\)/], 'the main menu', 60_000);
      await waitFor('bob', [new RegExp(`Hello ${bob.username}!`), /● live/], 'the main menu', 60_000);

      // Alice creates a 4-player tournament: g (play), t (tournaments), n (new), its name, Enter.
      keysTo('alice', 'g');
      await waitFor('alice', [/Tournaments: create, join, bracket +\(t\)/, /Play the computer — level ◀ medium ▶ +\(a\)/], 'the play menu');
      keysTo('alice', 't');
      await waitFor('alice', [/Open tournaments \(\d+\)/, /n: create one · j: join by code/], 'the tournament list');
      keysTo('alice', 'n');
      await waitFor('alice', [/New tournament: its name/, /Players: ◀ 4 ▶/], 'the name prompt');
      const name = uniqueTournamentName('Tmux');
      typeTo('alice', name);
      keysTo('alice', 'Enter');
      const created = await waitFor('alice', [new RegExp(`Tournament ${name} · code \\d{4} · 4 players · waiting for players`), /Players \(1\/4\)/, /b: seat one · f: fill every free seat/], 'the waiting room');
      const code = /· code (\d{4}) ·/.exec(created)![1];
      expect(created).toContain(`★ ${alice.username} (you)`);
      expect(created).toContain('Starts once 4 players are in (1/4).');
      expect(bottomBar(created)).toMatch(/b\/f computers · ←→ level · l leave · Esc back$/);

      // Bob joins it by its code; both waiting rooms show both, live.
      keysTo('bob', 'g');
      await waitFor('bob', [/Join a lobby by its code/], 'the play menu');
      keysTo('bob', 't');
      await waitFor('bob', [/n: create one · j: join by code/], 'the tournament list');
      keysTo('bob', 'j');
      await waitFor('bob', [/Join a tournament: type its code/], 'the code prompt');
      typeTo('bob', code);
      keysTo('bob', 'Enter');
      await waitFor('bob', [new RegExp(`Tournament ${name} · code ${code}`), /Players \(2\/4\)/, new RegExp(`${bob.username} \\(you\\)`)], 'Bob in the waiting room');
      await waitFor('alice', [/Players \(2\/4\)/, new RegExp(bob.username)], 'Bob in Alice\'s waiting room');

      // Alice picks the level (←: easy) and fills the free seats with computer players: the tournament is full, it starts.
      keysTo('alice', 'Left');
      await waitFor('alice', [/level ◀ easy ▶/], 'the level');
      keysTo('alice', 'f');
      const bracket = await waitFor('bob', [/Semi-finals/, /Final/, /Computer \(easy\)/], 'the bracket', 30_000);
      expect(bracket).toMatch(new RegExp(`Tournament ${name} · code ${code} · 4 players · started`));

      // The rounds: each terminal plays the games that come to it (parking the paddle at the top with W, so it
      // ends soon), Enter on each end screen goes back to the bracket, until the tournament is over.
      const played = { alice: 0, bob: 0 };
      const games = { alice: new Set<string>(), bob: new Set<string>() };
      const over = (screen: string) => /The tournament is over: .+ won it\.|You won the tournament!/.test(screen);
      const deadline = Date.now() + 360_000;
      const done = { alice: false, bob: false };
      while (!(done.alice && done.bob)) {
        if (Date.now() > deadline) throw new Error(`the tournament did not end in time:\n${screenOf('alice')}\n${screenOf('bob')}`);
        const screens = { alice: screenOf('alice'), bob: screenOf('bob') };
        for (const who of ['alice', 'bob'] as const) {
          if (done[who]) continue;
          const now = screens[who];
          const match = /Match (\d+) · tournament · /.exec(now);
          if (match) {
            if (!games[who].has(match[1])) {
              games[who].add(match[1]);
              played[who] += 1;
            }
            keysTo(who, 'w');
          } else if (/Enter: back to the bracket · q: quit/.test(now)) {
            expect(now).toMatch(/VICTORY|DEFEAT/);
            keysTo(who, 'Enter');
          } else if (over(now)) {
            done[who] = true;
          }
        }
        // Both people out: the computers' games run faster.
        speed = /You are out/.test(screens.alice) && /You are out/.test(screens.bob) ? 4 : 1;
        await sleep(500);
      }
      speed = 1;
      expect(played.alice).toBeGreaterThanOrEqual(1);
      expect(played.bob).toBeGreaterThanOrEqual(1);

      // Both show the whole bracket with the final's result and who won; Alice's fits 80 × 24.
      for (const who of ['alice', 'bob'] as const) {
        const end = await waitFor(who, [/· finished/, /Semi-finals/, /Final/], 'the finished bracket');
        expect(end).toMatch(/ 3\s*\n/);
        expect(bottomBar(end)).toMatch(/Esc back to the play menu$/);
      }
      const aliceEnd = screenOf('alice').replace(/\n$/, '').split('\n');
      expect(aliceEnd).toHaveLength(24);
      expect(aliceEnd.findIndex((line) => /Final/.test(line))).toBeGreaterThan(1);
      expect((await api.get('/api/play/tournament/', { token: alice.access })).status).toBe(404);

      keysTo('alice', 'Escape');
      await waitFor('alice', [/Tournaments: create, join, bracket +\(t\)/], 'the play menu after the tournament');
      keysTo('alice', 'Escape');
      await waitFor('alice', [new RegExp(`Hello ${alice.username}!`)], 'the main menu');
      keysTo('alice', 'C-q');
      expect(await waitFor('alice', [/EXITED \d+/], 'the program to exit')).toMatch(/EXITED 0/);
      keysTo('bob', 'C-q');
      expect(await waitFor('bob', [/EXITED \d+/], 'the program to exit')).toMatch(/EXITED 0/);
    });

    it('accepts from its notifications the invitation to a lobby the web client created, plays its game to the end, and is back in the lobby', { timeout: 240_000 }, async () => {
      const carol = await registerUser(api);
      const web = await registerUser(api);
      const webStream = await openStream(server, api, web);
      streams.push(webStream);
      // Friends, so that the web user may invite Carol.
      const request = await api.post('/api/users/me/friend_requests/', { username: carol.username }, { token: web.access });
      expect(request.status).toBe(201);
      expect((await api.post(`/api/users/me/friend_requests/${request.body.id}/`, undefined, { token: carol.access })).status).toBe(201);

      launch('carol', server, carol, 80, 24);
      await waitFor('carol', [new RegExp(`Hello ${carol.username}!`), /● live/], 'the main menu', 60_000);

      // The web client: a custom 1v1 lobby, its creator in team A, and an invitation to Carol.
      const lobby = await api.post('/api/play/lobby/', { game_mode: 'custom_game', match_type: '1v1' }, { token: web.access });
      expect(lobby.status).toBe(201);
      const { code } = lobby.body;
      expect((await api.post(`/api/play/lobby/${code}/invite/${carol.id}/`, undefined, { token: web.access })).status).toBe(204);
      await waitFor('carol', [new RegExp(web.username)], 'the invitation notice');

      // Carol accepts it from her notifications (Ctrl+N): the newest one, selected, says where Enter takes her.
      keysTo('carol', 'C-n');
      await waitFor('carol', [/Notifications — \d+ to answer/, new RegExp(`▶ \\d\\d:\\d\\d {2}${web.username} has challenged you to a game\\..*join lobby ${code}`)], 'the invitation in the notifications');
      keysTo('carol', 'Enter');
      const joined = await waitFor('carol', [new RegExp(`Custom game 1v1 · code ${code}`), /Team A \(1\/1\) +Team B \(1\/1\) +Bench \(0\)/], 'the lobby');
      expect(joined).toMatch(new RegExp(`· ★ ${web.username} +· ${carol.username} \\(you\\)`));
      expect(joined).toContain('Waiting for 2 players to be ready.');
      expect(bottomBar(joined)).toMatch(/r ready · a\/b\/e seat · l leave · Esc back$/);

      // The web user gets ready: Carol's lobby shows it live; Carol gets ready with r: the game starts.
      expect((await api.patch(`/api/play/lobby/${code}/`, { is_ready: true }, { token: web.access })).status).toBe(200);
      await waitFor('carol', [new RegExp(`✓ ★ ${web.username}`), /Waiting for 1 player to be ready\./], 'the web user ready');
      const rival = startBot(server.publicUrl, web.access, { skill: 'easy', clock: server.clock, insecure: true });
      bots.push(rival);
      keysTo('carol', 'r');
      const game = await waitFor('carol', [new RegExp(`Match \\d+ · custom_game · ${web.username} \\(red\\) vs you \\(blue\\)`), /┌─+┐/], 'the lobby game');
      expect(game).toMatch(/█/);

      // Carol plays (parking her paddle at the top now and then): the game goes to its end.
      let end = '';
      const deadline = Date.now() + 180_000;
      for (;;) {
        end = screenOf('carol');
        if (/Enter: back to the lobby · q: quit/.test(end)) break;
        if (Date.now() > deadline) throw new Error(`the lobby game did not end:\n${end}`);
        keysTo('carol', 'w');
        await sleep(500);
      }
      expect(end).toMatch(/VICTORY|DEFEAT/);
      const result = await rival.gameOver;
      expect(result).toMatchObject({ reason: 'normal-end' });
      expect(Math.max(result!.team_a, result!.team_b)).toBe(3);

      // Enter: back in the lobby, read again — the game made everyone not ready.
      keysTo('carol', 'Enter');
      const again = await waitFor('carol', [new RegExp(`Custom game 1v1 · code ${code}`), /Waiting for 2 players to be ready\./], 'the lobby after the game');
      expect(again).toMatch(new RegExp(`· ★ ${web.username} +· ${carol.username} \\(you\\)`));

      // l: Carol leaves; the web user's lobby goes on without her.
      keysTo('carol', 'l');
      await waitFor('carol', [/You left lobby \d{4}\./, /Join a lobby by its code/], 'the play menu after leaving');
      const left = await api.get('/api/play/lobby/', { token: web.access });
      expect(left.body.participants.map((p: { id: number }) => p.id)).toEqual([web.id]);
      keysTo('carol', 'C-q');
      expect(await waitFor('carol', [/EXITED \d+/], 'the program to exit')).toMatch(/EXITED 0/);
    });
  });
}

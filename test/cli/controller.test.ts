import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionTexts, Controller } from '../../src/cli/controller.js';
import { historyRow } from '../../src/cli/screens/history.js';
import { startBot } from '../../src/game/bot/index.js';
import { createMatch, pump } from '../support/game.js';
import { ApiClient, registerUser, uniqueName } from '../support/http.js';
import { player } from '../support/play.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { FlakyRelay, until } from './support.js';

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

function client(url = server.publicUrl, extra: Partial<ConstructorParameters<typeof Controller>[0]> = {}): Controller {
  const controller = new Controller({
    server: url, insecure: true, gameNow: () => server.clock.now(), stream: { idleTimeoutMs: 0, retryDelaysMs: [100] }, ...extra,
  });
  controllers.push(controller);
  return controller;
}

/** A player at the keyboard: keeps the paddle under the ball's predicted height, through `setInput` like the arrow keys. */
function autopilot(controller: Controller): void {
  const game = controller.game;
  if (!game || game.connection !== 'open') return;
  game.frame();
  const { ball, layout, myY } = game.model;
  const target = ball.speedX > 0 ? ball.y + layout.ballSize / 2 - layout.paddleHeight / 2 : (layout.height - layout.paddleHeight) / 2;
  const gap = target - myY;
  controller.setInput(Math.abs(gap) < 15 ? 0 : gap < 0 ? -1 : 1);
}

describe('the terminal client against a live server', () => {
  it('plays a duel against a bot to the end, survives a lost game connection, then shows the end screen, the profile and the replay', { timeout: 240_000 }, async () => {
    const me = client();
    expect(me.screen).toBe('login');
    expect(await me.guest()).toBe(true);
    expect(me.screen).toBe('menu');
    expect(me.state.user?.is_guest).toBe(true);
    await until(me, () => me.state.stream.status === 'up', 'the live stream');
    expect(me.state.notices.map((n) => n.text)).toContain('Live stream connected.');

    void me.enterQueue('duel');
    await until(me, () => me.state.screen.name === 'queue' && me.state.screen.entered, 'the queue entry');
    expect(await server.platform.play.queues.entryOf(me.state.user!.id)).toMatchObject({ game_mode: 'duel' });

    const opponent = await player(server, api);
    expect((await api.post('/api/play/duel/', undefined, { token: opponent.access })).status).toBe(201);
    const start = await opponent.stream.next('game-start');
    await until(me, () => me.screen === 'game', 'the game screen');
    const game = me.game!;
    expect(game.match.code).toBe(start.envelope.data.code);
    expect(game.opponent).toBe(opponent.username);
    const bot = startBot(server.publicUrl, opponent.access, { skill: 'easy', clock: server.clock, insecure: true });
    await until(me, () => game.connection === 'open', 'the game socket');

    // Between two snapshots the engine moves the ball on its own.
    let interpolated = 0;
    let lastSeen = { snapshots: -1, x: 0 };
    const drive = () => {
      autopilot(me);
      const { snapshots, ball } = game.model;
      if (game.model.phase === 'live' && snapshots === lastSeen.snapshots && ball.x !== lastSeen.x) interpolated += 1;
      lastSeen = { snapshots, x: ball.x };
    };

    await pump(server.clock, 300_000, { until: () => { drive(); return game.model.score.me + game.model.score.opponent >= 1 || me.screen === 'end'; } });
    expect(interpolated).toBeGreaterThan(0);
    expect(game.received.get('game_state')).toBeGreaterThan(5);

    if (me.screen === 'game') {
      // The network drops mid-game: a clear message, then `r` takes the seat back (catch-up sequence).
      game.socket!.terminate();
      await until(me, () => game.connection === 'lost', 'the lost connection');
      expect(game.problem).toMatch(/connection to the game server lost/);
      me.retry();
      await until(me, () => game.connection === 'open' && (game.received.get('canvas') ?? 0) >= 2, 'the reconnection');
      expect(game.connects).toBe(2);
    }

    await pump(server.clock, 600_000, { until: () => { drive(); return me.screen === 'end'; } });
    expect(me.screen).toBe('end');
    const over = game.over!;
    expect(over.reason).toBe('normal-end');
    expect(Math.max(over.team_a, over.team_b)).toBe(3);
    expect(await bot.gameOver).toEqual(over);
    expect(game.model.won).toBe(over.winner === game.myTeam);
    expect(Math.max(game.model.score.me, game.model.score.opponent)).toBe(3);
    await pump(server.clock, 1000);

    me.back();
    expect(me.screen).toBe('menu');
    await me.openProfile();
    const screen = me.state.screen;
    expect(screen.name).toBe('profile');
    if (screen.name !== 'profile') return;
    const duel = screen.profile!.stats.find((row) => row.game_mode === 'duel')!;
    expect(duel).toMatchObject({ game_played: 1, wins: game.model.won ? 1 : 0 });
    expect(screen.profile!.me.id).toBe(me.state.user!.id);
    me.back();
    expect(me.screen).toBe('menu');

    // The match history has the duel; its replay, played by the replay player, ends on the same score.
    await me.openHistory();
    expect(me.screen).toBe('history');
    expect(me.state.history!.count).toBe(1);
    const row = me.state.history!.matches[0];
    expect([...row.teams.a.players, ...row.teams.b.players].map((p) => p.id).sort()).toEqual([me.state.user!.id, opponent.id].sort());
    expect(historyRow(row, me.state.user!.id).result).toBe(game.model.won ? 'won' : 'lost');
    await me.openReplay();
    expect(me.state.screen).toMatchObject({ name: 'replay', load: 'ready' });
    const run = me.replay!;
    expect(run.replay.match_id).toBe(row.id);
    expect(run.goals.length).toBe(over.team_a + over.team_b);
    run.nextGoal();
    expect(run.score.a + run.score.b).toBe(1);
    run.seekTo(run.totalSeconds);
    expect(run.score).toEqual({ a: over.team_a, b: over.team_b });
    me.back();
    expect(me.screen).toBe('history');
    expect(me.replay).toBeNull();
    me.back();
    expect(me.screen).toBe('menu');
    opponent.stream.close();
  });

  it('lists the match history newest first, page by page through the API links, and says in a sentence that a match has no replay', async () => {
    const internal = new ApiClient(server.internalUrl!);
    const account = await registerUser(api);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const rival = await registerUser(api);
      const created = await createMatch(internal, 'duel', [account], [rival]);
      // Goals through the internal API: the match finishes without a game room, so without a replay.
      const scorer = i === 1 ? rival : account;
      for (let g = 0; g < 3; g++) expect((await internal.put(`/api/private/match/score/${scorer.id}/`, { own_goal: false })).status).toBe(200);
      ids.push(created.id);
    }
    const me = client(server.publicUrl, { historyPageSize: 2 });
    expect(await me.login(account.username, account.password)).toBe(true);
    await me.openHistory();
    expect(me.screen).toBe('history');
    const first = me.state.history!;
    expect(first.matches.map((m) => m.id)).toEqual([ids[2], ids[1]]);
    expect(first).toMatchObject({ count: 3, loading: false, selected: 0 });
    expect(first.next).toMatch(/limit=2&offset=2/);
    expect(historyRow(first.matches[1], account.id)).toMatchObject({ score: '0 – 3', result: 'lost', mode: 'duel' });
    expect(historyRow(first.matches[0], account.id)).toMatchObject({ score: '3 – 0', result: 'won' });

    me.selectMatch(1);
    await until(me, () => me.state.history!.matches.length === 3 && !me.state.history!.loading, 'the second page');
    expect(me.state.history!.matches.map((m) => m.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(me.state.history).toMatchObject({ next: null, selected: 1 });
    me.selectMatch(7);
    expect(me.state.history!.selected).toBe(2);

    await me.openReplay();
    expect(me.state.screen).toMatchObject({ name: 'replay', load: 'missing' });
    expect(me.state.status).toBeNull();
    expect(me.replay).toBeNull();
    me.back();
    expect(me.screen).toBe('history');
    expect(me.state.history!.selected).toBe(2);
    me.back();
    expect(me.screen).toBe('menu');
  });

  it('logs in, enters and cancels the queue, shows friend requests and invitations on the notice line', async () => {
    const account = await registerUser(api);
    const me = client();
    expect(await me.login(account.username, 'wrong-password')).toBe(false);
    expect(me.state.status).toMatchObject({ kind: 'error' });
    expect(me.state.status!.text).toBe('Wrong username or password.');
    expect(await me.login(account.username, account.password)).toBe(true);
    expect(me.state.user).toMatchObject({ id: account.id, username: account.username, is_guest: false, trophies: 0 });
    await until(me, () => me.state.stream.status === 'up', 'the live stream');

    await me.enterQueue('ranked');
    expect(me.state.screen).toMatchObject({ name: 'queue', mode: 'ranked', entered: true });
    expect(await server.platform.play.queues.entryOf(account.id)).toMatchObject({ game_mode: 'ranked' });
    await me.cancelQueue();
    expect(me.screen).toBe('menu');
    expect(me.state.status?.text).toBe('Left the ranked queue.');
    expect(await server.platform.play.queues.entryOf(account.id)).toBeNull();

    const friend = await player(server, api);
    const sent = await api.post('/api/users/me/friend_requests/', { username: account.username }, { token: friend.access });
    expect(sent.status).toBe(201);
    await until(me, () => me.state.notices.some((n) => n.text === `${friend.username} wants to be friends with you. (Ctrl+N: answer)`), 'the friend request notice');
    expect((await api.post(`/api/users/me/friend_requests/${sent.body.id}/`, undefined, { token: account.access })).status).toBe(201);
    const lobby = await api.post('/api/play/lobby/', { game_mode: 'custom_game', match_type: '1v1' }, { token: friend.access });
    expect(lobby.status).toBe(201);
    expect((await api.post(`/api/play/lobby/${lobby.body.code}/invite/${account.id}/`, undefined, { token: friend.access })).status).toBe(204);
    await until(me, () => me.state.notices.some((n) => n.text === `${friend.username} has challenged you to a game — lobby ${lobby.body.code}. (Ctrl+N: answer)`), 'the invitation notice');

    await me.logout();
    expect(me.screen).toBe('login');
    expect(me.state.user).toBeNull();
    friend.stream.close();
  });

  it('registers a new account, and shows the field error of a taken username', async () => {
    const name = uniqueName('cli');
    const fresh = client();
    expect(await fresh.register(name, 'Str0ng-Passw0rd!')).toBe(true);
    expect(fresh.state.user).toMatchObject({ username: name, is_guest: false });
    const again = client();
    expect(await again.register(name, 'Str0ng-Passw0rd!')).toBe(false);
    expect(again.screen).toBe('login');
    expect(again.state.status!.text).toBe('This username already exists.');
  });

  it('refuses ranked to a guest with the server text', async () => {
    const me = client();
    await me.guest();
    await until(me, () => me.state.stream.status === 'up', 'the live stream');
    expect(await me.enterQueue('ranked')).toBe(false);
    expect(me.screen).toBe('menu');
    expect(me.state.status?.text).toMatch(/^Guests cannot do this: register the account first/);
  });

  it('says when the connection with the server is lost, retries, and plays again once it is back', async () => {
    const relay = await FlakyRelay.start(server.publicUrl);
    try {
      const me = client(relay.url);
      await me.guest();
      await until(me, () => me.state.stream.status === 'up', 'the live stream');
      relay.cut();
      await until(me, () => me.state.stream.status === 'down', 'the lost stream');
      expect(me.state.notices.at(-1)).toMatchObject({ kind: 'error' });
      expect(me.state.notices.at(-1)!.text).toMatch(/^Connection to the server lost \(.+\) — reconnecting… \(Ctrl\+R: retry now\)$/);
      // The menu says so, and refuses a search in words.
      expect(me.state.status).toEqual({ text: ConnectionTexts.lost, kind: 'error', connection: true });
      expect(await me.enterQueue('duel')).toBe(false);
      expect(me.state.status).toEqual({ text: ConnectionTexts.cannotSearch, kind: 'error', connection: true });
      // Other screens say it too; a request that cannot reach the server says so in words.
      await me.openProfile();
      expect(me.screen).toBe('profile');
      expect(me.state.status).toMatchObject({ kind: 'error', connection: true });
      expect(me.state.status!.text).toMatch(/^Cannot reach the server: connection (reset|refused)$/);
      me.back();
      expect(me.state.status).toEqual({ text: ConnectionTexts.lost, kind: 'error', connection: true });
      relay.restore();
      me.retry();
      await until(me, () => me.state.stream.status === 'up', 'the stream back');
      expect(me.state.notices.map((n) => n.text)).toContain('Live stream reconnected.');
      // The error is stale now: it went away by itself.
      expect(me.state.status).toBeNull();
      expect(await me.enterQueue('duel')).toBe(true);
      await me.cancelQueue();
      expect(me.state.status?.text).toBe('Left the duel queue.');
    } finally {
      await relay.close();
    }
  });

  it('suspends a search while the server is gone, says so in words, and searches again by itself once the stream is back', async () => {
    // The server "goes away" behind a TCP proxy: open connections are reset, new ones refused, until it is back.
    const proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(server.publicUrl).port) });
    try {
      const me = client(`https://127.0.0.1:${proxy.port}`);
      await me.guest();
      await until(me, () => me.state.stream.status === 'up', 'the live stream');
      const id = me.state.user!.id;
      expect(await me.enterQueue('duel')).toBe(true);
      expect(me.state.screen).toMatchObject({ name: 'queue', mode: 'duel', entered: true, suspended: false });

      await proxy.stop();
      await until(me, () => me.state.screen.name === 'queue' && me.state.screen.suspended, 'the suspended search');
      expect(me.state.screen).toMatchObject({ name: 'queue', mode: 'duel', entered: false, suspended: true });
      expect(me.state.status).toEqual({ text: ConnectionTexts.searchSuspended, kind: 'error', connection: true });
      expect(me.state.status!.text).not.toMatch(/\(\d+\)|\(local\)/);
      // Once the server's grace for a closed stream has run out it drops the entry (the client does not pretend otherwise).
      await expect.poll(() => { server.clock.advance(500); return server.platform.play.queues.entryOf(id); }, { timeout: 5_000 }).toBeNull();
      // Failed attempts (every 100 ms here) keep the search suspended and the same sentence, said once per reason.
      const downs = me.state.notices.length;
      await until(me, () => me.state.stream.status === 'down' && me.state.stream.error === 'connection refused', 'a refused attempt');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(me.state.screen).toMatchObject({ name: 'queue', suspended: true, entered: false });
      expect(me.state.status?.text).toBe(ConnectionTexts.searchSuspended);
      expect(me.state.notices.length - downs).toBeLessThanOrEqual(1);
      expect(me.state.notices.at(-1)).toMatchObject({ kind: 'error', text: 'Connection to the server lost (connection refused) — reconnecting… (Ctrl+R: retry now)' });

      // The server is back: the stream reconnects by itself, the error goes, the search starts again.
      await proxy.restore();
      await until(me, () => me.state.screen.name === 'queue' && me.state.screen.entered, 'the search again');
      expect(me.state.stream.status).toBe('up');
      expect(me.state.screen).toMatchObject({ name: 'queue', mode: 'duel', suspended: false });
      expect(me.state.status).toEqual({ text: ConnectionTexts.searchResumed, kind: 'info' });
      expect(me.state.notices.at(-1)?.text).toBe('Live stream reconnected.');
      expect(await server.platform.play.queues.entryOf(id)).toMatchObject({ game_mode: 'duel' });

      // Gone again, and the person gives up meanwhile: back to the menu, which says it is reconnecting, until it is back.
      await proxy.stop();
      await until(me, () => me.state.screen.name === 'queue' && me.state.screen.suspended, 'the second suspension');
      await expect.poll(() => { server.clock.advance(500); return server.platform.play.queues.entryOf(id); }, { timeout: 5_000 }).toBeNull();
      await me.cancelQueue();
      expect(me.screen).toBe('menu');
      expect(me.state.status).toEqual({ text: ConnectionTexts.searchCancelled, kind: 'info', connection: true });
      await proxy.restore();
      me.retry();
      await until(me, () => me.state.stream.status === 'up', 'the stream back');
      expect(me.state.status).toBeNull();
      expect(me.screen).toBe('menu');
      expect(await server.platform.play.queues.entryOf(id)).toBeNull();
      expect(await me.enterQueue('duel')).toBe(true);
      await me.cancelQueue();
      expect(me.state.status?.text).toBe('Left the duel queue.');
    } finally {
      await proxy.close();
    }
  });

  it('shows a refused login when the server cannot be reached', async () => {
    const relay = await FlakyRelay.start(server.publicUrl);
    const url = relay.url;
    await relay.close();
    const me = client(url);
    expect(await me.guest()).toBe(false);
    expect(me.state.status?.text).toMatch(/^Cannot reach the server: connection (refused|reset)$/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Controller } from '../../src/cli/controller.js';
import { PlayTexts } from '../../src/cli/play/features.js';
import { secondsToStart, standingOf } from '../../src/cli/play/tournament.js';
import { startBot, type BotHandle } from '../../src/game/bot/index.js';
import { createMatch, pump } from '../support/game.js';
import { ApiClient, registerUser } from '../support/http.js';
import { player, type Player } from '../support/play.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { STATUE, uniqueTournamentName } from '../tournament/helpers.js';
import { until } from './support.js';

/**
 * The play features of the terminal client (src/cli/play/) driven through the
 * controller against a live server with a manual clock: lobbies joined by
 * code and played, the bench watching, tournaments with the 20 s start rule
 * and computer players, the live list and spectating, the computer opponent.
 */

let server: TestServer;
let api: ApiClient;
const controllers: Controller[] = [];
const bots: BotHandle[] = [];
const players: Player[] = [];

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
});
afterAll(async () => {
  for (const bot of bots) bot.close();
  for (const p of players) p.stream.close();
  for (const c of controllers) await c.shutdown();
  await server.close();
});

function client(): Controller {
  const controller = new Controller({
    server: server.publicUrl, insecure: true, gameNow: () => server.clock.now(), stream: { idleTimeoutMs: 0, retryDelaysMs: [100] },
  });
  controllers.push(controller);
  return controller;
}

async function person(options: { guest?: boolean; trophies?: number } = {}): Promise<Player> {
  const p = await player(server, api, options);
  players.push(p);
  return p;
}

/** A terminal user logged in with a registered account and the live stream up. */
async function terminal(): Promise<{ me: Controller; account: { id: number; username: string; access: string } }> {
  const account = await registerUser(api);
  const me = client();
  expect(await me.login(account.username, account.password)).toBe(true);
  await until(me, () => me.state.stream.status === 'up', 'the live stream');
  return { me, account };
}

function bot(p: { access: string }, skill: 'easy' | 'medium' | 'hard' | typeof STATUE = 'easy'): BotHandle {
  const handle = startBot(server.publicUrl, p.access, { skill, clock: server.clock, insecure: true });
  bots.push(handle);
  return handle;
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

const patch = (p: { access: string }, code: string, body: unknown) => api.patch(`/api/play/lobby/${code}/`, body, { token: p.access });

describe('lobbies from the terminal', () => {
  it('joins a lobby created through the API by its code, follows it live, plays its game to the end and is back in the lobby', { timeout: 240_000 }, async () => {
    const { me, account } = await terminal();
    const owner = await person();
    const created = await api.post('/api/play/lobby/', { game_mode: 'custom_game', match_type: '1v1' }, { token: owner.access });
    expect(created.status).toBe(201);
    const { code } = created.body;

    // A bad code is refused in words, without a request.
    expect(await me.joinByCode('lobby', '12a')).toBe(false);
    expect(me.state.status?.text).toBe(PlayTexts.badLobbyCode);

    expect(await me.joinByCode('lobby', code)).toBe(true);
    expect(me.screen).toBe('lobby');
    const lobby = () => me.play.state.lobby!;
    expect(lobby()).toMatchObject({ code, game_mode: 'custom_game', match_type: '1v1' });
    const mine = () => lobby().participants.find((p) => p.id === account.id)!;
    expect(mine()).toMatchObject({ team: 'b', is_ready: false, creator: false });
    // Joining again (a second invitation) just opens it.
    expect(await me.joinByCode('lobby', code)).toBe(true);
    expect(me.screen).toBe('lobby');

    // Live: the owner's readiness and the settings change on the terminal's screen.
    expect((await patch(owner, code, { is_ready: true })).status).toBe(200);
    await until(me, () => lobby().participants.find((p) => p.id === owner.id)?.is_ready === true, 'the owner ready');
    // Not the creator: the settings are refused in words, without a request.
    await me.play.toggleMatchType();
    expect(me.state.status?.text).toBe('Only the creator of the lobby changes its settings and starts it.');

    // Ready: the game starts, played in the game screen.
    await me.play.toggleReady();
    await until(me, () => me.screen === 'game', 'the lobby game');
    const game = me.game!;
    expect(game.match.game_mode).toBe('custom_game');
    expect(game.opponent).toBe(owner.username);
    const rival = bot(owner, 'easy');
    await pump(server.clock, 600_000, { until: () => { autopilot(me); return me.screen === 'end'; } });
    expect(me.screen).toBe('end');
    expect(Math.max(game.over!.team_a, game.over!.team_b)).toBe(3);
    await rival.gameOver;
    await pump(server.clock, 1000);

    // Enter on the end screen: back in the lobby, read again (the game reset everyone's readiness).
    me.back();
    await until(me, () => me.screen === 'lobby' && lobby().game_playing === null && mine().is_ready === false, 'the lobby again');
    expect(lobby().participants.map((p) => p.id).sort()).toEqual([owner.id, account.id].sort());

    // The owner leaves: the terminal user (registered) becomes the creator, and may start it with a computer player.
    expect((await api.delete(`/api/play/lobby/${code}/`, undefined, { token: owner.access })).status).toBe(204);
    await until(me, () => lobby().participants.length === 1 && mine().creator === true, 'the creator hand-over');
    await me.play.toggleMatchType();
    expect(lobby().match_type).toBe('3v3');
    await me.play.toggleMatchType();
    expect(lobby().match_type).toBe('1v1');
    await me.play.startLobby();
    await until(me, () => me.screen === 'game', 'the game against a lobby computer player');
    expect(me.game!.opponent).toBe('Computer (medium)');
    me.leaveGame();
    await until(me, () => me.screen === 'lobby', 'the lobby after leaving the game');
    await pump(server.clock, 15_000);

    await me.play.leaveLobby();
    expect(me.screen).toBe('play');
    expect(me.play.state.lobby).toBeNull();
    expect((await api.get('/api/play/lobby/', { token: account.access })).status).toBe(404);
  });

  it('watches the game from the bench, then goes back to the lobby; a destroyed lobby is said in words', { timeout: 240_000 }, async () => {
    const { me, account } = await terminal();
    const owner = await person();
    const other = await person();
    const { code } = (await api.post('/api/play/lobby/', { game_mode: 'custom_game', match_type: '1v1' }, { token: owner.access })).body;
    expect((await api.post(`/api/play/lobby/${code}/`, undefined, { token: other.access })).status).toBe(201);
    expect(await me.joinByCode('lobby', code)).toBe(true);
    expect(me.play.state.lobby!.participants.find((p) => p.id === account.id)?.team).toBe('spectator');
    // On the bench one watches: no "ready".
    await me.play.toggleReady();
    expect(me.state.status?.kind).toBe('error');

    expect((await patch(owner, code, { is_ready: true })).status).toBe(200);
    expect((await patch(other, code, { is_ready: true })).status).toBe(200);
    await until(me, () => me.screen === 'spectate', 'the spectate screen');
    expect(me.play.state.spectate).toMatchObject({ from: 'lobby' });
    const watching = me.play.spectator!;
    await until(me, () => watching.connection === 'open', 'the spectator socket');
    bot(owner, 'hard');
    bot(other, STATUE);
    await pump(server.clock, 600_000, { until: () => watching.over !== null });
    expect(watching.over).toMatchObject({ reason: 'normal-end' });
    expect(watching.model.status.score.left + watching.model.status.score.right).toBeGreaterThanOrEqual(3);
    await pump(server.clock, 1000);

    me.back();
    await until(me, () => me.screen === 'lobby' && me.play.state.lobby?.game_playing === null, 'back in the lobby');
    expect(me.play.spectator).toBeNull();

    // Both players leave: the owner's leave hands the lobby to `other`; his leave leaves a guest-less lobby with the terminal user.
    await api.delete(`/api/play/lobby/${code}/`, undefined, { token: owner.access });
    await api.delete(`/api/play/lobby/${code}/`, undefined, { token: other.access });
    await until(me, () => me.play.state.lobby?.participants.length === 1, 'alone in the lobby');
    expect(me.play.state.lobby!.participants[0]).toMatchObject({ id: account.id, creator: true });
    await me.play.leaveLobby();
  });
});

describe('a clash lobby from the terminal', () => {
  it('creates a clash lobby, two friends join it by code, everyone ready: the 3v3 against another team is played in the game screen', { timeout: 120_000 }, async () => {
    const { me, account } = await terminal();
    expect(await me.play.createLobby('clash')).toBe(true);
    const lobby = () => me.play.state.lobby!;
    expect(lobby()).toMatchObject({ game_mode: 'clash', match_type: '3v3', max_participants: 3 });
    const { code } = lobby();
    const mates = [await person(), await person()];
    for (const mate of mates) expect((await api.post(`/api/play/lobby/${code}/`, undefined, { token: mate.access })).status).toBe(201);
    await until(me, () => lobby().participants.length === 3, 'the team, live');
    // A clash lobby has no seats to choose.
    await me.play.moveTo('b');
    expect(me.state.status?.text).toBe('A clash lobby is one team: there are no seats to choose.');
    for (const mate of mates) expect((await patch(mate, code, { is_ready: true })).status).toBe(200);
    await me.play.toggleReady();
    expect(lobby().participants.every((p) => p.is_ready)).toBe(true);

    // The other team: three people in another clash lobby, all ready.
    const others = [await person(), await person(), await person()];
    const theirs = (await api.post('/api/play/lobby/', { game_mode: 'clash' }, { token: others[0].access })).body.code;
    for (const other of others.slice(1)) await api.post(`/api/play/lobby/${theirs}/`, undefined, { token: other.access });
    for (const other of others) await patch(other, theirs, { is_ready: true });
    await until(me, () => me.screen === 'game', 'the clash game');
    const game = me.game!;
    expect(game.match).toMatchObject({ game_mode: 'clash', match_type: '3v3' });
    // The other five play through bots; once everybody is in, the room sends the clash field (three paddles a side).
    for (const p of [...mates, ...others]) bot(p, 'easy');
    await pump(server.clock, 5000, { until: () => (game.received.get('canvas') ?? 0) > 0 });
    await until(me, () => (game.received.get('canvas') ?? 0) > 0, 'the clash field');
    expect(game.model.layout.paddlesPerTeam).toBe(3);
    expect(game.frame().paddles).toHaveLength(6);
    expect(game.frame().paddles.filter((p) => p.mine)).toHaveLength(1);
    const mine = game.match.teams[game.myTeam].players.map((p) => p.id).sort();
    expect(mine).toEqual([account.id, ...mates.map((m) => m.id)].sort());
    expect(game.opponent.split(', ').sort()).toEqual(others.map((o) => o.username).sort());
    me.leaveGame();
    await until(me, () => me.screen === 'lobby', 'back in the clash lobby');
    await pump(server.clock, 15_000);
    await me.play.leaveLobby();
  });
});

describe('tournaments from the terminal', () => {
  it('creates one, counts down 20 s at the threshold (cancelled below it), seats a computer player, shows the bracket and plays its round', { timeout: 240_000 }, async () => {
    const { me, account } = await terminal();
    await me.play.openTournaments();
    expect(me.screen).toBe('tournament');
    const name = uniqueTournamentName('Terminal');
    expect(await me.play.createTournament(name, 8)).toBe(true);
    const view = () => me.play.state.tournament!;
    expect(view().tournament).toMatchObject({ name, size: 8, is_started: false, created_by: account.id });
    const { code } = view().tournament;

    // The others have more trophies: with 7 players the bye goes to seed 1, never to the terminal user.
    const others: Player[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await person({ trophies: 100 });
      expect((await api.post(`/api/play/tournament/${code}/`, undefined, { token: p.access })).status).toBe(201);
      others.push(p);
    }
    await until(me, () => (view().tournament.participants ?? []).length === 6, 'the joins, live');
    expect(secondsToStart(view().tournament, Date.now())).toBeNull();
    // The seventh (ceil(0.8 × 8)) starts the 20 s countdown.
    const seventh = await person({ trophies: 100 });
    await api.post(`/api/play/tournament/${code}/`, undefined, { token: seventh.access });
    await until(me, () => view().tournament.start_at !== null, 'the countdown');
    const left = secondsToStart(view().tournament, server.clock.now());
    expect(left).toBeGreaterThan(15);
    expect(left).toBeLessThanOrEqual(21);
    // One leaves: the countdown is cancelled.
    await api.delete(`/api/play/tournament/${code}/`, undefined, { token: seventh.access });
    await until(me, () => view().tournament.start_at === null && (view().tournament.participants ?? []).length === 6, 'the cancelled countdown');

    // The creator seats a computer player (7: the countdown again), then the 20 s pass on the server's clock.
    me.play.cycleLevel(-1);
    expect(me.play.state.computerLevel).toBe('easy');
    expect(await me.play.addTournamentBots(1)).toBe(true);
    await until(me, () => view().tournament.start_at !== null, 'the countdown again');
    expect((view().tournament.participants ?? []).find((p) => p.computer)).toMatchObject({ computer: 'easy' });
    await pump(server.clock, 21_000, { stepMs: 250, until: () => view().tournament.is_started });
    await until(me, () => view().tournament.is_started, 'the start');
    expect(Object.keys(view().tournament.matches ?? {})).toContain('quarter-final');
    expect(standingOf(view(), account.id)).toMatchObject({ kind: 'playing' });

    // Its first-round game comes by itself, 3 s of the server's clock after the start.
    for (let i = 0; i < 60 && me.screen !== 'game'; i++) {
      await pump(server.clock, 250, { stepMs: 50, until: () => me.screen === 'game' });
      await server.platform.tournaments.settled();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await until(me, () => me.screen === 'game', 'the first-round game');
    expect(me.game!.match.game_mode).toBe('tournament');
    // Leaving the game goes back to the bracket; leaving the tournament after the start eliminates.
    me.leaveGame();
    await until(me, () => me.screen === 'tournament', 'the bracket after the game');
    await me.play.leaveTournament();
    expect(me.screen).toBe('play');
    expect(me.play.state.tournament).toBeNull();
    for (const p of others) p.stream.close();
  });
});

describe('watching and playing the computer', () => {
  it('lists the live matches, watches one to its end, and goes back to the list', { timeout: 240_000 }, async () => {
    const { me } = await terminal();
    const internal = new ApiClient(server.internalUrl!);
    const ann = await person();
    const bob = await person();
    const match = await createMatch(internal, 'duel', [ann], [bob]);
    bot(ann, 'hard');
    bot(bob, STATUE);
    await me.play.openLive();
    // The list is read again when `activity-update` says it changed (the server sends it at most once a second of its clock).
    const listed = () => (me.play.state.live?.matches ?? []).some((m) => m.code === match.code);
    await pump(server.clock, 5000, { stepMs: 100, until: listed });
    await until(me, listed, 'the match in the live list');
    const index = me.play.state.live!.matches.findIndex((m) => m.code === match.code);
    me.play.selectLive(index);
    expect(me.play.spectateSelected()).toBe(true);
    expect(me.screen).toBe('spectate');
    expect(me.play.state.spectate).toMatchObject({ code: match.code, names: { a: ann.username, b: bob.username }, from: 'live' });
    const watching = me.play.spectator!;
    await until(me, () => watching.connection === 'open', 'the spectator socket');
    await pump(server.clock, 600_000, { until: () => watching.over !== null });
    expect(watching.over).toMatchObject({ winner: 'a', team_a: 3 });
    me.back();
    expect(me.screen).toBe('live');

    // By code: an unknown code is refused by the game server, in words.
    expect(await me.play.spectateByCode('99999')).toBe(true);
    await until(me, () => me.play.spectator?.connection === 'refused', 'the refusal');
    me.back();
    expect(me.screen).toBe('play');
  });

  it('plays the computer at the chosen level from the play menu', { timeout: 120_000 }, async () => {
    const me = client();
    await me.guest();
    await until(me, () => me.state.stream.status === 'up', 'the live stream');
    me.play.openMenu();
    expect(me.screen).toBe('play');
    me.play.cycleLevel(1);
    expect(me.play.state.computerLevel).toBe('hard');
    expect(await me.play.playComputer()).toBe(true);
    await until(me, () => me.screen === 'game', 'the game against the computer');
    expect(me.game!.opponent).toBe('Computer (hard)');
    me.leaveGame();
    expect(me.screen).toBe('menu');
    // Guests join by code but create nothing.
    expect(await me.play.createLobby('custom_game')).toBe(false);
    expect(me.state.status?.text).toBe(PlayTexts.guestsCannot);
    await pump(server.clock, 15_000);
  });
});

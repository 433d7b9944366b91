import { describe, expect, it, vi } from 'vitest';
import { Canvas } from '../../src/cli/canvas.js';
import type { Controller, ControllerState, Screen } from '../../src/cli/controller.js';
import { GameSession } from '../../src/cli/game-client.js';
import { invitationKind, PlayFeatures, PlayTexts, type PlayHost, type PlayScreenName, type PlayState } from '../../src/cli/play/features.js';
import { LOCAL_COUNTDOWN_STEP_MS, LocalMatch } from '../../src/cli/play/local-game.js';
import { applyLobbyEvent, playerName, waitingFor } from '../../src/cli/play/lobby.js';
import type { LiveMatch } from '../../src/cli/play/play-api.js';
import { applyTournamentEvent, bracketColumns, runningCards, secondsToStart, standingOf, type TournamentView } from '../../src/cli/play/tournament.js';
import { drawChrome } from '../../src/cli/screens/chrome.js';
import { liveRow, liveScreen } from '../../src/cli/screens/live.js';
import { lobbyScreen } from '../../src/cli/screens/lobby.js';
import { playMenuScreen } from '../../src/cli/screens/play-menu.js';
import { localScreen, spectateScreen } from '../../src/cli/screens/spectate.js';
import { startLine, tournamentScreen } from '../../src/cli/screens/tournament.js';
import type { ScreenHost, ScreenModule } from '../../src/cli/screens/types.js';
import type { BracketMatch, Lobby, LobbyMember, Tournament } from '../../src/client/types.js';
import { GAME_CONFIG } from '../../src/game/engine/index.js';

/** The pure logic of the play features and their screens, at the client's smallest size (80 × 24) and at 200 × 60. */

const ME = 7;
const picture = { id: 1, name: 'p', small: '/s.png', medium: '/m.png' };
const SIZES: Array<[number, number]> = [[80, 24], [200, 60]];

function member(id: number, username: string, extra: Partial<LobbyMember> = {}): LobbyMember {
  return { id, username, profile_picture: picture, creator: false, join_at: '2026-12-05T10:00:00.000Z', is_ready: false, team: 'a', ...extra };
}

function lobbyOf(extra: Partial<Lobby> = {}): Lobby {
  return {
    id: 1, code: '1234', is_full: false, max_participants: 8, created_at: '2026-12-05T10:00:00.000Z', game_mode: 'custom_game', match_type: '1v1',
    is_ready: false, game_playing: null, bot: false,
    participants: [member(ME, 'ann', { creator: true, team: 'a' }), member(9, 'bob', { team: 'b' })],
    ...extra,
  };
}

const tp = (id: number, username: string, extra: Record<string, unknown> = {}) =>
  ({ id, username, profile_picture: picture, tournament: 1, stage: 1, seed: id, still_in: true, creator: id === ME, join_at: '2026-12-05T10:00:00.000Z', ...extra }) as NonNullable<BracketMatch['user_1']>;

function slot(id: number, n: number, a: number | null, b: number | null, extra: Partial<BracketMatch> = {}): BracketMatch {
  const names: Record<number, string> = { 7: 'ann', 9: 'bob', 11: 'Bot100001', 12: 'Bot100002' };
  return {
    id, n, match_code: null, score_winner: null, score_looser: null, finish_reason: null, finished: false,
    user_1: a === null ? null : tp(a, names[a], a > 10 ? { computer: 'hard' } : {}),
    user_2: b === null ? null : tp(b, names[b], b > 10 ? { computer: 'easy' } : {}),
    ...extra,
  };
}

function tournamentOf(extra: Partial<Tournament> = {}): Tournament {
  return {
    id: 1, code: '4321', name: 'Spring Cup', size: 4, private: false, is_started: false, start_at: null, created_at: '2026-12-05T10:00:00.000Z', created_by: ME,
    participants: [
      { id: ME, username: 'ann', profile_picture: picture, creator: true, join_at: '2026-12-05T10:00:00.000Z' },
      { id: 9, username: 'bob', profile_picture: picture, creator: false, join_at: '2026-12-05T10:00:01.000Z' },
    ],
    ...extra,
  };
}

/** Semi-finals: ann vs a bot (ann won 3–1), bob vs the other bot (running, code 5555); the final not created yet. */
function startedView(): TournamentView {
  return {
    tournament: tournamentOf({
      is_started: true,
      matches: {
        'semi-final': [
          slot(21, 1, ME, 11, { finished: true, winner: ME, score_winner: 3, score_looser: 1, finish_reason: 'normal-end', match_code: '1111', match_id: 501 } as never),
          slot(22, 2, 9, 12, { match_code: '5555' }),
        ],
        final: [],
      },
    }),
    spectatable: {},
    finished: null,
  };
}

// --- a play host without a server: actions that need none, and the screens ---------------------------

interface Fake {
  features: PlayFeatures;
  host: ScreenHost;
  statuses: Array<{ text: string; kind: string } | null>;
  screen(): string;
}

function fake(screenName: PlayScreenName = 'play', state: Partial<PlayState> = {}, options: { guest?: boolean } = {}): Fake {
  let current: string = screenName;
  const statuses: Fake['statuses'] = [];
  const user = { id: ME, username: 'ann', is_guest: options.guest ?? false, trophies: 0, notifications: { friend_requests: 0, chats: 0 } } as ControllerState['user'];
  const playHost: PlayHost = {
    api: () => { throw new Error('no server in the unit tests'); },
    user: () => user,
    streamUp: () => true,
    screenName: () => current,
    go: (screen, status) => { current = screen.name; statuses.push(status ?? null); },
    setStatus: (status) => statuses.push(status),
    notice: () => {},
    changed: () => {},
    failure: (error) => ({ text: String(error), kind: 'error' }),
    gameConfig: () => GAME_CONFIG,
    token: async () => 'token',
    baseUrl: () => 'https://localhost:1',
  };
  const features = new PlayFeatures(playHost);
  features.state = { ...features.state, ...state };
  const controllerState = {
    get screen() { return { name: current } as Screen; },
    server: 'https://localhost:4443', status: null, notices: [], user,
    stream: { status: 'up', error: null, retryAt: null, connections: 1 }, history: null,
  };
  const controller = { state: controllerState, play: features, game: null, back: () => features.back() };
  let now = 0;
  const host: ScreenHost = {
    controller: controller as unknown as Controller,
    ui: { login: { server: '', username: '', password: '', focus: 0 }, menu: { index: 0 }, confirmLeave: false } as ScreenHost['ui'],
    held: null as never,
    now: () => (now += 50),
    quit: () => {},
  };
  return { features, host, statuses, screen: () => current };
}

function draw(f: Fake, module: ScreenModule, cols = 80, rows = 24): string[] {
  const canvas = new Canvas(cols, rows);
  module.render(canvas, f.host, { top: 2, height: rows - 5, width: cols });
  drawChrome(canvas, f.host.controller, module.hints(f.host));
  return canvas.text();
}

const key = (name: string, ch?: string) => ({ name, ...(ch ? { ch } : {}) }) as Parameters<ScreenModule['key']>[0];
const char = (ch: string) => key('char', ch);

/** Every row is the terminal's width, the key hints are whole on the bottom bar, and nothing is drawn below the screen area but the chrome. */
function expectFits(lines: string[], module: ScreenModule, f: Fake, cols: number, rows: number): void {
  expect(lines).toHaveLength(rows);
  for (const line of lines) expect([...line].length).toBe(cols);
  expect(lines[rows - 1].trim()).toBe(module.hints(f.host));
  expect(lines[rows - 3].trim()).toBe('');
}

// --- lobbies -------------------------------------------------------------------------------------

describe('a lobby kept up to date by its events', () => {
  it('adds, removes and changes members, takes the settings, and says when the user is out or on the bench', () => {
    let lobby = lobbyOf();
    let change = applyLobbyEvent(lobby, 'lobby-join', member(10, 'cid', { team: 'spectator' }));
    expect(change.kind).toBe('lobby');
    lobby = (change as { lobby: Lobby }).lobby;
    expect(lobby.participants.map((p) => p.username)).toEqual(['ann', 'bob', 'cid']);
    lobby = (applyLobbyEvent(lobby, 'lobby-update-participant', { id: 9, is_ready: true }) as { lobby: Lobby }).lobby;
    expect(lobby.participants.find((p) => p.id === 9)).toMatchObject({ is_ready: true, team: 'b' });
    lobby = (applyLobbyEvent(lobby, 'lobby-update-participant', { id: 10, creator: true }) as { lobby: Lobby }).lobby;
    expect(lobby.participants.find((p) => p.id === 10)?.creator).toBe(true);
    lobby = (applyLobbyEvent(lobby, 'lobby-update', { match_type: '3v3', bot: true }) as { lobby: Lobby }).lobby;
    expect(lobby).toMatchObject({ match_type: '3v3', bot: true });
    lobby = (applyLobbyEvent(lobby, 'lobby-leave', { id: 10 }) as { lobby: Lobby }).lobby;
    expect(lobby.participants.map((p) => p.id)).toEqual([ME, 9]);
    expect(applyLobbyEvent(lobby, 'lobby-banned', {})).toEqual({ kind: 'gone', reason: 'banned' });
    expect(applyLobbyEvent(lobby, 'lobby-destroy', {})).toEqual({ kind: 'gone', reason: 'destroyed' });
    expect(applyLobbyEvent(lobby, 'lobby-spectate-game', { code: '9876' })).toMatchObject({ kind: 'spectate', code: '9876', lobby: { game_playing: '9876' } });
    expect(applyLobbyEvent(lobby, 'lobby-message', {})).toEqual({ kind: 'lobby', lobby });
  });

  it('says in a sentence what the game waits for', () => {
    expect(waitingFor(lobbyOf())).toBe('Waiting for 2 players to be ready.');
    expect(waitingFor(lobbyOf({ match_type: '3v3' }))).toMatch(/^4 free seats: waiting for players/);
    expect(waitingFor(lobbyOf({ match_type: '3v3', bot: true }))).toBe('Waiting for 2 players to be ready.');
    const ready = lobbyOf({ participants: [member(ME, 'ann', { is_ready: true }), member(9, 'bob', { team: 'b', is_ready: true })] });
    expect(waitingFor(ready)).toBe('Everyone is ready: the game starts…');
    expect(waitingFor(lobbyOf({ game_mode: 'clash', match_type: '3v3', participants: [member(ME, 'ann', { team: undefined })] })))
      .toMatch(/^Waiting for 1 player to be ready; then the team looks for opponents in the clash pool\.$/);
    expect(playerName({ username: 'Bot123456', computer: 'hard' })).toBe('Computer (hard)');
  });
});

describe('the lobby screen', () => {
  it.each(SIZES)('shows the teams, the bench, who is ready and the creator\'s keys at %i × %i', (cols, rows) => {
    const lobby = lobbyOf({
      match_type: '3v3', bot: true,
      participants: [
        member(ME, 'ann', { creator: true, is_ready: true }), member(9, 'bob', { team: 'b' }), member(10, 'cid', { team: 'spectator' }),
        member(13, 'dan', { team: 'spectator' }), member(14, 'eve', { team: 'spectator' }), member(15, 'fay', { team: 'spectator' }),
      ],
    });
    const f = fake('lobby', { lobby });
    const lines = draw(f, lobbyScreen, cols, rows);
    expectFits(lines, lobbyScreen, f, cols, rows);
    const text = lines.join('\n');
    expect(text).toContain('Custom game 3v3 · code 1234 · computer players: on');
    expect(text).toMatch(/Team A \(1\/3\) +Team B \(1\/3\) +Bench \(4\)/);
    expect(text).toMatch(/✓ ★ ann \(you\) +· bob +cid/);
    expect(text).toContain('· free: a computer');
    expect(text).toContain('Waiting for 1 player to be ready.');
    expect(text).toContain('creator: g start · m 1v1 / 3v3 · c computer players on / off');
    for (const name of ['fay', 'r: ready / not ready']) expect(text).toContain(name);
  });

  it('shows a clash lobby as one team', () => {
    const f = fake('lobby', { lobby: lobbyOf({ game_mode: 'clash', match_type: '3v3', max_participants: 3, participants: [member(ME, 'ann', { creator: true, team: undefined })] }) });
    const text = draw(f, lobbyScreen).join('\n');
    expect(text).toContain('Clash 3v3 · code 1234');
    expect(text).toContain('Your team (1/3)');
    expect(text).not.toContain('Team B');
    expect(lobbyScreen.hints(f.host)).toBe('r ready · l leave · Esc back');
  });

  it('maps the keys to the actions', () => {
    const f = fake('lobby', { lobby: lobbyOf() });
    const spies = {
      ready: vi.spyOn(f.features, 'toggleReady').mockResolvedValue(), move: vi.spyOn(f.features, 'moveTo').mockResolvedValue(),
      type: vi.spyOn(f.features, 'toggleMatchType').mockResolvedValue(), bots: vi.spyOn(f.features, 'toggleBots').mockResolvedValue(),
      start: vi.spyOn(f.features, 'startLobby').mockResolvedValue(), leave: vi.spyOn(f.features, 'leaveLobby').mockResolvedValue(),
    };
    for (const ch of 'rabemcgl') lobbyScreen.key(char(ch), f.host);
    expect(spies.ready).toHaveBeenCalledTimes(1);
    expect(spies.move.mock.calls).toEqual([['a'], ['b'], ['spectator']]);
    expect([spies.type, spies.bots, spies.start, spies.leave].map((s) => s.mock.calls.length)).toEqual([1, 1, 1, 1]);
    lobbyScreen.key(key('escape'), f.host);
    expect(f.screen()).toBe('play');
  });

  it('refuses the creator\'s settings to the others, in words, without a request', async () => {
    const f = fake('lobby', { lobby: lobbyOf({ participants: [member(ME, 'ann'), member(9, 'bob', { creator: true, team: 'b' })] }) });
    await f.features.toggleMatchType();
    await f.features.startLobby();
    expect(f.statuses.map((s) => s?.text)).toEqual(['Only the creator of the lobby changes its settings and starts it.', 'Only the creator of the lobby changes its settings and starts it.']);
  });
});

// --- tournaments -----------------------------------------------------------------------------------

describe('a tournament kept up to date by its events, and its bracket', () => {
  it('follows the joins, the 20 s countdown and its cancellation, the start and the results', () => {
    let view: TournamentView = { tournament: tournamentOf({ size: 8 }), spectatable: {}, finished: null };
    const next = (event: string, data: unknown, kwargs?: Record<string, unknown>, message?: string) => {
      const change = applyTournamentEvent(view, event, data, kwargs, message);
      if (change.kind !== 'tournament') throw new Error('gone');
      view = change.view;
    };
    next('tournament-join', { ...tp(11, 'Bot100001'), computer: 'medium' });
    expect(view.tournament.participants!.map((p) => playerName(p))).toEqual(['ann', 'bob', 'Computer (medium)']);
    expect(view.tournament.participants![2]).not.toHaveProperty('still_in');
    next('tournament-leave', { id: 9 });
    expect(view.tournament.participants!.map((p) => p.id)).toEqual([ME, 11]);
    const at = new Date(Date.parse('2026-12-05T10:00:00.000Z') + 20_000).toISOString();
    next('tournament-start-at', { id: 1, start_at: at });
    expect(secondsToStart(view.tournament, Date.parse('2026-12-05T10:00:00.000Z'))).toBe(20);
    expect(secondsToStart(view.tournament, Date.parse('2026-12-05T10:00:12.500Z'))).toBe(8);
    expect(startLine(view.tournament, Date.parse('2026-12-05T10:00:12.500Z'))).toBe('Starting in 8 s');
    expect(startLine(view.tournament, Date.parse('2026-12-05T10:00:30.000Z'))).toBe('Starting now…');
    next('tournament-start-cancel', { id: 1, start_at: null });
    expect(secondsToStart(view.tournament, 0)).toBeNull();
    expect(startLine(view.tournament, 0)).toBe('Starts when full, or 20 s after 7 players are in (2/8).');
    const started = startedView().tournament;
    next('tournament-start', started);
    expect(view.tournament.is_started).toBe(true);
    // After the start, departures are silent: the participant list no longer changes.
    next('tournament-leave', { id: 11 });
    expect(view.tournament.participants).toEqual(started.participants);
    next('tournament-available-spectate-matches', { 22: '5555', 23: null });
    expect(view.spectatable).toEqual({ 22: '5555', 23: null });
    next('tournament-finish', { id: 1 }, { name: 'Spring Cup', username: ME }, 'The tournament Spring Cup is now over. Well done to ann for his victory!');
    expect(view.finished).toEqual({ winnerId: ME, winner: 'ann' });
    expect(applyTournamentEvent(view, 'tournament-banned', {})).toEqual({ kind: 'gone', reason: 'banned' });
  });

  it('draws later rounds from the winners, marks the running games and tells the viewer where he stands', () => {
    const view = startedView();
    const columns = bracketColumns(view, ME);
    expect(columns.map((c) => c.title)).toEqual(['Semi-finals', 'Final']);
    expect(columns[0].cards[0], JSON.stringify(columns[0].cards[0])).toMatchObject({ finished: true, running: null, top: { name: 'ann', score: 3, winner: true, me: true }, bottom: { name: 'Computer (easy)', score: 1 } });
    expect(columns[0].cards[1]).toMatchObject({ running: '5555', top: { name: 'bob', score: null }, bottom: { name: 'Computer (easy)' } });
    // A running game's score so far (GET's live_score) shows on its card, each player his own.
    const semi = view.tournament.matches!['semi-final'][1];
    const live = bracketColumns({ ...view, tournament: { ...view.tournament, matches: { ...view.tournament.matches, 'semi-final': [view.tournament.matches!['semi-final'][0], { ...semi, live_score: { user_1: 2, user_2: 1 } }] } } }, ME);
    expect(live[0].cards[1]).toMatchObject({ running: '5555', top: { name: 'bob', score: 2 }, bottom: { score: 1 } });
    expect(columns[1].cards).toHaveLength(1);
    expect(columns[1].cards[0]).toMatchObject({ top: { name: 'ann', me: true }, bottom: { name: null } });
    expect(runningCards(columns).map((c) => c.running)).toEqual(['5555']);
    expect(standingOf(view, ME)).toEqual({ kind: 'playing', opponent: null, stage: 'Final' });
    expect(standingOf(view, 11)).toEqual({ kind: 'out', stage: 'Semi-finals' });
    expect(standingOf(view, 9)).toEqual({ kind: 'playing', opponent: 'Computer (easy)', stage: 'Semi-finals' });
    expect(standingOf({ ...view, finished: { winnerId: ME, winner: 'ann' } }, ME)).toEqual({ kind: 'won' });
    expect(standingOf({ ...view, tournament: tournamentOf() }, ME)).toEqual({ kind: 'waiting' });
  });
});

function sixteen(): TournamentView {
  const names = Array.from({ length: 16 }, (_, i) => i);
  const first = Array.from({ length: 8 }, (_, i) => ({
    ...slot(100 + i, i + 1, null, null, { match_code: i === 3 ? '7003' : null }),
    user_1: tp(i === 0 ? ME : 200 + 2 * i, i === 0 ? 'ann' : `player${2 * i}`),
    user_2: tp(201 + 2 * i, `player${2 * i + 1}`),
  }));
  return {
    tournament: tournamentOf({
      size: 16, is_started: true,
      participants: names.map((i) => ({ id: 200 + i, username: `player${i}`, profile_picture: picture, creator: false, join_at: '2026-12-05T10:00:00.000Z' })),
      matches: { 'round-of-16': first, 'quarter-final': [], 'semi-final': [], final: [] },
    }),
    spectatable: {},
    finished: null,
  };
}

describe('the tournament screen', () => {
  it.each(SIZES)('lists the open tournaments to join when the user is in none, at %i × %i', (cols, rows) => {
    const f = fake('tournament', { search: { items: [{ id: 3, name: 'Winter Cup', code: '1111', private: false, n_participants: 2, size: 8, created_by: 'bob' }], loading: false, selected: 0 } });
    const lines = draw(f, tournamentScreen, cols, rows);
    expectFits(lines, tournamentScreen, f, cols, rows);
    const text = lines.join('\n');
    expect(text).toContain('Open tournaments (1)');
    expect(text).toMatch(/▶ Winter Cup +2\/8 · by bob/);
    expect(text).toContain('n: create one · j: join by code');
  });

  it.each(SIZES)('shows the waiting room of 16 with its countdown and the creator\'s computer players at %i × %i', (cols, rows) => {
    const participants = Array.from({ length: 13 }, (_, i) => ({ id: i === 0 ? ME : 300 + i, username: i === 0 ? 'ann' : `p${i}`, profile_picture: picture, creator: i === 0, join_at: '2026-12-05T10:00:00.000Z', ...(i === 12 ? { computer: 'easy' as const } : {}) }));
    const f = fake('tournament', { tournament: { tournament: tournamentOf({ size: 16, participants, start_at: new Date(Date.now() + 15_500).toISOString() }), spectatable: {}, finished: null } });
    const lines = draw(f, tournamentScreen, cols, rows);
    expectFits(lines, tournamentScreen, f, cols, rows);
    const text = lines.join('\n');
    expect(text).toContain('Tournament Spring Cup · code 4321 · 16 players · waiting for players');
    expect(text).toMatch(/Starting in 1[56] s/);
    expect(text).toContain('Players (13/16)');
    expect(text).toContain('★ ann (you)');
    expect(text).toContain('Computer (easy)');
    expect((text.match(/· free seat/g) ?? []).length).toBe(3);
    expect(text).toContain('b: seat one · f: fill every free seat · d: take one back');
    expect(text).toContain('level ◀ medium ▶');
  });

  it.each(SIZES)('draws a 16-player bracket whole, the running game selectable, at %i × %i', (cols, rows) => {
    const f = fake('tournament', { tournament: sixteen() });
    const lines = draw(f, tournamentScreen, cols, rows);
    expectFits(lines, tournamentScreen, f, cols, rows);
    const text = lines.join('\n');
    for (const title of ['Round of 16', 'Quarter-finals', 'Semi-finals', 'Final']) expect(text).toContain(title);
    for (let i = 1; i < 16; i++) expect(text).toContain(`player${i}`);
    expect(text).toContain('ann');
    expect(text).toMatch(/▶player6/);
    expect(text).toContain('You play player1 (Round of 16): your game starts by itself.');
    const watch = vi.spyOn(f.features, 'spectateByCode').mockResolvedValue(true);
    tournamentScreen.key(key('enter'), f.host);
    expect(watch).toHaveBeenCalledWith('7003', 'tournament');
  });

  it('asks before leaving a started tournament, and creates one from a name and a size', () => {
    const f = fake('tournament', { tournament: startedView() });
    const leave = vi.spyOn(f.features, 'leaveTournament').mockResolvedValue();
    tournamentScreen.key(char('l'), f.host);
    expect(f.host.ui.confirmLeave).toBe(true);
    expect(draw(f, tournamentScreen).join('\n')).toContain('Leave the tournament? After the start you are out.');
    tournamentScreen.key(char('n'), f.host);
    expect(leave).not.toHaveBeenCalled();
    tournamentScreen.key(char('l'), f.host);
    tournamentScreen.key(char('y'), f.host);
    expect(leave).toHaveBeenCalledTimes(1);

    const g = fake('tournament', { search: { items: [], loading: false, selected: 0 } });
    const create = vi.spyOn(g.features, 'createTournament').mockResolvedValue(true);
    tournamentScreen.key(char('n'), g.host);
    for (const ch of 'Cup') tournamentScreen.key(char(ch), g.host);
    tournamentScreen.key(key('space', ' '), g.host);
    tournamentScreen.key(char('9'), g.host);
    tournamentScreen.key(key('right'), g.host);
    expect(draw(g, tournamentScreen).join('\n')).toMatch(/> Cup 9█[\s\S]*Players: ◀ 8 ▶/);
    tournamentScreen.key(key('enter'), g.host);
    expect(create).toHaveBeenCalledWith('Cup 9', 8);
  });
});

// --- the play menu, prompts, joining by code ----------------------------------------------------------

describe('the play menu', () => {
  it.each(SIZES)('lists every way to play with its key at %i × %i', (cols, rows) => {
    const f = fake('play', { lobby: lobbyOf() });
    const lines = draw(f, playMenuScreen, cols, rows);
    expectFits(lines, playMenuScreen, f, cols, rows);
    const text = lines.join('\n');
    for (const [label, shortcut] of [
      ['Back to your lobby 1234', 'o'], ['New custom game lobby (1v1 or 3v3)', 'n'], ['New clash lobby (3v3 against other teams)', 'x'], ['Join a lobby by its code', 'j'],
      ['Tournaments: create, join, bracket', 't'], ['Play the computer — level ◀ medium ▶', 'a'], ['Local game: two players, one keyboard', 'k'],
      ['Watch live matches', 'w'], ['Watch a match by its code', 's'], ['Back to the main menu', 'Esc'],
    ]) expect(text).toMatch(new RegExp(`${label.replace(/[()]/g, '\\$&')} +\\(${shortcut}\\)`));
  });

  it('starts each with one key; ←/→ on the computer choose its level', () => {
    const f = fake('play');
    const computer = vi.spyOn(f.features, 'playComputer').mockResolvedValue(true);
    const lobby = vi.spyOn(f.features, 'createLobby').mockResolvedValue(true);
    const tournaments = vi.spyOn(f.features, 'openTournaments').mockResolvedValue();
    const live = vi.spyOn(f.features, 'openLive').mockResolvedValue();
    playMenuScreen.key(char('a'), f.host);
    expect(computer).toHaveBeenCalledTimes(1);
    playMenuScreen.key(key('right'), f.host);
    expect(f.features.state.computerLevel).toBe('hard');
    playMenuScreen.key(key('right'), f.host);
    expect(f.features.state.computerLevel).toBe('easy');
    playMenuScreen.key(char('n'), f.host);
    playMenuScreen.key(char('x'), f.host);
    expect(lobby.mock.calls).toEqual([['custom_game'], ['clash']]);
    playMenuScreen.key(char('t'), f.host);
    playMenuScreen.key(char('w'), f.host);
    expect([tournaments, live].map((s) => s.mock.calls.length)).toEqual([1, 1]);
    playMenuScreen.key(char('k'), f.host);
    expect(f.screen()).toBe('local');
    expect(f.features.local).not.toBeNull();
  });

  it('joins by a typed code; a code that is not 4 digits is refused in words', async () => {
    const f = fake('play');
    const join = vi.spyOn(f.features, 'joinByCode');
    playMenuScreen.key(char('j'), f.host);
    expect(playMenuScreen.hints(f.host)).toBe('type · Enter confirm · Esc cancel');
    for (const ch of '12x') playMenuScreen.key(char(ch), f.host);
    expect(draw(f, playMenuScreen).join('\n')).toContain('> 12x█');
    playMenuScreen.key(key('enter'), f.host);
    expect(f.statuses.at(-1)?.text).toBe(PlayTexts.badLobbyCode);
    expect(join).not.toHaveBeenCalled();
    playMenuScreen.key(key('backspace'), f.host);
    join.mockResolvedValue(true);
    for (const ch of '34') playMenuScreen.key(char(ch), f.host);
    playMenuScreen.key(key('enter'), f.host);
    expect(join).toHaveBeenCalledWith('lobby', '1234');
    expect(f.features.state.prompt).toBeNull();
    join.mockRestore();
    expect(await f.features.joinByCode('tournament', 'abcd')).toBe(false);
    expect(f.statuses.at(-1)?.text).toBe(PlayTexts.badTournamentCode);
  });

  it('tells which invitations lead to a lobby and which to a tournament; guests create nothing', async () => {
    expect(['invite-1v1', 'invite-3v3', 'invite-clash', 'invite-tournament', 'receive-message'].map(invitationKind)).toEqual(['lobby', 'lobby', 'lobby', 'tournament', null]);
    const f = fake('play', {}, { guest: true });
    expect(await f.features.createLobby('custom_game')).toBe(false);
    expect(await f.features.createTournament('Cup', 4)).toBe(false);
    expect(f.statuses.map((s) => s?.text)).toEqual([PlayTexts.guestsCannot, PlayTexts.guestsCannot]);
  });
});

// --- the live list, spectating, the local game ---------------------------------------------------------

function live(code: string, a: string, b: string, extra: Partial<LiveMatch> = {}): LiveMatch {
  const p = (id: number, username: string) => ({ id, username, profile_picture: picture });
  return {
    code, game_mode: 'duel', match_type: '1v1', started_at: '2026-12-05T10:00:00.000Z', spectators: 2, score: { a: 2, b: 1 },
    teams: { a: [p(1, a)], b: [p(2, b)] }, ...extra,
  } as LiveMatch;
}

describe('the live matches and spectating', () => {
  it.each(SIZES)('lists the live matches, left team first as the field shows them, at %i × %i', (cols, rows) => {
    const matches = Array.from({ length: 30 }, (_, i) => live(`${1000 + i}`, `ann${i}`, `bob${i}`));
    matches[1] = live('2001', 'ann', 'Bot1', { game_mode: 'custom_game', teams: { a: [{ id: 1, username: 'ann', profile_picture: picture }], b: [{ id: 5, username: 'Bot1', profile_picture: picture, computer: 'easy' } as never] } });
    const f = fake('live', { live: { matches, count: 42, next: 'https://x/api/game/live/?limit=20&offset=20', loading: false, selected: 1 } });
    const lines = draw(f, liveScreen, cols, rows);
    expectFits(lines, liveScreen, f, cols, rows);
    const text = lines.join('\n');
    expect(text).toContain('Live matches — 42 being played');
    expect(text).toMatch(/▶ custom +Computer \(easy\) vs ann +1 – 2 +2 watching/);
    expect(text).toContain('2 of 42 · more below');
    expect(liveRow(matches[0], 70).length).toBeLessThanOrEqual(70);
  });

  it('says when nothing is live, and watches the selected match with Enter', () => {
    const empty = fake('live', { live: { matches: [], count: 0, next: null, loading: false, selected: 0 } });
    expect(draw(empty, liveScreen).join('\n')).toContain('No match is being played right now.');
    const f = fake('live', { live: { matches: [live('1000', 'ann', 'bob')], count: 1, next: null, loading: false, selected: 0 } });
    const watch = vi.spyOn(f.features, 'spectateSelected').mockReturnValue(true);
    liveScreen.key(key('enter'), f.host);
    expect(watch).toHaveBeenCalledTimes(1);
    const ask = vi.spyOn(f.features, 'ask');
    liveScreen.key(char('s'), f.host);
    expect(ask).toHaveBeenCalledWith('spectate-code');
  });

  it.each(SIZES)('draws a watched match: both teams by name, the score, the result at the end, at %i × %i', (cols, rows) => {
    const f = fake('spectate', { spectate: { code: '1000', names: { a: 'ann', b: 'bob' }, mode: 'duel', from: 'play' } });
    const session = new GameSession({
      baseUrl: 'https://localhost:1', token: async () => 't', myId: ME, spectate: true, onChange: () => {},
      match: { id: 0, code: '1000', game_mode: 'duel', match_type: '1v1', teams: { a: { players: [] }, b: { players: [] } } },
    });
    expect(session.spectating).toBe(true);
    (session as unknown as { connection: string }).connection = 'open';
    f.features.spectator = session;
    session.model.handle({ event: 'score', data: { team_a: 2, team_b: 1 } } as never);
    let lines = draw(f, spectateScreen, cols, rows);
    expectFits(lines, spectateScreen, f, cols, rows);
    expect(lines.join('\n')).toContain('Watching match 1000 · duel · bob (left) vs ann (right)');
    session.model.handle({ event: 'game_over', data: { reason: 'normal-end', winner: 'a', team_a: 3, team_b: 1 } } as never);
    lines = draw(f, spectateScreen, cols, rows);
    expect(lines.join('\n')).toContain('ann won 3 – 1.');
    // A spectator sends nothing.
    session.setInput(-1);
    expect(session.model.direction).toBe(0);
    spectateScreen.key(key('escape'), f.host);
    expect(f.screen()).toBe('play');
    expect(f.features.spectator).toBeNull();
  });
});

describe('the local game', () => {
  it('counts down, serves, scores when nobody moves, and ends at the winning score', () => {
    const match = new LocalMatch(0, GAME_CONFIG, () => 0.25);
    expect(match.layout.width).toBe(GAME_CONFIG.canvas.local.width);
    expect(match.frame(0).countdown).toBe(3);
    expect(match.frame(LOCAL_COUNTDOWN_STEP_MS).countdown).toBe(2);
    expect(match.frame(2 * LOCAL_COUNTDOWN_STEP_MS).countdown).toBe(1);
    const served = match.frame(3 * LOCAL_COUNTDOWN_STEP_MS);
    expect(served.countdown).toBeNull();
    const x0 = served.ball!.x;
    expect(match.frame(3 * LOCAL_COUNTDOWN_STEP_MS + 100).ball!.x).not.toBe(x0);
    match.togglePause();
    const paused = match.frame(3 * LOCAL_COUNTDOWN_STEP_MS + 200).ball!.x;
    expect(match.frame(3 * LOCAL_COUNTDOWN_STEP_MS + 1200).ball!.x).toBe(paused);
    match.togglePause();
    // The left player parks at the top: the points he misses go in, until the right one has the winning score.
    match.setKeys('left', -1);
    let now = 3 * LOCAL_COUNTDOWN_STEP_MS + 1200;
    while (!match.over && now < 600_000) match.frame((now += 50));
    expect(match.over).toBe(true);
    expect(Math.max(match.score.left, match.score.right)).toBe(GAME_CONFIG.score.max);
    expect(match.winner).toBe(match.score.left > match.score.right ? 'left' : 'right');
    match.restart(now);
    expect(match.score).toEqual({ left: 0, right: 0 });
    expect(match.frame(now).countdown).toBe(3);
  });

  it('moves the left paddle with W/S and the right one with the arrows', () => {
    const f = fake('play');
    f.features.startLocal(0);
    const match = f.features.local!;
    let now = 0;
    while (match.frame((now += 50)).countdown !== null);
    const before = match.frame(now).paddles;
    localScreen.key(char('w'), f.host);
    localScreen.key(key('down'), f.host);
    const after = match.frame((now += 200)).paddles;
    const left = (view: typeof before) => view.find((p) => p.side === 'left')!.y;
    const right = (view: typeof before) => view.find((p) => p.side === 'right')!.y;
    expect(left(after)).toBeLessThan(left(before));
    expect(right(after)).toBeGreaterThan(right(before));
  });

  it.each(SIZES)('draws the field, the score and both players\' keys at %i × %i', (cols, rows) => {
    const f = fake('play');
    f.features.startLocal(0);
    const lines = draw(f, localScreen, cols, rows);
    expectFits(lines, localScreen, f, cols, rows);
    const text = lines.join('\n');
    expect(text).toContain('Local game · left: W / S · right: ↑ / ↓ · first to 3');
    expect(text).toMatch(/Left \(W\/S\)/);
    expect(text).toMatch(/Right \(↑\/↓\)/);
    expect(text.match(/[█▀▄]/g)!.length).toBeGreaterThan(4);
    localScreen.key(key('escape'), f.host);
    expect(f.screen()).toBe('play');
  });
});

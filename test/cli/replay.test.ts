import { describe, expect, it, vi } from 'vitest';
import { Canvas } from '../../src/cli/canvas.js';
import { ConnectionTexts, ReplayTexts, type Controller, type ControllerState, type MatchHistory, type Screen } from '../../src/cli/controller.js';
import { clock, ReplayRun, SEEK_SECONDS } from '../../src/cli/replay.js';
import { drawChrome } from '../../src/cli/screens/chrome.js';
import { formatHistoryRow, historyRow, historyScreen } from '../../src/cli/screens/history.js';
import { menuScreen } from '../../src/cli/screens/menu.js';
import { replayScreen } from '../../src/cli/screens/replay.js';
import type { ScreenHost } from '../../src/cli/screens/types.js';
import type { MatchObject } from '../../src/client/types.js';
import { ReplayPlayer } from '../../src/game/replay/index.js';
import { syntheticReplay } from './replay-doc.js';

/** The smallest terminal the client is laid out for. */
const COLS = 80;
const ROWS = 24;

describe('a replay run (the replay player on a clock of playback seconds)', () => {
  const doc = syntheticReplay({ seed: 1234 });

  it('finds the goals and the length by running the player once', () => {
    const run = new ReplayRun(doc, 7);
    expect(run.goals.map((g) => g.tick)).toEqual(doc.goals.map((g) => g.tick));
    expect(run.goals.map((g) => g.team)).toEqual(doc.goals.map((g) => g.team));
    // The recorded pace: the countdowns (2 s each) and the ticks, from the first countdown to the end.
    expect(run.totalSeconds).toBeCloseTo((doc.duration_ms - 1000) / 1000, 1);
    expect(run.secondsAt(0)).toBe(0);
    expect(run.tickAt(0)).toBe(0);
    expect(run.tickAt(run.totalSeconds)).toBe(doc.duration_ticks);
    for (const goal of run.goals) expect(run.tickAt(run.secondsAt(goal.tick))).toBe(goal.tick);
    expect(run.myTeam).toBe('a');
    expect(new ReplayRun(doc, 9).myTeam).toBe('b');
  });

  it('counts down 3, 2, 1 without the ball, then plays the ball at the recorded pace and the chosen speed', () => {
    const run = new ReplayRun(doc, 7);
    const frame = run.frame(0);
    expect(frame.view.countdown).toBe(3);
    expect(frame.view.ball).toBeNull();
    expect(frame.view.paddles.map((p) => [p.side, p.mine])).toEqual([['right', true], ['left', false]]);
    const countdown = (now: number) => {
      for (let t = run.seconds * 1000 + 100; t < now; t += 100) run.frame(t);
      return run.frame(now).view.countdown;
    };
    expect(countdown(1000)).toBe(2);
    expect(countdown(1500)).toBe(1);
    expect(countdown(1750)).toBe(1);
    expect(run.seconds).toBeCloseTo(1.75, 6);
    expect(countdown(2000)).toBeNull();
    const first = run.frame(2100).view.ball!;
    expect(first).not.toBeNull();
    const second = run.frame(2200).view.ball!;
    expect(second.x).not.toBe(first.x);
    expect(run.seconds).toBeCloseTo(2.2, 6);

    run.faster();
    expect(run.speed).toBe(2);
    run.frame(2300);
    expect(run.seconds).toBeCloseTo(2.4, 6);
    run.pause();
    run.frame(5000);
    expect(run.seconds).toBeCloseTo(2.4, 6);
    run.play();
    // A frame after a long stall moves 0.25 s at most (times the speed).
    run.frame(9000);
    expect(run.seconds).toBeCloseTo(2.9, 6);
  });

  it('shows the state the replay player computes for the tick reached (no engine of its own)', () => {
    const run = new ReplayRun(doc, 7);
    const reference = new ReplayPlayer(doc);
    for (const seconds of [3, 7.5, 4, 11, 0.5, run.totalSeconds - 1]) {
      run.seekTo(seconds);
      const tick = run.tickAt(seconds);
      expect(run.tick).toBe(tick);
      const state = reference.seek(tick);
      expect(run.score).toEqual(state.score);
      const view = run.view().view;
      if (view.ball) expect(view.ball).toEqual({ x: state.ball.x, y: state.ball.y });
      expect(view.paddles.map((p) => p.y)).toEqual(state.paddles.map((p) => p.y));
    }
  });

  it('changes speed within 0.5x–4x, seeks 5 s either way within the recording', () => {
    const run = new ReplayRun(doc, 7);
    run.slower();
    run.slower();
    expect(run.speed).toBe(0.5);
    for (let i = 0; i < 5; i++) run.faster();
    expect(run.speed).toBe(4);
    run.seekBy(SEEK_SECONDS);
    expect(run.seconds).toBe(5);
    run.seekBy(SEEK_SECONDS);
    expect(run.seconds).toBe(10);
    run.seekBy(-SEEK_SECONDS);
    expect(run.seconds).toBe(5);
    expect(run.tick).toBe(run.tickAt(5));
    run.seekBy(-3 * SEEK_SECONDS);
    expect(run.seconds).toBe(0);
    expect(run.tick).toBe(0);
    run.seekBy(10_000);
    expect(run.ended).toBe(true);
    expect(run.playing).toBe(false);
  });

  it('jumps from goal to goal (the score changes at each), then to the end; play at the end starts again', () => {
    const run = new ReplayRun(doc, 7);
    for (const goal of run.goals) {
      expect(run.nextGoal()).toBe(goal);
      expect(run.tick).toBe(goal.tick);
      expect(run.score).toEqual(goal.score);
    }
    // The last goal ends the match: the next `n` goes to the end, and stays there.
    run.nextGoal();
    expect(run.ended).toBe(true);
    expect(run.score).toEqual(doc.field_score);
    expect(run.nextGoal()).toBeNull();
    expect(run.view().ended).toBe(true);
    run.play();
    expect(run.seconds).toBe(0);
    expect(run.playing).toBe(true);
    expect(run.score).toEqual({ a: 0, b: 0 });
  });

  it('plays to the end on its own and stops there with the field score', () => {
    const run = new ReplayRun(doc, 7);
    run.faster();
    run.faster();
    let now = 0;
    while (run.playing && now < 600_000) run.frame((now += 250));
    expect(run.ended).toBe(true);
    expect(run.tick).toBe(doc.duration_ticks);
    expect(run.score).toEqual(doc.field_score);
  });

  it('formats times as m:ss', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(65.9)).toBe('1:05');
    expect(clock(600)).toBe('10:00');
  });
});

// --- the screens, on a terminal of the minimum size ---------------------------------------

function match(id: number, overrides: Partial<MatchObject> = {}): MatchObject {
  return {
    id, code: `m${id}`, created_at: '2026-12-05T14:03:00.000Z', finished: true, finish_reason: 'normal-end', forfeited_by: null,
    game_duration: '0:01:40', game_mode: 'duel', match_type: '1v1', looser: 'b', winner: 'a',
    teams: {
      a: { score: 3, players: [{ id: 7, username: 'ann', score: 3 }] },
      b: { score: 1, players: [{ id: 9, username: 'bob', score: 1 }] },
    },
    tournament_n: null, tournament_stage_id: null, field_score: { a: 3, b: 1 },
    ...overrides,
  } as MatchObject;
}

interface Fake {
  host: ScreenHost;
  controller: Record<string, unknown> & { state: ControllerState; replay: ReplayRun | null };
}

function fake(screen: Screen, options: { replay?: ReplayRun | null; history?: MatchHistory | null; status?: ControllerState['status'] } = {}): Fake {
  const state: ControllerState = {
    screen, server: 'https://localhost:4443', status: options.status ?? null, notices: [],
    user: { username: 'ann', id: 7, is_guest: false, trophies: 0, notifications: { friend_requests: 0, chats: 0 } } as ControllerState['user'],
    stream: { status: 'up', error: null, retryAt: null, connections: 1 },
    history: options.history ?? null,
  };
  const controller = {
    state, replay: options.replay ?? null,
    back: vi.fn(), selectMatch: vi.fn(), openReplay: vi.fn(async () => {}), openHistory: vi.fn(async () => {}),
  };
  let now = 0;
  const host: ScreenHost = {
    controller: controller as unknown as Controller,
    ui: { login: { server: '', username: '', password: '', focus: 0 }, menu: { index: 0 }, confirmLeave: false },
    held: null as never,
    now: () => (now += 100),
    quit: () => {},
  };
  return { host, controller };
}

/** The whole terminal as the app draws it: the screen between the title bar and the status line. */
function draw(f: Fake, module = replayScreen, cols = COLS, rows = ROWS): string[] {
  const canvas = new Canvas(cols, rows);
  module.render(canvas, f.host, { top: 2, height: rows - 5, width: cols });
  drawChrome(canvas, f.host.controller, module.hints(f.host));
  return canvas.text();
}

const key = (name: string, ch?: string) => ({ name, ...(ch ? { ch } : {}) }) as Parameters<typeof replayScreen.key>[0];

describe('the replay screen', () => {
  const doc = syntheticReplay({ seed: 1234 });
  const replayOf = () => ({ name: 'replay', match: match(42), load: 'ready' }) as Screen;

  it('fits 80 × 24: title, field, names and the timeline inside the screen area, the key hints whole on the bottom bar', () => {
    const run = new ReplayRun(doc, 7);
    const f = fake(replayOf(), { replay: run });
    run.seekTo(4);
    const lines = draw(f);
    expect(lines).toHaveLength(ROWS);
    expect(lines[2]).toContain('Replay · duel · ');
    expect(lines[2]).toContain('bob vs ann');
    const boxTop = lines.findIndex((line) => /┌─+┐/.test(line));
    const boxBottom = lines.findIndex((line) => /└─+┘/.test(line));
    expect(boxTop).toBe(3);
    expect(boxBottom).toBeGreaterThan(boxTop + 5);
    expect(lines[boxBottom + 1]).toMatch(/^\s+bob\s+ann\s+$/);
    // The timeline: the last row of the screen area, above the notice line and the bottom bar.
    const timeline = lines[ROWS - 4];
    expect(boxBottom).toBeLessThan(ROWS - 4);
    expect(timeline).toMatch(/^ ▶ 1x\s+0:04 [━─◆●]+ \d:\d\d {2}\d – \d\s*$/);
    expect(timeline).toContain(` ${clock(run.totalSeconds)}  `);
    expect(timeline.match(/◆/g)?.length ?? 0).toBeGreaterThanOrEqual(Math.min(2, run.goals.length));
    expect(timeline).toContain('●');
    expect(lines[ROWS - 1].trim()).toBe('Space pause · +/- speed · ←→ 5 s · n goal · q back');
    // With a status on the bar the hints keep their room.
    const down = fake(replayOf(), { replay: run, status: { text: ConnectionTexts.lost, kind: 'error', connection: true } });
    expect(draw(down)[ROWS - 1].endsWith('Space pause · +/- speed · ←→ 5 s · n goal · q back ')).toBe(true);
  });

  it('draws the ball and both paddles with the live game\'s field, the big score on a tall terminal', () => {
    const run = new ReplayRun(doc, 7);
    run.seekTo(3);
    const lines = draw(fake(replayOf(), { replay: run }), replayScreen, 120, 40);
    const field = lines.slice(7, 36).join('\n');
    expect(field.match(/[█▀▄]/g)!.length).toBeGreaterThan(4);
    // Big digits (3 rows high) of the score 0 – 0 above the field.
    expect(lines[3]).toMatch(/█▀█.*█▀█/);
  });

  it('is driven by Space, + and -, the arrows, n, and q', () => {
    const run = new ReplayRun(doc, 7);
    const f = fake(replayOf(), { replay: run });
    replayScreen.key(key('space', ' '), f.host);
    expect(run.playing).toBe(false);
    expect(replayScreen.hints(f.host)).toMatch(/^Space play · /);
    expect(draw(f)[ROWS - 4]).toMatch(/^ ‖ 1x /);
    replayScreen.key(key('char', '+'), f.host);
    replayScreen.key(key('char', '+'), f.host);
    expect(run.speed).toBe(4);
    replayScreen.key(key('char', '-'), f.host);
    expect(run.speed).toBe(2);
    expect(draw(f)[ROWS - 4]).toMatch(/^ ‖ 2x /);
    replayScreen.key(key('right'), f.host);
    replayScreen.key(key('right'), f.host);
    expect(run.seconds).toBe(10);
    replayScreen.key(key('left'), f.host);
    expect(run.seconds).toBe(5);
    const goal = run.goals.find((g) => g.tick > run.tick)!;
    replayScreen.key(key('char', 'n'), f.host);
    expect(run.tick).toBe(goal.tick);
    expect(run.score).toEqual(goal.score);
    expect(draw(f)[ROWS - 4]).toMatch(new RegExp(`${goal.score.b} – ${goal.score.a}\\s*$`));
    for (let i = 0; i <= run.goals.length; i++) replayScreen.key(key('char', 'n'), f.host);
    expect(run.ended).toBe(true);
    const end = draw(f);
    expect(end.join('\n')).toContain('End of the match');
    expect(end.join('\n')).toContain(`bob ${doc.field_score.b} – ${doc.field_score.a} ann`);
    expect(end[ROWS - 4]).toMatch(new RegExp(`^ ■ 2x\\s+${clock(run.totalSeconds)} .* ${doc.field_score.b} – ${doc.field_score.a}\\s*$`));
    replayScreen.key(key('char', 'q'), f.host);
    replayScreen.key(key('escape'), f.host);
    expect(f.controller.back).toHaveBeenCalledTimes(2);
  });

  it('says in a sentence that a match has no replay, or that it is loading', () => {
    for (const [load, text] of [['missing', ReplayTexts.missing], ['loading', ReplayTexts.loading], ['failed', ReplayTexts.failed]] as const) {
      const f = fake({ name: 'replay', match: match(42), load });
      const lines = draw(f).join('\n');
      expect(lines).toContain(text);
      expect(lines).toContain('Esc or q: back to the match history');
      expect(lines).not.toMatch(/\b404\b/);
      expect(replayScreen.hints(f.host)).toBe('Esc/q back to the match history');
      replayScreen.key(key('escape'), f.host);
      expect(f.controller.back).toHaveBeenCalledTimes(1);
    }
  });
});

describe('the match history screen', () => {
  it('describes a match from the viewer\'s side: date, mode, opponents, score mine first, won or lost', () => {
    expect(historyRow(match(1), 7)).toMatchObject({ mode: 'duel', opponents: 'bob', score: '3 – 1', result: 'won' });
    expect(historyRow(match(1), 9)).toMatchObject({ opponents: 'ann', score: '1 – 3', result: 'lost' });
    expect(historyRow(match(1), 7).date).toMatch(/^2026-12-0[45] \d\d:\d3$/);
    const clash = match(2, {
      game_mode: 'custom_game',
      teams: { a: { score: 0, players: [{ id: 7, username: 'ann', score: 0 }] }, b: { score: 3, players: [{ id: 5, score: 3 }, { id: 6, username: 'cid', score: 0 }] } },
      winner: 'b', looser: 'a',
    } as Partial<MatchObject>);
    expect(historyRow(clash, 7)).toMatchObject({ mode: 'custom game', opponents: 'a deleted player, cid', score: '0 – 3', result: 'lost' });
    const row = formatHistoryRow(historyRow(clash, 7), 73);
    expect(row.length).toBeLessThanOrEqual(73);
    expect(row).toMatch(/^2026-12-0\d \d\d:\d\d {2}custom game {2}a deleted player, cid +0 – 3 {2}lost$/);
  });

  const history = (n: number, selected: number, next: string | null = null): MatchHistory => ({
    matches: Array.from({ length: n }, (_, i) => match(100 - i, i % 2 ? {
      winner: 'b', looser: 'a',
      teams: { a: { score: 1, players: [{ id: 7, username: 'ann', score: 1 }] }, b: { score: 3, players: [{ id: 9, username: 'bob', score: 3 }] } },
    } : {})),
    count: n + (next ? 10 : 0), next, loading: false, selected,
  });

  it('lists the matches at 80 × 24, keeps the selection in view, and says when more can be loaded', () => {
    const f = fake({ name: 'history' }, { history: history(30, 25, 'https://x/api/game/matches/7/?limit=30&offset=30') });
    const lines = draw(f, historyScreen);
    const text = lines.join('\n');
    expect(text).toContain('Match history — 40 finished matches');
    expect(text).toMatch(/Date +Mode +Opponents +Score +Result/);
    const selected = lines.find((line) => line.includes('▶'))!;
    expect(selected).toMatch(/▶ 2026-12-0\d \d\d:\d\d {2}duel +bob +1 – 3 {2}lost/);
    expect(text).toContain('26 of 40 · more below');
    for (const line of lines) expect(line.length).toBe(COLS);
    expect(lines[ROWS - 1].trim()).toBe('↑↓ move · Enter watch the replay · Esc back');
    // Every row between the header and the footer is a match row.
    const rows = lines.filter((line) => /\d – \d {2}(won|lost)/.test(line));
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.length).toBeLessThanOrEqual(ROWS - 8);
  });

  it('moves with the arrows, opens the replay with Enter, goes back with Esc', () => {
    const f = fake({ name: 'history' }, { history: history(5, 2) });
    historyScreen.key(key('down'), f.host);
    expect(f.controller.selectMatch).toHaveBeenLastCalledWith(3);
    historyScreen.key(key('up'), f.host);
    expect(f.controller.selectMatch).toHaveBeenLastCalledWith(1);
    historyScreen.key(key('end'), f.host);
    expect(f.controller.selectMatch).toHaveBeenLastCalledWith(4);
    historyScreen.key(key('enter'), f.host);
    expect(f.controller.openReplay).toHaveBeenCalledTimes(1);
    historyScreen.key(key('escape'), f.host);
    expect(f.controller.back).toHaveBeenCalledTimes(1);
  });

  it('says when there is no match yet, and while the first page loads', () => {
    expect(draw(fake({ name: 'history' }, { history: { matches: [], count: 0, next: null, loading: false, selected: 0 } }), historyScreen).join('\n'))
      .toContain('No finished match yet');
    expect(draw(fake({ name: 'history' }, { history: { matches: [], count: null, next: null, loading: true, selected: 0 } }), historyScreen).join('\n'))
      .toContain('Loading the match history…');
  });

  it('is an entry of the main menu (h)', () => {
    const f = fake({ name: 'menu' });
    expect(draw(f, menuScreen).join('\n')).toContain('Match history and replays  (h)');
    menuScreen.key(key('char', 'h'), f.host);
    expect(f.controller.openHistory).toHaveBeenCalledTimes(1);
  });
});

import { Styles, type Canvas } from '../canvas.js';
import { ReplayTexts } from '../controller.js';
import { bigNumberWidth, drawBigNumber, drawField, fieldSize } from '../field.js';
import { clock, SEEK_SECONDS, type ReplayRun } from '../replay.js';
import type { Team } from '../../game/engine/index.js';
import { matchDate, modeLabel, namesOf } from './history.js';
import type { ScreenModule } from './types.js';

/**
 * A finished match played again (`ReplayRun`: the replay player and the
 * engine), drawn with the live game's field: the viewer's side blue, team a
 * on the right as spectators see it. One line at the bottom: play state,
 * speed, position, a timeline with the goals, the score.
 */

const SIDE_STYLES = { mine: Styles.blue, theirs: Styles.red } as const;

function overlay(canvas: Canvas, lines: Array<[string, string]>, midX: number, midY: number): void {
  const width = Math.min(canvas.width - 2, Math.max(...lines.map(([text]) => text.length)) + 6);
  const x = Math.max(0, midX - Math.floor(width / 2));
  const y = midY - Math.floor(lines.length / 2) - 1;
  canvas.clear(x, y, width, lines.length + 2);
  canvas.box(x, y, width, lines.length + 2, Styles.yellow);
  lines.forEach(([text, style], index) => canvas.center(y + 1 + index, text, style, x, width));
}

/** A team's colour on this screen. */
const styleOf = (run: ReplayRun, team: Team) => (team === run.myTeam ? SIDE_STYLES.mine : SIDE_STYLES.theirs);

/**
 * The bottom line: `▶ 1x  0:42 ━━━━●──◆────◆── 1:55  1 – 2`: playing or not,
 * the speed, the position, the timeline (played part, goals, position) and
 * the score, left side first as on the field.
 */
export function drawTimeline(canvas: Canvas, x: number, y: number, width: number, run: ReplayRun): void {
  const state = run.ended ? '■' : run.playing ? '▶' : '‖';
  const head = `${state} ${`${run.speed}x`.padEnd(4)} ${clock(run.seconds)} `;
  const length = ` ${clock(run.totalSeconds)}  `;
  const left = String(run.score.b);
  const right = String(run.score.a);
  const barWidth = Math.max(5, width - head.length - length.length - left.length - 3 - right.length);
  canvas.put(x, y, head, run.playing ? Styles.green : Styles.yellow);
  const bar = x + head.length;
  const col = (seconds: number) => (run.totalSeconds > 0 ? Math.round((seconds / run.totalSeconds) * (barWidth - 1)) : 0);
  const at = col(run.seconds);
  for (let i = 0; i < barWidth; i++) canvas.set(bar + i, y, i <= at ? '━' : '─', i <= at ? Styles.cyan : Styles.dim);
  for (const goal of run.goals) canvas.set(bar + col(run.secondsAt(goal.tick)), y, '◆', `1;${styleOf(run, goal.team)}`);
  canvas.set(bar + at, y, '●', '1;33');
  let sx = bar + barWidth;
  canvas.put(sx, y, length, Styles.dim);
  sx += length.length;
  canvas.put(sx, y, left, `1;${styleOf(run, 'b')}`);
  canvas.put(sx + left.length, y, ' – ', Styles.dim);
  canvas.put(sx + left.length + 3, y, right, `1;${styleOf(run, 'a')}`);
}

export const replayScreen: ScreenModule = {
  render(canvas, host, area) {
    const screen = host.controller.state.screen;
    if (screen.name !== 'replay') return;
    const { match } = screen;
    const run = host.controller.replay;
    const top = area.top;
    const title = `Replay · ${modeLabel(match)} · ${matchDate(match.created_at)}`;
    if (screen.load !== 'ready' || !run) {
      canvas.center(top, title, Styles.dim);
      const mid = top + Math.floor(area.height / 2) - 1;
      const text = { loading: ReplayTexts.loading, missing: ReplayTexts.missing, failed: ReplayTexts.failed, ready: ReplayTexts.loading }[screen.load];
      canvas.center(mid, text, screen.load === 'loading' || screen.load === 'ready' ? Styles.yellow : screen.load === 'missing' ? Styles.bold : Styles.error);
      if (screen.load === 'missing') canvas.center(mid + 1, 'Only matches played in a game room since replays exist can be watched again.', Styles.dim);
      canvas.center(mid + 3, 'Esc or q: back to the match history', Styles.key);
      return;
    }

    const frame = run.frame(host.now());
    const { view } = frame;
    const { replay } = run;
    const left = namesOf(replay.teams.b);
    const right = namesOf(replay.teams.a);
    canvas.center(top, `${title} · ${left} vs ${right}`, Styles.dim);
    // The big score when there is room for it, as in a live game.
    const big = area.height >= 26;
    const mid = Math.floor(area.width / 2);
    if (big) {
      drawBigNumber(canvas, mid - 4 - bigNumberWidth(run.score.b), top + 1, run.score.b, styleOf(run, 'b'));
      canvas.put(mid - 1, top + 2, '–', Styles.dim);
      drawBigNumber(canvas, mid + 3, top + 1, run.score.a, styleOf(run, 'a'));
    }
    const above = big ? 4 : 1;
    // Above the field: the title (and the big score); below: its frame, the names, the timeline.
    const size = fieldSize(area.width - 2, area.height - above - 4, view.layout.width, view.layout.height);
    const x0 = Math.floor((area.width - size.cols - 2) / 2);
    const y0 = top + above;
    drawField(canvas, x0, y0, size, view);
    canvas.put(x0 + 1, y0 + size.rows + 2, left.slice(0, Math.floor(size.cols / 2) - 1), styleOf(run, 'b'));
    const rightShown = right.slice(0, Math.floor(size.cols / 2) - 1);
    canvas.put(x0 + size.cols + 1 - rightShown.length, y0 + size.rows + 2, rightShown, styleOf(run, 'a'));

    const fieldMidX = x0 + 1 + Math.floor(size.cols / 2);
    const fieldMidY = y0 + 1 + Math.floor(size.rows / 2);
    if (frame.ended) {
      const { final_score: final, field_score: field } = replay;
      const winner = replay.winner ? namesOf(replay.teams[replay.winner]) : null;
      const lines: Array<[string, string]> = [
        ['End of the match', Styles.bold],
        [`${left} ${field.b} – ${field.a} ${right}`, Styles.none],
      ];
      if (final.a !== field.a || final.b !== field.b) lines.push([`Recorded result ${final.b} – ${final.a} (${replay.finish_reason ?? 'forfeit'})`, Styles.dim]);
      if (winner) lines.push([`${winner} won`, Styles.yellow]);
      lines.push(['Space: watch again · q: back', Styles.key]);
      overlay(canvas, lines, fieldMidX, fieldMidY);
    } else if (frame.paused) {
      overlay(canvas, [['Paused: a player was away', Styles.yellow]], fieldMidX, fieldMidY);
    } else if (view.countdown !== null) {
      const width = bigNumberWidth(view.countdown);
      canvas.clear(fieldMidX - width, fieldMidY - 2, width * 2 + 1, 5);
      drawBigNumber(canvas, fieldMidX - Math.floor(width / 2), fieldMidY - 1, view.countdown, Styles.yellow);
    }

    drawTimeline(canvas, 1, top + area.height - 1, area.width - 2, run);
  },

  key(key, host) {
    if (key.release) return;
    const { controller } = host;
    if (key.name === 'escape' || key.name === 'backspace' || (key.name === 'char' && !key.ctrl && !key.alt && key.ch?.toLowerCase() === 'q')) {
      controller.back();
      return;
    }
    const run = controller.replay;
    if (!run || key.ctrl || key.alt) return;
    if (key.name === 'space') run.toggle();
    else if (key.name === 'left') run.seekBy(-SEEK_SECONDS);
    else if (key.name === 'right') run.seekBy(SEEK_SECONDS);
    else if (key.name === 'home') run.seekTo(0);
    else if (key.name === 'end') run.seekTo(run.totalSeconds);
    else if (key.name === 'char') {
      if (key.ch === '+' || key.ch === '=') run.faster();
      else if (key.ch === '-' || key.ch === '_') run.slower();
      else if (key.ch?.toLowerCase() === 'n') run.nextGoal();
    }
  },

  hints: (host) => {
    const run = host.controller.replay;
    const screen = host.controller.state.screen;
    if (!run || screen.name !== 'replay' || screen.load !== 'ready') return 'Esc/q back to the match history';
    return `Space ${run.playing ? 'pause' : 'play'} · +/- speed · ←→ 5 s · n goal · q back`;
  },
};

import { Styles } from '../canvas.js';
import type { MatchObject } from '../../client/types.js';
import type { Team } from '../../game/engine/index.js';
import type { ScreenModule } from './types.js';

/**
 * The menu's "Match history": the user's finished matches, most recent first
 * (`GET /api/game/matches/<id>/`, page by page through its `next` links),
 * one per row: date, mode, opponents, score, won or lost. Enter opens the
 * replay of the selected one.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-12-05 14:03`, local time. */
export function matchDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso.slice(0, 16);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `duel`, `ranked`, `custom game`… */
export const modeLabel = (match: Pick<MatchObject, 'game_mode'>) => match.game_mode.replace('_', ' ');

/** The viewer's team in a match (team a when he did not play it). */
export function teamOf(match: Pick<MatchObject, 'teams'>, userId: number | null | undefined): Team {
  return match.teams.b.players.some((p) => p.id === userId) ? 'b' : 'a';
}

/** A team's player names; an account deleted since has none. */
export const namesOf = (players: ReadonlyArray<{ username?: string }>) => players.map((p) => p.username ?? 'a deleted player').join(', ') || '—';

export interface HistoryRow {
  date: string;
  mode: string;
  opponents: string;
  /** Mine first: `3 – 1`. */
  score: string;
  result: 'won' | 'lost' | '—';
}

export function historyRow(match: MatchObject, userId: number | null | undefined): HistoryRow {
  const mine = teamOf(match, userId);
  const other: Team = mine === 'a' ? 'b' : 'a';
  return {
    date: matchDate(match.created_at),
    mode: modeLabel(match),
    opponents: namesOf(match.teams[other].players),
    score: `${match.teams[mine].score} – ${match.teams[other].score}`,
    result: match.winner === mine ? 'won' : match.winner ? 'lost' : '—',
  };
}

const fit = (text: string, width: number) => (text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text.padEnd(width));

/** The columns of one row: `width` is the whole row's, the opponents get what the others leave. */
export function formatHistoryRow(row: HistoryRow, width: number): string {
  const opponents = Math.max(8, width - 46);
  return `${row.date.padEnd(16)}  ${fit(row.mode, 11)}  ${fit(row.opponents, opponents)}  ${row.score.padStart(7)}  ${row.result}`;
}

/** Rows moved by Page Up / Page Down. */
const PAGE_ROWS = 10;

export const historyScreen: ScreenModule = {
  render(canvas, host, area) {
    const { history, user } = host.controller.state;
    if (!history) return;
    const width = Math.min(area.width - 4, 110);
    const x = Math.max(1, Math.floor((area.width - width) / 2));
    let y = area.top;
    const total = history.count === null ? '' : ` — ${history.count} finished match${history.count === 1 ? '' : 'es'}`;
    canvas.put(x, y, `Match history${total}`, Styles.bold);
    y += 2;
    if (history.count === null) {
      canvas.put(x, y, history.loading ? 'Loading the match history…' : 'The match history cannot be loaded right now.', history.loading ? Styles.yellow : Styles.error);
      return;
    }
    if (history.matches.length === 0) {
      canvas.put(x, y, 'No finished match yet: play one from the menu (d: duel).', Styles.dim);
      return;
    }
    const rowWidth = width - 3;
    canvas.put(x + 3, y, formatHistoryRow({ date: 'Date', mode: 'Mode', opponents: 'Opponents', score: 'Score', result: '—' }, rowWidth).replace(/—$/, 'Result'), Styles.dim);
    y += 1;
    // The rows that fit, the selected one kept in view.
    const visible = Math.max(1, area.top + area.height - 1 - y);
    const { matches, selected } = history;
    const first = Math.max(0, Math.min(selected - Math.floor(visible / 2), matches.length - visible));
    for (let i = first; i < Math.min(matches.length, first + visible); i++) {
      const row = historyRow(matches[i], user?.id);
      const text = ` ${i === selected ? '▶' : ' '} ${formatHistoryRow(row, rowWidth)}`;
      const style = i === selected ? '1;30;46' : row.result === 'won' ? Styles.green : row.result === 'lost' ? Styles.red : Styles.none;
      canvas.put(x, y + i - first, text.padEnd(width), style);
    }
    const more = history.loading ? ' · loading more…' : history.next ? ' · more below' : '';
    canvas.put(x, area.top + area.height - 1, `${selected + 1} of ${history.count}${more}`, Styles.dim);
  },

  key(key, host) {
    if (key.release) return;
    const { controller } = host;
    const selected = controller.state.history?.selected ?? 0;
    const last = (controller.state.history?.matches.length ?? 1) - 1;
    switch (key.name) {
      case 'up':
        return controller.selectMatch(selected - 1);
      case 'down':
        return controller.selectMatch(selected + 1);
      case 'pageup':
        return controller.selectMatch(selected - PAGE_ROWS);
      case 'pagedown':
        return controller.selectMatch(selected + PAGE_ROWS);
      case 'home':
        return controller.selectMatch(0);
      case 'end':
        return controller.selectMatch(last);
      case 'enter':
        return void controller.openReplay();
      case 'escape':
      case 'backspace':
        return controller.back();
      case 'char':
        if (!key.ctrl && !key.alt && (key.ch === 'q' || key.ch === 'b')) controller.back();
        return;
      default:
    }
  },

  hints: () => '↑↓ move · Enter watch the replay · Esc back',
};

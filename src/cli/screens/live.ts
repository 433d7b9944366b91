import { Styles } from '../canvas.js';
import { teamNames } from '../game-client.js';
import type { LiveMatch } from '../play/play-api.js';
import { drawPrompt, fit, play, PROMPT_HINTS, promptKey, typed } from './play-common.js';
import type { ScreenModule } from './types.js';

/**
 * The live matches the user may watch (`GET /api/game/live/`, newest first,
 * page by page), read again when the `activity-update` event says the list
 * changed. Enter watches the selected one; `s` watches one by its code.
 */

const MODES: Record<string, string> = { duel: 'duel', ranked: 'ranked', clash: 'clash', custom_game: 'custom', tournament: 'tournament' };

/** One row: mode, the teams (team b first, as the field shows them: team a on the right), score, spectators. */
export function liveRow(match: LiveMatch, width: number): string {
  const mode = fit(MODES[match.game_mode] ?? match.game_mode, 10, true);
  const score = `${match.score.b} – ${match.score.a}`.padStart(7);
  const watching = `${match.spectators} watching`.padStart(12);
  const players = `${teamNames(match.teams.b)} vs ${teamNames(match.teams.a)}`;
  return `${mode}  ${fit(players, Math.max(8, width - 35), true)}  ${score}  ${watching}`;
}

const PAGE_ROWS = 10;

export const liveScreen: ScreenModule = {
  render(canvas, host, area) {
    const features = play(host);
    const live = features.state.live;
    const width = Math.min(area.width - 4, 110);
    const x = Math.max(1, Math.floor((area.width - width) / 2));
    let y = area.top;
    const count = live?.count;
    canvas.put(x, y, fit(`Live matches${count === null || count === undefined ? '' : ` — ${count} being played`}`, width), Styles.bold);
    canvas.put(x, y + 1, fit('Enter: watch the selected match · s: watch by code · r: read the list again', width), Styles.key);
    y += 3;
    if (!live || (live.count === null && live.loading)) {
      canvas.put(x, y, 'Loading the live matches…', Styles.yellow);
    } else if (live.matches.length === 0) {
      canvas.put(x, y, fit('No match is being played right now. The list updates by itself.', width), Styles.dim);
    } else {
      const rowWidth = width - 3;
      canvas.put(x + 3, y, fit(`${'Mode'.padEnd(10)}  ${'Players (left vs right)'.padEnd(Math.max(8, rowWidth - 35))}  ${'Score'.padStart(7)}  ${'Spectators'.padStart(12)}`, rowWidth), Styles.dim);
      y += 1;
      const visible = Math.max(1, area.top + area.height - 1 - y);
      const first = Math.max(0, Math.min(live.selected - Math.floor(visible / 2), live.matches.length - visible));
      for (let i = first; i < Math.min(live.matches.length, first + visible); i++) {
        const text = ` ${i === live.selected ? '▶' : ' '} ${liveRow(live.matches[i], rowWidth)}`;
        canvas.put(x, y + i - first, fit(text, width, true), i === live.selected ? '1;30;46' : Styles.none);
      }
      const more = live.loading ? ' · loading more…' : live.next ? ' · more below' : '';
      canvas.put(x, area.top + area.height - 1, fit(`${live.selected + 1} of ${live.count ?? live.matches.length}${more}`, width), Styles.dim);
    }
    if (features.state.prompt) drawPrompt(canvas, features.state.prompt, area);
  },

  key(key, host) {
    if (promptKey(key, host)) return;
    if (key.release) return;
    const features = play(host);
    const selected = features.state.live?.selected ?? 0;
    switch (key.name) {
      case 'up':
        return features.selectLive(selected - 1);
      case 'down':
        return features.selectLive(selected + 1);
      case 'pageup':
        return features.selectLive(selected - PAGE_ROWS);
      case 'pagedown':
        return features.selectLive(selected + PAGE_ROWS);
      case 'home':
        return features.selectLive(0);
      case 'end':
        return features.selectLive(Number.MAX_SAFE_INTEGER);
      case 'enter':
        features.spectateSelected();
        return;
      case 'escape':
      case 'backspace':
        return features.back();
      default:
    }
    const ch = typed(key)?.toLowerCase();
    if (ch === 's') features.ask('spectate-code');
    else if (ch === 'r') void features.refreshLive();
    else if (ch === 'q') features.back();
  },

  hints: (host) => (play(host).state.prompt ? PROMPT_HINTS : '↑↓ move · Enter watch · s code · Esc back'),
};

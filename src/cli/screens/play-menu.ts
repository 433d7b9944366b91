import { Styles } from '../canvas.js';
import type { PlayFeatures } from '../play/features.js';
import { drawMenu } from './chrome.js';
import { drawPrompt, fit, play, PROMPT_HINTS, promptKey, typed } from './play-common.js';
import type { ScreenHost, ScreenModule } from './types.js';

/**
 * The play menu (`g` in the main menu): lobbies, tournaments, the computer,
 * the local game and the live matches, each one key away.
 */

interface Entry {
  label(features: PlayFeatures): string;
  shortcut: string;
  /** The key named in the label (`Esc`). */
  keyLabel?: string;
  run(host: ScreenHost): void;
  shown?(features: PlayFeatures): boolean;
}

const ENTRIES: Entry[] = [
  { label: (f) => `Back to your lobby ${f.state.lobby?.code ?? ''}`, shortcut: 'o', run: (h) => void play(h).openLobby(), shown: (f) => f.state.lobby !== null },
  { label: () => 'New custom game lobby (1v1 or 3v3)', shortcut: 'n', run: (h) => void play(h).createLobby('custom_game') },
  { label: () => 'New clash lobby (3v3 against other teams)', shortcut: 'x', run: (h) => void play(h).createLobby('clash') },
  { label: () => 'Join a lobby by its code', shortcut: 'j', run: (h) => play(h).ask('lobby-code') },
  { label: (f) => (f.state.tournament ? `Your tournament: ${f.state.tournament.tournament.name}` : 'Tournaments: create, join, bracket'), shortcut: 't', run: (h) => void play(h).openTournaments() },
  { label: (f) => `Play the computer — level ◀ ${f.state.computerLevel} ▶`, shortcut: 'a', run: (h) => void play(h).playComputer() },
  { label: () => 'Local game: two players, one keyboard', shortcut: 'k', run: (h) => play(h).startLocal() },
  { label: () => 'Watch live matches', shortcut: 'w', run: (h) => void play(h).openLive() },
  { label: () => 'Watch a match by its code', shortcut: 's', run: (h) => play(h).ask('spectate-code') },
  { label: () => 'Back to the main menu', shortcut: 'escape', keyLabel: 'Esc', run: (h) => play(h).back() },
];

/** The entries shown now (the way back to one's lobby only while in one). */
export function playEntries(features: PlayFeatures): Entry[] {
  return ENTRIES.filter((entry) => entry.shown?.(features) ?? true);
}

const COMPUTER = 'a';

export const playMenuScreen: ScreenModule = {
  render(canvas, host, area) {
    const features = play(host);
    const entries = playEntries(features);
    const index = Math.min(features.state.menuIndex, entries.length - 1);
    const width = Math.min(area.width - 4, 62);
    const x = Math.max(2, Math.floor((area.width - width) / 2));
    let y = area.top + Math.max(0, Math.floor((area.height - entries.length - 5) / 2));
    canvas.put(x, y, 'Play', Styles.bold);
    canvas.put(x, y + 1, fit('Lobbies, tournaments, the computer, local game, live matches.', width), Styles.dim);
    y += 3;
    const labelWidth = width - 10;
    drawMenu(canvas, x, y, entries.map((entry) => ({ label: `${fit(entry.label(features), labelWidth, true)} (${entry.keyLabel ?? entry.shortcut})` })), index);
    const busy = features.state.busy;
    if (busy) canvas.put(x, y + entries.length + 1, fit(busy, width), Styles.yellow);
    else if (host.controller.state.user?.is_guest) canvas.put(x, y + entries.length + 1, fit('Guests join by code; creating one needs an account.', width), Styles.dim);
    if (features.state.prompt) drawPrompt(canvas, features.state.prompt, area);
  },

  key(key, host) {
    if (promptKey(key, host)) return;
    if (key.release) return;
    const features = play(host);
    const entries = playEntries(features);
    const index = Math.min(features.state.menuIndex, entries.length - 1);
    if (key.name === 'up' || key.name === 'backtab') features.selectMenu((index + entries.length - 1) % entries.length);
    else if (key.name === 'down' || key.name === 'tab') features.selectMenu((index + 1) % entries.length);
    else if ((key.name === 'left' || key.name === 'right') && entries[index]?.shortcut === COMPUTER) features.cycleLevel(key.name === 'left' ? -1 : 1);
    else if (key.name === 'enter') entries[index]?.run(host);
    else if (key.name === 'escape' || key.name === 'backspace') features.back();
    else {
      const ch = typed(key)?.toLowerCase();
      const found = entries.findIndex((entry) => entry.shortcut === ch);
      if (found >= 0) {
        features.selectMenu(found);
        entries[found].run(host);
      } else if (ch === 'q') features.back();
    }
  },

  hints: (host) => (play(host).state.prompt ? PROMPT_HINTS : '↑↓ Enter · ←→ computer level · Esc back'),
};

import { Styles, type Canvas } from '../canvas.js';
import type { Key } from '../keys.js';
import type { PlayFeatures, Prompt } from '../play/features.js';
import type { Area, ScreenHost } from './types.js';

/** What the play screens share: fitting text, the prompt box and its keys. */

/** `text` cut to `width` columns (with `…`), padded to it when `pad`. */
export function fit(text: string, width: number, pad = false): string {
  if (width <= 0) return '';
  const cut = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  return pad ? cut.padEnd(width) : cut;
}

export const play = (host: ScreenHost): PlayFeatures => host.controller.play;

/** A plain character typed (no Ctrl, no Alt). */
export const typed = (key: Key): string | null => (key.name === 'char' && !key.ctrl && !key.alt && key.ch ? key.ch : null);

const PROMPT_TITLES: Record<Prompt['purpose'], string> = {
  'lobby-code': 'Join a lobby: type its code (4 digits)',
  'tournament-code': 'Join a tournament: type its code (4 digits)',
  'spectate-code': 'Watch a match: type its code',
  'tournament-name': 'New tournament: its name',
};

/** The prompt box, in the middle of the screen area. */
export function drawPrompt(canvas: Canvas, prompt: Prompt, area: Area): void {
  const width = Math.min(area.width - 4, 60);
  const x = Math.floor((area.width - width) / 2);
  const lines = prompt.purpose === 'tournament-name' ? 6 : 5;
  const y = area.top + Math.max(0, Math.floor((area.height - lines) / 2));
  canvas.clear(x, y, width, lines);
  canvas.box(x, y, width, lines, Styles.yellow);
  canvas.put(x + 2, y + 1, fit(PROMPT_TITLES[prompt.purpose], width - 4), Styles.bold);
  const room = width - 7;
  const shown = prompt.text.length > room ? prompt.text.slice(prompt.text.length - room) : prompt.text;
  canvas.put(x + 2, y + 2, `> ${shown}█`, Styles.none);
  let row = y + 3;
  if (prompt.purpose === 'tournament-name') canvas.put(x + 2, row++, `Players: ◀ ${prompt.size} ▶  (←/→)`, Styles.none);
  const action = prompt.purpose === 'tournament-name' ? 'create' : prompt.purpose === 'spectate-code' ? 'watch' : 'join';
  canvas.put(x + 2, row, fit(`Enter: ${action} · Esc: cancel`, width - 4), Styles.key);
}

/** Keys while a prompt is open: typing, Backspace, ←/→ (size), Enter, Esc. Answers true (the key was the prompt's). */
export function promptKey(key: Key, host: ScreenHost): boolean {
  const features = play(host);
  const prompt = features.state.prompt;
  if (!prompt) return false;
  if (key.release) return true;
  if (key.name === 'escape') features.cancelPrompt();
  else if (key.name === 'enter') void features.submitPrompt();
  else if (key.name === 'backspace') features.typePrompt(prompt.text.slice(0, -1));
  else if (key.name === 'left' || key.name === 'right') {
    if (prompt.purpose === 'tournament-name') features.cyclePromptSize(key.name === 'left' ? -1 : 1);
  } else if (key.name === 'space' && prompt.purpose === 'tournament-name') features.typePrompt(`${prompt.text} `);
  else {
    const ch = typed(key);
    if (ch) features.typePrompt(prompt.text + ch);
  }
  return true;
}

export const PROMPT_HINTS = 'type · Enter confirm · Esc cancel';

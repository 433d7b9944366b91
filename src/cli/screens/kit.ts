import { Styles, type Canvas } from '../canvas.js';
import type { Key } from '../keys.js';

/**
 * Small drawing and editing pieces the social screens share: a scrolling
 * list that keeps its selection in view, a one-line text field, word wrap,
 * and text cut to a width with `…`.
 */

export const SELECTED = '1;30;46';

/** `text` cut to `width` columns, with `…` when cut. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...text];
  if (chars.length <= width) return text;
  return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
}

/** `text` cut or padded to exactly `width` columns. */
export const cell = (text: string, width: number) => fit(text, width).padEnd(Math.max(0, width));

/** One line of a list: selectable rows carry their index; headings and blanks do not. */
export interface ListLine {
  text: string;
  style?: string;
  /** The selectable row's index (the selection compares with it). */
  index?: number;
}

/**
 * Draws `lines` in `rows` rows from (x, y), `width` wide, scrolled so that the
 * selected row is in view (with its heading when there is room); the selected
 * row is highlighted. `↑ more` / `↓ more` marks say that rows are hidden.
 */
export function drawList(canvas: Canvas, x: number, y: number, width: number, rows: number, lines: ListLine[], selected: number | null): void {
  if (rows <= 0) return;
  const at = selected === null ? -1 : lines.findIndex((line) => line.index === selected);
  let first = 0;
  if (lines.length > rows && at >= 0) {
    first = Math.max(0, Math.min(at - Math.floor(rows / 2), lines.length - rows));
  }
  const shown = lines.slice(first, first + rows);
  shown.forEach((line, i) => {
    const isSelected = selected !== null && line.index === selected;
    const marker = line.index === undefined ? '' : isSelected ? '▶ ' : '  ';
    canvas.put(x, y + i, cell(`${marker}${line.text}`, width), isSelected ? SELECTED : line.style ?? Styles.none);
  });
  if (first > 0) canvas.put(x + width - 6, y, '↑ more', Styles.dim);
  if (first + rows < lines.length) canvas.put(x + width - 6, y + rows - 1, '↓ more', Styles.dim);
}

/** A one-line field: `label` then the value's tail (with a cursor when focused), underlined. */
export function drawField(canvas: Canvas, x: number, y: number, width: number, label: string, value: string, focused: boolean, secret = false): void {
  const shownLabel = `${label} `;
  canvas.put(x, y, shownLabel, focused ? Styles.key : Styles.none);
  const room = Math.max(1, width - shownLabel.length - 1);
  const text = secret ? '•'.repeat([...value].length) : value;
  const chars = [...text];
  const tail = chars.length >= room ? `…${chars.slice(chars.length - room + 2).join('')}` : text;
  canvas.put(x + shownLabel.length, y, `${tail}${focused ? '▏' : ''}`.padEnd(room), focused ? '4;1' : '4');
}

/** A key that edits a line of text: the new value, or null when the key is not an edit. */
export function editText(value: string, key: Key, max = 200): string | null {
  if (key.release) return null;
  if (key.name === 'backspace') return [...value].slice(0, -1).join('');
  if (key.ctrl && key.name === 'char' && key.ch === 'u') return '';
  if ((key.name === 'char' || key.name === 'space') && !key.ctrl && !key.alt && key.ch) {
    const next = value + key.ch;
    return [...next].length > max ? null : next;
  }
  return null;
}

/** Words wrapped to `width` columns (a word longer than the width is cut into pieces). */
export function wrap(text: string, width: number): string[] {
  const room = Math.max(1, width);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      let rest = [...word];
      while (rest.length > room) {
        if (line) {
          lines.push(line);
          line = '';
        }
        lines.push(rest.slice(0, room).join(''));
        rest = rest.slice(room);
      }
      const piece = rest.join('');
      if (!piece) continue;
      if (!line) line = piece;
      else if ([...line].length + 1 + rest.length <= room) line = `${line} ${piece}`;
      else {
        lines.push(line);
        line = piece;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** Up/Down/PgUp/PgDn/Home/End as a move of a selection: the step, or null for another key. */
export function listStep(key: Key, page = 10): number | null {
  if (key.release || key.ctrl || key.alt) return null;
  switch (key.name) {
    case 'up': return -1;
    case 'down': return 1;
    case 'pageup': return -page;
    case 'pagedown': return page;
    case 'home': return -1_000_000;
    case 'end': return 1_000_000;
    default: return null;
  }
}

/** A plain letter (no Ctrl, no Alt), lower-cased, or null. */
export function letter(key: Key): string | null {
  if (key.release || key.ctrl || key.alt || key.name !== 'char' || !key.ch) return null;
  return key.ch.toLowerCase();
}

/** Esc, or `q` when no text is being typed: back. */
export const isBack = (key: Key) => !key.release && (key.name === 'escape' || letter(key) === 'q');

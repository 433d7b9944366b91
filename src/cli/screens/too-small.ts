import { Styles, type Canvas } from '../canvas.js';
import { wrap } from './kit.js';

/**
 * The smallest terminal every screen works in: 80 × 24 (the classic size;
 * the game field, the replay with its timeline, the lists and forms, the
 * title bar, the notice line and the status line with its key hints whole).
 * Below it the client draws nothing of the screen — no cut-off content — but
 * says how large the window must be, and comes back by itself once it is.
 */
export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export const tooSmall = (columns: number, rows: number) => columns < MIN_COLUMNS || rows < MIN_ROWS;

/** The sentences of the too-small screen, most important first. */
export function tooSmallLines(columns: number, rows: number): string[] {
  return [
    `Make the window at least ${MIN_COLUMNS}x${MIN_ROWS}`,
    `(it is ${columns}x${rows} now)`,
    'Ctrl+Q quits',
  ];
}

/** The whole terminal: the sentences wrapped to its width, centred; on a tiny one, what fits, most important first. */
export function drawTooSmall(canvas: Canvas): void {
  const lines = tooSmallLines(canvas.width, canvas.height).flatMap((text, i) => wrap(text, Math.max(1, canvas.width - 2)).map((line) => ({ line, i })));
  const shown = lines.slice(0, Math.max(1, canvas.height));
  const top = Math.max(0, Math.floor((canvas.height - shown.length) / 2));
  shown.forEach(({ line, i }, row) => canvas.center(top + row, line, i === 0 ? '1;33' : i === 1 ? Styles.none : Styles.dim));
}

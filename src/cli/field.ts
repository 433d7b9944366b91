import type { FieldView } from '../client/game-model.js';
import { Styles, type Canvas } from './canvas.js';

/**
 * The playing field scaled to character cells. Each cell holds two square-ish
 * "pixels" (upper and lower half blocks), so a 1000 × 600 field at the
 * reference scale (7 units per column) is 142 × 43 cells;
 * smaller terminals get a smaller scale with the same proportions.
 */

export interface FieldSize {
  cols: number;
  rows: number;
  /** Canvas units per column, and per half-row pixel. */
  unitsPerCol: number;
  unitsPerPixelRow: number;
}

/** The reference's scale: one cell is 7 units wide; half a cell 7.5 units high. */
const MIN_UNITS_PER_COL = 7;
const PIXEL_ASPECT = 15 / 14;

export function fieldSize(availableCols: number, availableRows: number, width: number, height: number): FieldSize {
  const cols = Math.max(10, availableCols);
  const rows = Math.max(5, availableRows);
  const unitsPerCol = Math.max(MIN_UNITS_PER_COL, width / cols, height / (2 * rows) / PIXEL_ASPECT);
  const unitsPerPixelRow = unitsPerCol * PIXEL_ASPECT;
  return {
    cols: Math.min(cols, Math.ceil(width / unitsPerCol)),
    rows: Math.min(rows, Math.ceil(height / unitsPerPixelRow / 2)),
    unitsPerCol,
    unitsPerPixelRow,
  };
}

const enum Pixel { empty = 0, mine = 1, theirs = 2, ball = 3 }
const PIXEL_FG = ['', '34', '31', '1;33'];
const PIXEL_BG = ['', '44', '41', '43'];

/** Draws the field inside a frame whose top-left corner is (x0, y0): the frame takes one cell on each side. */
export function drawField(canvas: Canvas, x0: number, y0: number, size: FieldSize, view: FieldView): void {
  const { cols, rows, unitsPerCol, unitsPerPixelRow } = size;
  const pixelRows = rows * 2;
  const grid = new Uint8Array(cols * pixelRows);
  // Fixed sizes in pixels, so that a paddle or the ball never changes size as it moves.
  const fill = (x: number, y: number, w: number, h: number, value: Pixel) => {
    if (x + w < 0 || x > view.layout.width) return;
    const c0 = Math.round(x / unitsPerCol);
    const r0 = Math.round(y / unitsPerPixelRow);
    const c1 = Math.min(cols - 1, c0 + Math.max(1, Math.round(w / unitsPerCol)) - 1);
    const r1 = Math.min(pixelRows - 1, r0 + Math.max(1, Math.round(h / unitsPerPixelRow)) - 1);
    for (let r = Math.max(0, r0); r <= r1; r++) for (let c = Math.max(0, c0); c <= c1; c++) grid[r * cols + c] = value;
  };
  const { layout } = view;
  for (const paddle of view.paddles) fill(paddle.x, paddle.y, layout.paddleWidth, layout.paddleHeight, paddle.mine ? Pixel.mine : Pixel.theirs);
  if (view.ball) fill(view.ball.x, view.ball.y, layout.ballSize, layout.ballSize, Pixel.ball);

  canvas.box(x0, y0, cols + 2, rows + 2, Styles.dim);
  const centre = Math.floor(cols / 2);
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const top = grid[row * 2 * cols + col] as Pixel;
      const bottom = grid[(row * 2 + 1) * cols + col] as Pixel;
      const x = x0 + 1 + col;
      const y = y0 + 1 + row;
      if (top === Pixel.empty && bottom === Pixel.empty) {
        canvas.set(x, y, col === centre && row % 2 === 0 ? '┊' : ' ', Styles.dim);
      } else if (top === bottom) {
        canvas.set(x, y, '█', PIXEL_FG[top]);
      } else if (bottom === Pixel.empty) {
        canvas.set(x, y, '▀', PIXEL_FG[top]);
      } else if (top === Pixel.empty) {
        canvas.set(x, y, '▄', PIXEL_FG[bottom]);
      } else {
        canvas.set(x, y, '▀', `${PIXEL_FG[top]};${PIXEL_BG[bottom]}`);
      }
    }
  }
}

/** 3 × 5 pixel digits, drawn with half blocks as 3 × 3 cells. */
const DIGITS = [
  '111101101101111', '010110010010111', '111001111100111', '111001111001111', '101101111001001',
  '111100111001111', '111100111101111', '111001001001001', '111101111101111', '111101111001111',
];

/** Large digits (3 rows high, 4 columns per digit) starting at (x, y). */
export function drawBigNumber(canvas: Canvas, x: number, y: number, value: number, style: string): void {
  const text = String(value);
  [...text].forEach((char, index) => {
    const bits = DIGITS[Number(char)] ?? DIGITS[0];
    for (let row = 0; row < 3; row++) {
      for (let col = 0; col < 3; col++) {
        const top = bits[row * 2 * 3 + col] === '1';
        const bottom = row * 2 + 1 < 5 && bits[(row * 2 + 1) * 3 + col] === '1';
        const ch = top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
        canvas.set(x + index * 4 + col, y + row, ch, style);
      }
    }
  });
}

/** Width in cells of `drawBigNumber(value)`. */
export function bigNumberWidth(value: number): number {
  return String(value).length * 4 - 1;
}

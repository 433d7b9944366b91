/**
 * An off-screen character grid with per-cell styles (SGR parameter strings
 * such as `1;34`), drawn by the screens and turned into terminal lines.
 * Characters are assumed one column wide (box drawing and block elements).
 */

export const Styles = {
  none: '',
  bold: '1',
  dim: '2',
  inverse: '7',
  title: '1;37;44',
  red: '31',
  green: '32',
  yellow: '33',
  blue: '34',
  cyan: '36',
  white: '37',
  error: '1;31',
  ok: '32',
  key: '1;36',
} as const;

interface Cell {
  ch: string;
  style: string;
}

export class Canvas {
  private cells: Cell[][];

  constructor(readonly width: number, readonly height: number) {
    this.cells = Array.from({ length: height }, () => Array.from({ length: width }, () => ({ ch: ' ', style: '' })));
  }

  /** Writes `text` from (x, y), clipped to the canvas. */
  put(x: number, y: number, text: string, style = ''): void {
    if (y < 0 || y >= this.height) return;
    const row = this.cells[y];
    let col = Math.floor(x);
    for (const ch of text) {
      if (col >= this.width) break;
      if (col >= 0) row[col] = { ch, style };
      col += 1;
    }
  }

  /** One cell (for block graphics). */
  set(x: number, y: number, ch: string, style = ''): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.cells[y][x] = { ch, style };
  }

  get(x: number, y: number): string {
    return this.cells[y]?.[x]?.ch ?? ' ';
  }

  /** `text` centred on row `y` (within [x0, x0 + width) when given). */
  center(y: number, text: string, style = '', x0 = 0, width = this.width): void {
    const length = [...text].length;
    this.put(x0 + Math.max(0, Math.floor((width - length) / 2)), y, text, style);
  }

  /** Fills a row segment with one style, keeping the characters. */
  paint(x: number, y: number, length: number, style: string): void {
    for (let col = Math.max(0, x); col < Math.min(this.width, x + length); col++) {
      if (y >= 0 && y < this.height) this.cells[y][col] = { ...this.cells[y][col], style };
    }
  }

  box(x: number, y: number, width: number, height: number, style = ''): void {
    if (width < 2 || height < 2) return;
    this.put(x, y, `┌${'─'.repeat(width - 2)}┐`, style);
    for (let row = y + 1; row < y + height - 1; row++) {
      this.set(x, row, '│', style);
      this.set(x + width - 1, row, '│', style);
    }
    this.put(x, y + height - 1, `└${'─'.repeat(width - 2)}┘`, style);
  }

  /** Blanks a rectangle. */
  clear(x: number, y: number, width: number, height: number): void {
    for (let row = y; row < y + height; row++) this.put(x, row, ' '.repeat(Math.max(0, width)));
  }

  /** The text of every row, without styles (what a screen capture shows). */
  text(): string[] {
    return this.cells.map((row) => row.map((cell) => cell.ch).join(''));
  }

  /** Every row with its SGR sequences, each ending with a reset. */
  lines(): string[] {
    return this.cells.map((row) => {
      let out = '';
      let current = '';
      for (const cell of row) {
        if (cell.style !== current) {
          out += `\x1b[0${cell.style ? `;${cell.style}` : ''}m`;
          current = cell.style;
        }
        out += cell.ch;
      }
      return current ? `${out}\x1b[0m` : out;
    });
  }
}

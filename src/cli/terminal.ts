import type { ReadStream, WriteStream } from 'node:tty';
import { parseKeys, type Key } from './keys.js';

/**
 * The full-screen terminal: alternate screen, hidden cursor, raw keyboard
 * input (with the kitty keyboard protocol's key releases where the terminal
 * offers them), and a line-diffing renderer so that a 30 fps game only
 * rewrites the rows that changed. `stop()` puts everything back.
 */

const ESC = '\x1b';
export const Ansi = {
  altScreenOn: `${ESC}[?1049h`,
  altScreenOff: `${ESC}[?1049l`,
  hideCursor: `${ESC}[?25l`,
  showCursor: `${ESC}[?25h`,
  clear: `${ESC}[2J`,
  home: `${ESC}[H`,
  reset: `${ESC}[0m`,
  /** Kitty keyboard protocol: disambiguate (1) + report event types (2), pushed on the terminal's stack. */
  keyboardPush: `${ESC}[>3u`,
  keyboardPop: `${ESC}[<u`,
  moveTo: (row: number, col: number) => `${ESC}[${row};${col}H`,
  /** xterm window operation: resize the text area (ignored by many terminals). */
  resize: (rows: number, cols: number) => `${ESC}[8;${rows};${cols}t`,
} as const;

export interface TerminalOptions {
  input?: ReadStream;
  output?: WriteStream;
  /** Ask the terminal to become 160 × 60. */
  resize?: boolean;
  /** Ask for key release events (kitty keyboard protocol). */
  keyReleases?: boolean;
}

export class Terminal {
  private readonly input: ReadStream;
  private readonly output: WriteStream;
  private previous: string[] = [];
  private keyListener: ((key: Key) => void) | null = null;
  private resizeListener: (() => void) | null = null;
  private started = false;
  private readonly onData = (data: Buffer | string) => {
    for (const key of parseKeys(data.toString())) this.keyListener?.(key);
  };
  private readonly onResize = () => {
    this.previous = [];
    this.output.write(Ansi.clear);
    this.resizeListener?.();
  };

  constructor(private readonly options: TerminalOptions = {}) {
    this.input = options.input ?? (process.stdin as ReadStream);
    this.output = options.output ?? (process.stdout as WriteStream);
  }

  get columns(): number {
    return this.output.columns || 80;
  }

  get rows(): number {
    return this.output.rows || 24;
  }

  onKey(listener: (key: Key) => void): void {
    this.keyListener = listener;
  }

  onResized(listener: () => void): void {
    this.resizeListener = listener;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.options.resize) this.output.write(Ansi.resize(60, 160));
    this.output.write(Ansi.altScreenOn + Ansi.hideCursor + Ansi.clear + Ansi.home);
    if (this.options.keyReleases !== false) this.output.write(Ansi.keyboardPush);
    if (this.input.isTTY) this.input.setRawMode(true);
    this.input.setEncoding('utf8');
    this.input.on('data', this.onData);
    this.input.resume();
    this.output.on('resize', this.onResize);
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.input.off('data', this.onData);
    this.output.off('resize', this.onResize);
    if (this.input.isTTY) this.input.setRawMode(false);
    this.input.pause();
    if (this.options.keyReleases !== false) this.output.write(Ansi.keyboardPop);
    this.output.write(Ansi.reset + Ansi.showCursor + Ansi.altScreenOff);
  }

  /** Writes the rows that differ from the previous frame. */
  draw(lines: string[]): void {
    let out = '';
    for (let row = 0; row < lines.length; row++) {
      if (this.previous[row] === lines[row]) continue;
      out += Ansi.moveTo(row + 1, 1) + lines[row];
    }
    this.previous = lines;
    if (out) this.output.write(out);
  }
}

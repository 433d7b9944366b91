import { Styles, type Canvas } from '../canvas.js';
import type { Controller } from '../controller.js';

const STREAM_LABELS = { off: 'offline', connecting: 'connecting…', up: 'live', down: 'connection lost' } as const;
const STREAM_STYLES = { off: Styles.dim, connecting: Styles.yellow, up: Styles.green, down: Styles.error } as const;

/** Title bar (server, user, trophies, live stream), notice line and status line around every screen. */
export function drawChrome(canvas: Canvas, controller: Controller, hints: string): void {
  const { state } = controller;
  const width = canvas.width;
  canvas.put(0, 0, ' '.repeat(width), Styles.title);
  let right = 0;
  if (state.user) {
    const stream = state.stream.status;
    const label = `● ${stream === 'connecting' && state.stream.error ? 'reconnecting…' : STREAM_LABELS[stream]}`;
    const who = `${state.user.username} #${state.user.id}${state.user.is_guest ? ' (guest)' : ''} · trophies ${state.user.trophies} · `;
    right = who.length + label.length + 1;
    const x = Math.max(0, width - right);
    canvas.put(x, 0, who, Styles.title);
    canvas.put(x + who.length, 0, label, `${STREAM_STYLES[stream]};44`);
  }
  const left = ` PONG · ${state.server}`;
  const room = Math.max(0, width - right - 1);
  canvas.put(0, 0, left.length > room ? `${left.slice(0, Math.max(0, room - 1))}…` : left, `${Styles.title};1`);

  const notice = state.notices.at(-1);
  const noticeRow = canvas.height - 2;
  if (notice) {
    const age = Math.max(0, Math.round((Date.now() - notice.at) / 1000));
    const text = `» ${notice.text}${age >= 5 ? ` (${age < 60 ? `${age}s` : `${Math.round(age / 60)}m`} ago)` : ''}`;
    canvas.put(1, noticeRow, text.slice(0, width - 2), notice.kind === 'error' ? Styles.error : notice.kind === 'info' ? Styles.green : Styles.yellow);
  }

  drawStatusLine(canvas, state.status, hints);
}

/** `text` cut to `room` columns, with `…` when cut. */
function clip(text: string, room: number): string {
  if (text.length <= room) return text;
  return room <= 1 ? '' : `${text.slice(0, room - 1)}…`;
}

/** The narrowest a status is cut to before the key hints give way. */
const MIN_STATUS = 24;

/**
 * The bottom line: the status (an error or a result) on the left, the key
 * hints on the right. The hints keep their room: a long status is cut
 * instead, unless the terminal is too narrow for both.
 */
export function drawStatusLine(canvas: Canvas, status: { text: string; kind: 'info' | 'error' } | null, hints: string): void {
  const width = canvas.width;
  const row = canvas.height - 1;
  canvas.put(0, row, ' '.repeat(width), Styles.inverse);
  const room = Math.max(0, width - 2);
  if (!status) {
    canvas.put(1, row, clip(hints, room), Styles.inverse);
    return;
  }
  const hintRoom = Math.min(hints.length, Math.max(0, room - Math.min(status.text.length, MIN_STATUS) - 3));
  const shownHints = hintRoom >= Math.min(hints.length, 20) ? clip(hints, hintRoom) : '';
  const text = clip(status.text, shownHints ? room - shownHints.length - 3 : room);
  canvas.put(1, row, text, status.kind === 'error' ? '1;37;41' : '30;42');
  if (shownHints) canvas.put(width - 1 - shownHints.length, row, shownHints, Styles.inverse);
}

/** A vertical menu of labelled items; the selected one is highlighted. */
export function drawMenu(canvas: Canvas, x: number, y: number, items: Array<{ label: string; disabled?: boolean }>, selected: number): void {
  const width = Math.max(...items.map((item) => item.label.length)) + 4;
  items.forEach((item, index) => {
    const text = ` ${index === selected ? '▶' : ' '} ${item.label}`.padEnd(width);
    canvas.put(x, y + index, text, index === selected ? '1;30;46' : item.disabled ? Styles.dim : Styles.none);
  });
}

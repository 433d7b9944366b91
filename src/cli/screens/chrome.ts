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
  const status = state.status;
  if (status && statusCut(canvas.width, status.text, hints)) {
    // Too long for the status line beside the key hints: on the free row above the notice line, whole.
    canvas.put(1, noticeRow - 1, clip(status.text, width - 2), statusStyle(status.kind));
  }
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

/** The room the status has on a status line `width` wide beside `hints`. */
function statusRoom(width: number, hints: string): number {
  const room = Math.max(0, width - 2);
  return room - Math.min(hints.length, room) - 3;
}

/** The status does not fit whole beside the key hints (the chrome then shows it whole above the status line). */
export function statusCut(width: number, text: string, hints: string): boolean {
  return text.length > statusRoom(width, hints);
}

/**
 * The bottom line: the status (an error or a result) on the left, the key
 * hints on the right. The hints are always whole (cut only when they are
 * wider than the terminal): a status too long to stand beside them is shown
 * by the chrome on the row above the notice line instead.
 */
export function drawStatusLine(canvas: Canvas, status: { text: string; kind: 'info' | 'error' } | null, hints: string): void {
  const width = canvas.width;
  const row = canvas.height - 1;
  canvas.put(0, row, ' '.repeat(width), Styles.inverse);
  const room = Math.max(0, width - 2);
  const shownHints = clip(hints, room);
  if (!status) {
    canvas.put(1, row, shownHints, Styles.inverse);
    return;
  }
  // Too long to stand beside the hints: the chrome shows it above (drawChrome), the bar keeps the hints in their place.
  if (!statusCut(width, status.text, hints)) canvas.put(1, row, status.text, statusStyle(status.kind));
  canvas.put(width - 1 - shownHints.length, row, shownHints, Styles.inverse);
}

const statusStyle = (kind: 'info' | 'error') => (kind === 'error' ? '1;37;41' : '30;42');

/** A vertical menu of labelled items; the selected one is highlighted. */
export function drawMenu(canvas: Canvas, x: number, y: number, items: Array<{ label: string; disabled?: boolean }>, selected: number): void {
  const width = Math.max(...items.map((item) => item.label.length)) + 4;
  items.forEach((item, index) => {
    const text = ` ${index === selected ? '▶' : ' '} ${item.label}`.padEnd(width);
    canvas.put(x, y + index, text, index === selected ? '1;30;46' : item.disabled ? Styles.dim : Styles.none);
  });
}

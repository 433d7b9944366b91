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
    const label = `● ${STREAM_LABELS[stream]}`;
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

  const statusRow = canvas.height - 1;
  canvas.put(0, statusRow, ' '.repeat(width), Styles.inverse);
  if (state.status) {
    canvas.put(1, statusRow, state.status.text.slice(0, width - 2), state.status.kind === 'error' ? '1;37;41' : '30;42');
    canvas.put(Math.min(width, state.status.text.length + 1), statusRow, ' '.repeat(width), Styles.inverse);
    const rest = width - state.status.text.length - 4;
    if (rest > 10) canvas.put(state.status.text.length + 3, statusRow, hints.slice(0, rest), Styles.inverse);
  } else {
    canvas.put(1, statusRow, hints.slice(0, width - 2), Styles.inverse);
  }
}

/** A vertical menu of labelled items; the selected one is highlighted. */
export function drawMenu(canvas: Canvas, x: number, y: number, items: Array<{ label: string; disabled?: boolean }>, selected: number): void {
  const width = Math.max(...items.map((item) => item.label.length)) + 4;
  items.forEach((item, index) => {
    const text = ` ${index === selected ? '▶' : ' '} ${item.label}`.padEnd(width);
    canvas.put(x, y + index, text, index === selected ? '1;30;46' : item.disabled ? Styles.dim : Styles.none);
  });
}

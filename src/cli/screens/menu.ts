import { Styles } from '../canvas.js';
import { drawMenu } from './chrome.js';
import type { ScreenHost, ScreenModule } from './types.js';

interface Item {
  label: string;
  shortcut: string;
  run(host: ScreenHost): void;
  disabled?(host: ScreenHost): boolean;
}

/** The searches need the live stream (the server refuses them without it). */
const streamDown = (host: ScreenHost) => host.controller.state.stream.status !== 'up';

const ITEMS: Item[] = [
  { label: 'Duel — play anyone', shortcut: 'd', run: (h) => void h.controller.enterQueue('duel'), disabled: streamDown },
  { label: 'Ranked — play for trophies', shortcut: 'r', run: (h) => void h.controller.enterQueue('ranked'), disabled: (h) => h.controller.state.user?.is_guest === true || streamDown(h) },
  { label: 'Profile and trophies', shortcut: 'p', run: (h) => void h.controller.openProfile() },
  { label: 'Log out', shortcut: 'l', run: (h) => void h.controller.logout() },
  { label: 'Quit', shortcut: 'q', run: (h) => h.quit() },
];

export const menuScreen: ScreenModule = {
  render(canvas, host, area) {
    const user = host.controller.state.user;
    const x = Math.max(2, Math.floor(area.width / 2) - 20);
    let y = area.top + Math.max(1, Math.floor((area.height - 14) / 2));
    if (user) {
      canvas.put(x, y, `Hello ${user.username}!`, Styles.bold);
      canvas.put(x, y + 1, `User #${user.id}${user.is_guest ? ' · guest' : ''} · ${user.trophies} trophies`, Styles.dim);
      if (user.notifications.friend_requests > 0) canvas.put(x, y + 2, `${user.notifications.friend_requests} friend request(s) waiting`, Styles.yellow);
    }
    y += 4;
    drawMenu(canvas, x, y, ITEMS.map((item) => ({ label: `${item.label}  (${item.shortcut})`, disabled: item.disabled?.(host) })), host.ui.menu.index);
    let below = y + ITEMS.length + 1;
    const stream = host.controller.state.stream;
    if (stream.status === 'down' || (stream.status === 'connecting' && stream.error)) {
      canvas.put(x, below++, stream.retryAt === null && stream.status === 'down'
        ? 'The server ended this session: press Ctrl+L and log in again.'
        : 'Connection to the server lost — reconnecting… Duel and Ranked are back with it.', Styles.error);
    } else if (stream.status === 'connecting') {
      canvas.put(x, below++, 'Connecting to the server… Duel and Ranked are ready once connected.', Styles.yellow);
    }
    if (user?.is_guest) canvas.put(x, below, 'Guests cannot play ranked: register an account for trophies.', Styles.dim);
  },

  key(key, host) {
    if (key.release) return;
    const menu = host.ui.menu;
    if (key.name === 'up' || key.name === 'backtab') menu.index = (menu.index + ITEMS.length - 1) % ITEMS.length;
    else if (key.name === 'down' || key.name === 'tab') menu.index = (menu.index + 1) % ITEMS.length;
    else if (key.name === 'enter') ITEMS[menu.index].run(host);
    else if (key.name === 'char' && !key.ctrl && !key.alt) {
      const index = ITEMS.findIndex((item) => item.shortcut === key.ch?.toLowerCase());
      if (index >= 0) {
        menu.index = index;
        ITEMS[index].run(host);
      }
    }
  },

  hints: (host) => (host.controller.state.stream.status === 'up'
    ? '↑↓ Enter · d duel · r ranked · p profile · l log out · q quit'
    : '↑↓ Enter · p profile · l log out · Ctrl+R retry now · q quit'),
};

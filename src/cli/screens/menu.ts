import { Styles } from '../canvas.js';
import { drawMenu } from './chrome.js';
import type { ScreenHost, ScreenModule } from './types.js';

interface Item {
  label: string;
  shortcut: string;
  run(host: ScreenHost): void;
  disabled?(host: ScreenHost): boolean;
  /** A few words after the label: what waits there ("2 unread"). */
  badge?(host: ScreenHost): string | null;
}

/** The searches need the live stream (the server refuses them without it). */
const streamDown = (host: ScreenHost) => host.controller.state.stream.status !== 'up';

const ITEMS: Item[] = [
  { label: 'Duel — play anyone', shortcut: 'd', run: (h) => void h.controller.enterQueue('duel'), disabled: streamDown },
  { label: 'Ranked — play for trophies', shortcut: 'r', run: (h) => void h.controller.enterQueue('ranked'), disabled: (h) => h.controller.state.user?.is_guest === true || streamDown(h) },
  { label: 'Play: lobbies, tournaments, computer, local, watch', shortcut: 'g', run: (h) => h.controller.play.openMenu() },
  { label: 'Friends', shortcut: 'f', run: (h) => void h.controller.social.openFriends(), badge: (h) => plural(h.controller.state.user?.notifications.friend_requests ?? 0, 'request waiting', 'requests waiting') },
  { label: 'Chat', shortcut: 'm', run: (h) => void h.controller.social.openChats(), badge: (h) => plural(h.controller.state.user?.notifications.chats ?? 0, 'unread message', 'unread messages') },
  { label: 'Notifications and invitations', shortcut: 'i', run: (h) => h.controller.social.openInbox(), badge: (h) => plural(h.controller.social?.pendingInvitations().length ?? 0, 'invitation', 'invitations') },
  { label: 'Account and picture', shortcut: 'a', run: (h) => void h.controller.social.openAccount(), badge: (h) => (h.controller.state.user?.is_guest ? 'register this guest' : null) },
  { label: 'Match history and replays', shortcut: 'h', run: (h) => void h.controller.openHistory() },
  { label: 'Profile and trophies', shortcut: 'p', run: (h) => void h.controller.openProfile() },
  { label: 'Log out', shortcut: 'l', run: (h) => void h.controller.logout() },
  { label: 'Quit', shortcut: 'q', run: (h) => h.quit() },
];

/** `2 unread messages`; nothing for 0. */
function plural(count: number, one: string, many: string): string | null {
  return count > 0 ? `${count} ${count === 1 ? one : many}` : null;
}

/** How many items the menu has. */
export const MENU_SIZE = ITEMS.length;

export const menuScreen: ScreenModule = {
  render(canvas, host, area) {
    const user = host.controller.state.user;
    const items = ITEMS.map((item) => {
      const badge = item.badge?.(host);
      return { label: `${item.label}${badge ? ` — ${badge}` : ''}  (${item.shortcut})`, disabled: item.disabled?.(host) };
    });
    const header: Array<[string, string]> = [];
    if (user) {
      header.push([`Hello ${user.username}!`, Styles.bold], [`User #${user.id}${user.is_guest ? ' · guest' : ''} · ${user.trophies} trophies`, Styles.dim]);
      const invitations = host.controller.social?.pendingInvitations().length ?? 0;
      if (invitations > 0) header.push([`${invitations} invitation(s) waiting: Ctrl+N or i to answer`, Styles.yellow]);
    }
    const below: Array<[string, string]> = [];
    const stream = host.controller.state.stream;
    if (stream.status === 'down' || (stream.status === 'connecting' && stream.error)) {
      below.push([stream.retryAt === null && stream.status === 'down'
        ? 'The server ended this session: press Ctrl+L and log in again.'
        : 'Connection to the server lost — reconnecting… Duel and Ranked are back with it.', Styles.error]);
    } else if (stream.status === 'connecting') {
      below.push(['Connecting to the server… Duel and Ranked are ready once connected.', Styles.yellow]);
    }
    if (user?.is_guest) below.push(['Guests cannot play ranked: register an account for trophies.', Styles.dim]);
    // Every item stays on screen: the lines around the menu give way first (the sentences below it,
    // then the header), and a menu taller than the screen goes into two columns.
    const total = () => (header.length ? header.length + 1 : 0) + items.length + (below.length ? below.length + 1 : 0);
    while (total() > area.height && below.length) below.pop();
    while (total() > area.height && header.length) header.pop();
    const columns = items.length > area.height ? 2 : 1;
    const perColumn = Math.ceil(items.length / columns);
    const itemWidth = Math.max(...items.map((item) => item.label.length)) + 4;
    const blockWidth = Math.max(itemWidth * columns + (columns - 1) * 2, ...header.map(([text]) => text.length));
    const x = Math.max(1, Math.floor((area.width - Math.min(blockWidth, area.width - 2)) / 2));
    const height = columns === 1 ? total() : perColumn;
    let y = area.top + Math.max(0, Math.floor((area.height - height) / 2));
    header.forEach(([text, style], i) => canvas.put(x, y + i, text.slice(0, area.width - x), style));
    if (header.length) y += header.length + 1;
    for (let c = 0; c < columns; c++) {
      const slice = items.slice(c * perColumn, (c + 1) * perColumn);
      const selected = host.ui.menu.index - c * perColumn;
      drawMenu(canvas, x + c * (itemWidth + 2), y, slice, selected >= 0 && selected < slice.length ? selected : -1);
    }
    y += perColumn + 1;
    below.forEach(([text, style], i) => canvas.put(x, y + i, text.slice(0, area.width - x), style));
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
    ? '↑↓ Enter · d duel · r ranked · h history · p profile · q quit'
    : '↑↓ Enter · h history · p profile · Ctrl+R retry now · q quit'),
};

import { Styles } from '../canvas.js';
import type { InboxItem } from '../social/social.js';
import { SocialTexts } from '../social/texts.js';
import { drawList, fit, isBack, letter, listStep, type ListLine } from './kit.js';
import type { Area, ScreenModule } from './types.js';

/**
 * Notifications (Ctrl+N from any screen but a game, or i in the menu): the
 * invitations, friend requests, messages and unlocked pictures of this
 * session, newest first. Enter acts on one: joins the invitation's lobby or
 * tournament, opens the conversation, the requests, the pictures; y / n
 * answer a friend request; x dismisses.
 */

const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (at: number) => {
  const d = new Date(at);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** What Enter does on an entry (shown on its row). */
export function actionOf(item: InboxItem): string {
  if (item.done) return item.done;
  switch (item.kind) {
    case 'lobby': return `join lobby ${item.code ?? ''}`.trim();
    case 'tournament': return `join tournament ${item.code ?? ''}`.trim();
    case 'friend-request': return 'y accept · n decline';
    case 'message': return 'open the chat';
    case 'picture': return 'see the pictures';
    default: return 'see your friends';
  }
}

export const inboxScreen: ScreenModule = {
  render(canvas, host, area: Area) {
    const social = host.controller.social;
    const width = Math.min(area.width - 4, 110);
    const x = Math.max(1, Math.floor((area.width - width) / 2));
    const items = social.inboxItems();
    const pending = items.filter((item) => !item.done).length;
    canvas.put(x, area.top, `Notifications${items.length ? ` — ${pending} to answer` : ''}`, Styles.bold);
    if (items.length === 0) {
      canvas.put(x, area.top + 2, fit(SocialTexts.emptyInbox, width), Styles.dim);
      return;
    }
    const actionWidth = 22;
    const lines: ListLine[] = items.map((item, index) => {
      const text = `${hhmm(item.at)}  ${item.text}`;
      const room = Math.max(8, width - 2 - actionWidth - 2);
      return { text: `${fit(text, room).padEnd(room)}  ${fit(actionOf(item), actionWidth)}`, style: item.done ? Styles.dim : item.kind === 'lobby' || item.kind === 'tournament' ? Styles.yellow : Styles.none, index };
    });
    drawList(canvas, x, area.top + 2, width, area.height - 3, lines, social.state.selected.inbox);
    const busy = social.state.busy;
    if (busy) canvas.put(x, area.top + area.height - 1, fit(busy, width), Styles.yellow);
  },

  key(key, host) {
    if (key.release) return;
    const social = host.controller.social;
    if (isBack(key) || key.name === 'backspace') return social.back();
    const step = listStep(key);
    if (step !== null) return social.moveInbox(step);
    const item = social.selectedInboxItem();
    if (!item) return;
    const l = key.name === 'enter' ? 'enter' : letter(key);
    if (l === 'x') return social.dismiss(item);
    if (item.kind === 'friend-request' && (l === 'y' || l === 'n')) return void social.answerInboxRequest(item, l === 'y');
    if (l === 'enter') void social.activate(item);
  },

  hints: () => '↑↓ select · Enter join/open · y/n answer · x dismiss · Esc back',
};

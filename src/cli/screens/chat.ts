import { Styles, type Canvas } from '../canvas.js';
import type { ChatMessage } from '../../client/types.js';
import { CHAT_MESSAGE_MAX } from '../social/social.js';
import { clock, SocialTexts } from '../social/texts.js';
import { drawQuestion, questionKey } from './friends.js';
import { cell, drawList, editText, fit, isBack, letter, listStep, wrap, type ListLine } from './kit.js';
import type { Area, ScreenModule } from './types.js';

/**
 * Chat: the conversations (menu: m) with their unread counts, newest first,
 * and one conversation, which follows the live stream (`receive-message`),
 * with the line being typed at the bottom; Enter sends it (the server takes
 * at most 2000 characters; its refusals are shown as it words them).
 */

const online = (status: { is_online: boolean } | undefined) => (status?.is_online ? { mark: '●', style: Styles.green } : { mark: '○', style: Styles.dim });

export const chatsScreen: ScreenModule = {
  render(canvas, host, area: Area) {
    const social = host.controller.social;
    const width = Math.min(area.width - 4, 110);
    const x = Math.max(1, Math.floor((area.width - width) / 2));
    const chats = social.state.chats;
    const unread = chats?.reduce((sum, chat) => sum + chat.unread_messages, 0) ?? 0;
    canvas.put(x, area.top, `Conversations${chats ? ` — ${chats.length}${unread ? ` · ${unread} unread` : ''}` : ''}`, Styles.bold);
    const bottom = area.top + area.height - 1;
    if (host.controller.state.user?.is_guest) {
      canvas.put(x, area.top + 2, fit(SocialTexts.guestsNoFriends, width), Styles.dim);
      return;
    }
    if (!chats) canvas.put(x, area.top + 2, SocialTexts.loadingChats, Styles.yellow);
    else if (chats.length === 0) canvas.put(x, area.top + 2, fit(SocialTexts.noChats, width), Styles.dim);
    else {
      const nameWidth = Math.min(20, Math.max(8, ...chats.map((c) => c.chat_with.username.length)));
      const lines: ListLine[] = chats.map((chat, index) => {
        const state = online(chat.chat_with.status);
        const count = chat.unread_messages ? `${chat.unread_messages} unread` : '';
        const last = chat.last_message
          ? `${chat.last_message.author.id === host.controller.state.user?.id ? 'you' : chat.last_message.author.username}: ${chat.last_message.content.replace(/\s+/g, ' ')}`
          : 'no message yet';
        const when = chat.last_message ? clock(chat.last_message.sent_at) : '';
        const head = `${state.mark} ${cell(chat.chat_with.username, nameWidth)}  ${cell(count, 9)}  `;
        const room = Math.max(4, width - 2 - head.length - 13);
        return { text: `${head}${cell(last, room)}  ${when}`, style: chat.unread_messages ? Styles.yellow : Styles.none, index };
      });
      drawList(canvas, x, area.top + 2, width, bottom - area.top - 3, lines, social.state.selected.chats);
    }
    drawQuestion(canvas, social, x, bottom, width, { 'new-chat': 'Write to — username:' });
  },

  key(key, host) {
    if (key.release) return;
    const social = host.controller.social;
    if (questionKey(key, social)) return;
    if (isBack(key) || key.name === 'backspace') return social.back();
    const step = listStep(key);
    if (step !== null) return social.moveChats(step);
    const l = key.name === 'enter' ? 'enter' : letter(key);
    if (l === 'n') return social.openPrompt('new-chat');
    if (l === 'r') return void social.loadChats();
    const chat = social.selectedChat();
    if (chat && l === 'enter') void social.openConversation(chat);
  },

  hints(host) {
    const social = host.controller.social;
    if (social.state.prompt) return 'Enter open · Esc cancel';
    return '↑↓ select · Enter open · n new conversation · Esc back';
  },
};

/** One message as lines `width` wide: `14:03 bob: text…`, the next lines indented under the text. */
export function messageLines(message: ChatMessage, myId: number | undefined, width: number): ListLine[] {
  const mine = message.author.id === myId;
  const head = `${clock(message.sent_at)} ${mine ? 'you' : message.author.username}: `;
  const indent = Math.min(head.length, Math.floor(width / 3));
  const body = wrap(message.content, Math.max(8, width - indent));
  const style = mine ? Styles.blue : Styles.none;
  return body.map((line, i) => ({ text: i === 0 ? `${head}${line}`.slice(0, Math.max(width, head.length + line.length)) : `${' '.repeat(indent)}${line}`, style }));
}

/** How far the last drawn conversation could scroll up (the keys clamp to it). */
let lastMaxScroll = 0;

function drawMessages(canvas: Canvas, x: number, y: number, width: number, rows: number, lines: ListLine[], scroll: number): number {
  const maxScroll = Math.max(0, lines.length - rows);
  lastMaxScroll = maxScroll;
  const offset = Math.min(scroll, maxScroll);
  const start = Math.max(0, lines.length - rows - offset);
  lines.slice(start, start + rows).forEach((line, i) => canvas.put(x, y + i, fit(line.text, width), line.style));
  if (start > 0) canvas.put(x + width - 6, y, '↑ more', Styles.dim);
  if (offset > 0) canvas.put(x + width - 6, y + rows - 1, '↓ more', Styles.dim);
  return offset;
}

export const chatScreen: ScreenModule = {
  render(canvas, host, area: Area) {
    const social = host.controller.social;
    const conversation = social.state.conversation;
    if (!conversation) return;
    const width = Math.min(area.width - 4, 110);
    const x = Math.max(1, Math.floor((area.width - width) / 2));
    const partner = conversation.chat.chat_with;
    const state = online(partner.status);
    canvas.put(x, area.top, `Conversation with ${partner.username} `, Styles.bold);
    canvas.put(x + `Conversation with ${partner.username} `.length, area.top, `${state.mark} ${partner.status?.is_online ? 'online' : 'offline'}`, state.style);
    canvas.put(x, area.top + 1, '─'.repeat(width), Styles.dim);
    const inputRow = area.top + area.height - 1;
    canvas.put(x, inputRow - 1, '─'.repeat(width), Styles.dim);
    const rows = inputRow - 1 - (area.top + 2);
    const myId = host.controller.state.user?.id;
    if (conversation.messages.length === 0) {
      lastMaxScroll = 0;
      canvas.put(x, area.top + 2, conversation.loading ? SocialTexts.loadingMessages : SocialTexts.noMessages, conversation.loading ? Styles.yellow : Styles.dim);
    } else {
      const lines = conversation.messages.flatMap((message) => messageLines(message, myId, width));
      if (conversation.next) lines.unshift({ text: conversation.loading ? 'loading older messages…' : 'PgUp: older messages', style: Styles.dim });
      drawMessages(canvas, x, area.top + 2, width, rows, lines, conversation.scroll);
    }
    // The line being typed: its tail when it is longer than the row, the count near the limit.
    const count = [...conversation.draft].length;
    const counter = count > CHAT_MESSAGE_MAX - 200 ? ` ${count}/${CHAT_MESSAGE_MAX}` : '';
    const room = Math.max(4, width - 3 - counter.length);
    const chars = [...conversation.draft];
    const shown = chars.length >= room ? `…${chars.slice(chars.length - room + 2).join('')}` : conversation.draft;
    canvas.put(x, inputRow, '> ', Styles.key);
    canvas.put(x + 2, inputRow, `${shown}▏`, conversation.sending ? Styles.dim : Styles.none);
    if (counter) canvas.put(x + width - counter.length, inputRow, counter, count >= CHAT_MESSAGE_MAX ? Styles.error : Styles.yellow);
  },

  key(key, host) {
    if (key.release) return;
    const social = host.controller.social;
    const conversation = social.state.conversation;
    if (!conversation) {
      if (key.name === 'escape') social.back();
      return;
    }
    if (key.name === 'escape') return social.back();
    if (key.name === 'enter') return void social.send();
    if (key.name === 'pageup' || key.name === 'up') {
      // At the top already: the older messages.
      if (conversation.scroll >= lastMaxScroll && conversation.next) return void social.olderMessages();
      return social.scrollConversation(Math.min(key.name === 'pageup' ? 10 : 1, lastMaxScroll - conversation.scroll));
    }
    if (key.name === 'pagedown' || key.name === 'down') return social.scrollConversation(-Math.min(conversation.scroll, key.name === 'pagedown' ? 10 : 1));
    if (key.name === 'end' && !key.ctrl) return social.scrollConversation(-conversation.scroll);
    const next = editText(conversation.draft, key, CHAT_MESSAGE_MAX + 1);
    if (next !== null) social.setDraft(next);
  },

  hints(host) {
    const conversation = host.controller.social.state.conversation;
    return conversation?.sending ? 'Sending…' : 'type · Enter send · PgUp/PgDn scroll · Esc back';
  },
};

import { Styles, type Canvas } from '../canvas.js';
import type { Friendship } from '../../client/types.js';
import { FRIENDS_TABS, type FriendsTab, type Social } from '../social/social.js';
import { ago, SocialTexts } from '../social/texts.js';
import { cell, drawField, drawList, editText, fit, isBack, letter, listStep, type ListLine } from './kit.js';
import type { Area, ScreenHost, ScreenModule } from './types.js';

/**
 * The friends screen (menu: f): three tabs — the friends with their online
 * state, the requests received and sent, the blocked users — switched with
 * Tab or ←→. The lists follow the live stream (friends events) and the
 * friends' online state is read again every few seconds while it is open.
 */

const TAB_LABELS: Record<FriendsTab, (social: Social) => string> = {
  friends: (s) => `Friends${s.state.friends ? ` (${s.state.friends.length})` : ''}`,
  requests: (s) => `Requests${s.state.received && s.state.sent ? ` (${s.state.received.length} in · ${s.state.sent.length} out)` : ''}`,
  blocked: (s) => `Blocked${s.state.blocked ? ` (${s.state.blocked.length})` : ''}`,
};

/** `● playing 1234`, `● online`, `○ offline · seen 5m ago`. */
export function presence(friend: Friendship['friend'], now = Date.now()): { text: string; style: string } {
  const status = friend.status;
  if (status?.is_online && status.game_playing) return { text: `● playing (game ${status.game_playing})`, style: Styles.yellow };
  if (status?.is_online) return { text: '● online', style: Styles.green };
  const seen = status?.last_online ? ` · seen ${ago(status.last_online, now)}` : '';
  return { text: `○ offline${seen}`, style: Styles.dim };
}

function tabBar(canvas: Canvas, x: number, y: number, social: Social): void {
  let cx = x;
  for (const tab of FRIENDS_TABS) {
    const text = ` ${TAB_LABELS[tab](social)} `;
    canvas.put(cx, y, text, tab === social.state.tab ? '1;30;46' : Styles.none);
    cx += text.length + 1;
  }
}

function friendLines(social: Social, width: number): ListLine[] | string {
  const friends = social.state.friends;
  if (!friends) return SocialTexts.loadingFriends;
  if (friends.length === 0) return SocialTexts.noFriends;
  const nameWidth = Math.min(20, Math.max(8, ...friends.map((f) => f.friend.username.length)));
  return friends.map((friendship, index) => {
    const state = presence(friendship.friend);
    const since = `since ${friendship.friends_since.slice(0, 10)}`;
    const text = `${cell(friendship.friend.username, nameWidth)}  ${cell(state.text, 26)}  ${String(friendship.friend.trophies).padStart(4)} trophies  ${since}`;
    return { text: fit(text, width - 2), style: state.style, index };
  });
}

function requestLines(social: Social, width: number): ListLine[] | string {
  const { received, sent } = social.state;
  if (!received || !sent) return SocialTexts.loadingFriends;
  const lines: ListLine[] = [{ text: 'Received', style: Styles.bold }];
  if (received.length === 0) lines.push({ text: `  ${SocialTexts.noReceived}`, style: Styles.dim });
  received.forEach((request, i) => lines.push({ text: fit(`${request.sender.username} wants to be your friend · ${ago(request.send_at)}`, width - 2), style: Styles.yellow, index: i }));
  lines.push({ text: '' }, { text: 'Sent', style: Styles.bold });
  if (sent.length === 0) lines.push({ text: `  ${SocialTexts.noSent}`, style: Styles.dim });
  sent.forEach((request, i) => lines.push({ text: fit(`${request.receiver.username} · waiting for an answer · sent ${ago(request.send_at)}`, width - 2), index: received.length + i }));
  return lines;
}

function blockedLines(social: Social, width: number): ListLine[] | string {
  const blocked = social.state.blocked;
  if (!blocked) return SocialTexts.loadingFriends;
  if (blocked.length === 0) return SocialTexts.noBlocked;
  return blocked.map((entry, index) => ({ text: fit(`${entry.blocked.username} · blocked ${ago(entry.blocked_at)}`, width - 2), index }));
}

/** The bottom line of a social screen: a question, a name being typed, or a busy sentence. */
export function drawQuestion(canvas: Canvas, social: Social, x: number, y: number, width: number, labels: Record<string, string>): boolean {
  const { prompt, confirm, busy } = social.state;
  if (confirm) {
    canvas.put(x, y, fit(`${confirm.text}  y: yes · n: no`, width), '1;33');
    return true;
  }
  if (prompt) {
    drawField(canvas, x, y, Math.min(width, 52), labels[prompt.purpose] ?? 'Username:', prompt.text, true);
    canvas.put(x + Math.min(width, 52) + 1, y, fit('Enter ok · Esc cancel', Math.max(0, width - 53)), Styles.dim);
    return true;
  }
  if (busy) {
    canvas.put(x, y, fit(busy, width), Styles.yellow);
    return true;
  }
  return false;
}

/** Keys of an open question (y/n) or prompt (a name); true when the key was theirs. */
export function questionKey(key: Parameters<ScreenModule['key']>[0], social: Social): boolean {
  if (key.release) return false;
  if (social.state.confirm) {
    const l = letter(key);
    if (l === 'y') void social.answer(true);
    else if (l === 'n' || key.name === 'escape') void social.answer(false);
    return true;
  }
  const prompt = social.state.prompt;
  if (prompt) {
    if (key.name === 'escape') social.cancelPrompt();
    else if (key.name === 'enter') void social.submitPrompt();
    else {
      const next = editText(prompt.text, key, 30);
      if (next !== null) social.setPromptText(next);
    }
    return true;
  }
  return false;
}

export const friendsScreen: ScreenModule = {
  render(canvas, host, area: Area) {
    const social = host.controller.social;
    const width = Math.min(area.width - 4, 110);
    const x = Math.max(1, Math.floor((area.width - width) / 2));
    tabBar(canvas, x, area.top, social);
    if (host.controller.state.user?.is_guest) {
      canvas.put(x, area.top + 2, fit(SocialTexts.guestsNoFriends, width), Styles.dim);
      return;
    }
    const tab = social.state.tab;
    const lines = tab === 'friends' ? friendLines(social, width) : tab === 'requests' ? requestLines(social, width) : blockedLines(social, width);
    const bottom = area.top + area.height - 1;
    const rows = bottom - (area.top + 2) - 1;
    if (typeof lines === 'string') canvas.put(x, area.top + 2, fit(lines, width), Styles.dim);
    else drawList(canvas, x, area.top + 2, width, rows, lines, social.state.selected[tab]);
    drawQuestion(canvas, social, x, bottom, width, { 'add-friend': 'Add a friend — username:' });
  },

  key(key, host) {
    if (key.release) return;
    const social = host.controller.social;
    if (questionKey(key, social)) return;
    if (isBack(key) || key.name === 'backspace') return social.back();
    if (key.name === 'tab' || key.name === 'right') return social.nextTab(1);
    if (key.name === 'backtab' || key.name === 'left') return social.nextTab(-1);
    const step = listStep(key);
    if (step !== null) return social.moveFriends(step);
    const l = key.name === 'enter' ? 'enter' : letter(key);
    if (l === 'a') return social.openPrompt('add-friend');
    if (l === 'r') return void social.loadFriends();
    const tab = social.state.tab;
    if (tab === 'friends') {
      const friendship = social.selectedFriend();
      if (!friendship) return;
      if (l === 'enter' || l === 'c') void social.chatWith(friendship.friend.username);
      else if (l === 'x') social.ask('remove', friendship.id, friendship.friend.username);
      else if (l === 'b') social.ask('block', friendship.friend.id, friendship.friend.username);
    } else if (tab === 'requests') {
      const row = social.selectedRequest();
      if (!row) return;
      if (row.kind === 'received') {
        if (l === 'enter' || l === 'y') void social.acceptRequest(row.request);
        else if (l === 'n') void social.deleteRequest(row);
        else if (l === 'b') social.ask('block', row.request.sender.id, row.request.sender.username);
      } else if (l === 'x' || l === 'n') void social.deleteRequest(row);
    } else {
      const entry = social.selectedBlock();
      if (entry && (l === 'enter' || l === 'u')) void social.unblock(entry);
    }
  },

  hints(host: ScreenHost) {
    const social = host.controller.social;
    if (social.state.confirm) return 'y yes · n no';
    if (social.state.prompt) return 'Enter send · Esc cancel';
    switch (social.state.tab) {
      case 'friends': return 'Enter chat · a add · x remove · b block · Tab lists · Esc back';
      case 'requests': return social.selectedRequest()?.kind === 'sent'
        ? 'x cancel · a add · Tab lists · Esc back'
        : 'y accept · n decline · b block · a add · Tab lists · Esc back';
      default: return 'u unblock · Tab lists · Esc back';
    }
  },
};

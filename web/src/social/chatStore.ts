import { api, errorText } from '../api/client';
import type { Chat, SmallUser } from '../api/types';
import { createStore } from '../lib/store';
import { adjustBadge } from '../session/session';
import { showAlert } from '../ui/alerts';

/** The docked chat panel: at most 3 conversation tabs plus the "Game" tab. */
export const MAX_CHAT_TABS = 3;

export interface ChatTab {
  chatId: number;
  partner: SmallUser;
  /** Unread count when the tab was opened: those messages are emphasised. */
  unread: number;
}

export interface GameLine {
  id: number;
  author: string | null;
  text: string;
  mine?: boolean;
}

export interface GameChat {
  title: string;
  lines: GameLine[];
  send(content: string): Promise<string | null>;
}

export interface ChatPanelState {
  tabs: ChatTab[];
  active: number | 'game' | null;
  collapsed: boolean;
  game: GameChat | null;
}

export const chatPanel = createStore<ChatPanelState>({ tabs: [], active: null, collapsed: false, game: null });

export function isChatVisible(chatId: number): boolean {
  const state = chatPanel.get();
  return !state.collapsed && state.active === chatId;
}

/**
 * A conversation opens on a page that holds its unread messages, up to this many (listing a message marks it
 * read, docs/api.md Pagination), so that the unread count falls to what is really left; older ones are read when scrolled to.
 */
export const UNREAD_PAGE_MAX = 200;

/** The size of a conversation's first page. */
export const firstPageSize = (unread: number) => Math.min(UNREAD_PAGE_MAX, Math.max(20, unread));

export async function openChat(chatId: number): Promise<void> {
  const result = await api<Chat>('GET', `/api/chat/${chatId}/`);
  if (!result.ok) {
    showAlert(errorText(result, [], 'Unable to open this conversation.'), 'error');
    return;
  }
  const unread = result.data.unread_messages ?? 0;
  if (unread > 0) adjustBadge('chats', -Math.min(unread, UNREAD_PAGE_MAX));
  chatPanel.set((state) => {
    let tabs = state.tabs.filter((tab) => tab.chatId !== chatId);
    if (tabs.length >= MAX_CHAT_TABS) {
      const oldestInactive = tabs.findIndex((tab) => tab.chatId !== state.active);
      tabs = tabs.filter((_, index) => index !== (oldestInactive === -1 ? 0 : oldestInactive));
    }
    return { ...state, tabs: [...tabs, { chatId, partner: result.data.chat_with, unread }], active: chatId, collapsed: false };
  });
}

/** Opens the conversation with `username`, creating it when none exists (the chat list's "start chat"). */
export async function startChatWith(username: string): Promise<string | null> {
  const find = async () => {
    const search = await api<{ results: Chat[] }>('GET', `/api/chat/?q=${encodeURIComponent(username)}`);
    return search.ok ? search.data.results.find((chat) => chat.chat_with.username === username) : undefined;
  };
  let chat = await find();
  if (!chat) {
    const created = await api<Chat>('POST', '/api/chat/', { username });
    if (created.ok) chat = created.data;
    else if (created.status === 409) chat = await find();
    else return errorText(created, ['username'], 'Unable to start this conversation.');
  }
  if (!chat) return 'Unable to start this conversation.';
  await openChat(chat.id);
  return null;
}

export function closeChatTab(chatId: number): void {
  chatPanel.set((state) => {
    const tabs = state.tabs.filter((tab) => tab.chatId !== chatId);
    const active = state.active === chatId ? (state.game ? 'game' : (tabs.at(-1)?.chatId ?? null)) : state.active;
    return { ...state, tabs, active };
  });
}

/**
 * A game starts: an open private conversation folds down to its tabs, off the field (it opens again with a
 * click). The game's own chat (a tournament's, a lobby's) stays open: its results and messages are the game's.
 */
export function foldChat(): void {
  chatPanel.set((state) => (!state.collapsed && typeof state.active === 'number' ? { ...state, collapsed: true } : state));
}

export function selectTab(tab: number | 'game'): void {
  chatPanel.set((state) => (state.active === tab ? { ...state, collapsed: !state.collapsed } : { ...state, active: tab, collapsed: false }));
}

export function toggleCollapsed(): void {
  chatPanel.set((state) => ({ ...state, collapsed: !state.collapsed }));
}

let lineId = 1;

/** A lobby or tournament page installs its "Game" tab; the returned function removes it. */
export function installGameChat(title: string, send: GameChat['send']): () => void {
  chatPanel.set((state) => ({ ...state, game: { title, lines: [], send }, active: state.active ?? 'game' }));
  return () =>
    chatPanel.set((state) => ({ ...state, game: null, active: state.active === 'game' ? (state.tabs.at(-1)?.chatId ?? null) : state.active }));
}

export function pushGameLine(author: string | null, text: string, mine = false): void {
  chatPanel.set((state) =>
    state.game ? { ...state, game: { ...state.game, lines: [...state.game.lines, { id: lineId++, author, text, mine }] } } : state,
  );
}

export function resetChatPanel(): void {
  chatPanel.set({ tabs: [], active: null, collapsed: false, game: null });
}

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { CHAT_FLOOD_REFUSED } from '@client/chat';
import { api, errorText, toPath } from '../api/client';
import { useSingleFlight } from '../lib/useSingleFlight';
import { myBlockOf } from './blocks';
import type { ChatMessage, LiveEvent, Page, SmallUser } from '../api/types';
import { useStore } from '../lib/store';
import { on } from '../session/events';
import { me } from '../session/session';
import { openPanel } from '../ui/panels';
import { chatPanel, closeChatTab, firstPageSize, selectTab, toggleCollapsed, type ChatTab, type GameChat } from './chatStore';

export const MESSAGE_MAX = 280;

function authorIdOf(message: ChatMessage): number {
  return typeof message.author === 'number' ? message.author : message.author.id;
}

/** Why a message could not be sent: a sentence, and maybe the one action that lifts the cause. */
export interface SendFailure {
  text: string;
  action?: { label: string; run: () => Promise<boolean> };
}

/** A text box that sends on Enter (280 characters at most, empty text not sent); a failure shows on its own line below. */
function Composer({ onSend, label }: { onSend: (text: string) => Promise<string | SendFailure | null>; label: string }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<SendFailure | null>(null);
  const once = useSingleFlight();
  const id = useId();
  async function submit(event: FormEvent) {
    event.preventDefault();
    const content = text.trim();
    if (!content) return;
    await once(async () => {
      const failed = await onSend(content);
      setError(typeof failed === 'string' ? { text: failed } : failed);
      if (!failed) setText('');
    });
  }
  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">{label}</label>
      <input id={id} value={text} maxLength={MESSAGE_MAX} placeholder="Write a message…" onChange={(event) => setText(event.target.value)} />
      <button type="submit" className="primary small">Send</button>
      {error && (
        <p className="composer-error" role="alert">
          <span>{error.text}</span>
          {error.action && (
            <button type="button" className="small" onClick={async () => (await error.action!.run()) && setError(null)}>
              {error.action.label}
            </button>
          )}
        </p>
      )}
    </form>
  );
}

/**
 * The server refuses a message to a blocked conversation with one text for every case ("You do not
 * belong to this chat."): say which case it is, from the caller's own block list.
 */
async function blockedFailure(partner: SmallUser): Promise<SendFailure> {
  const mine = await myBlockOf(partner.id);
  if (!mine) return { text: `You cannot write to ${partner.username}.` };
  return {
    text: `You blocked ${partner.username} — unblock to write again.`,
    action: {
      label: `Unblock ${partner.username}`,
      run: async () => (await api('DELETE', `/api/users/me/blocked/${mine.id}/`)).ok,
    },
  };
}

/** One conversation: history (newest page first, older pages when scrolled up), live messages, sending. */
function Conversation({ tab }: { tab: ChatTab }) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [older, setOlder] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const myId = useStore(me)?.id;

  const loadPage = async (url: string, initial: boolean) => {
    const result = await api<Page<ChatMessage>>('GET', url);
    if (!result.ok) return;
    const page = [...result.data.results].reverse();
    setMessages((current) => (initial ? page : [...page, ...current]));
    setOlder(result.data.next ? toPath(result.data.next) : null);
    setLoaded(true);
  };

  useEffect(() => {
    stick.current = true;
    void loadPage(`/api/chat/${tab.chatId}/messages/?limit=${firstPageSize(tab.unread)}`, true);
    return on('receive-message', (event: LiveEvent<ChatMessage>) => {
      if (event.data?.chat_id !== tab.chatId) return;
      stick.current = true;
      setMessages((current) => (current.some((m) => m.id === event.data.id) ? current : [...current, { ...event.data, is_read: true }]));
    });
  }, [tab.chatId]);

  useEffect(() => {
    const node = scroller.current;
    if (node && stick.current) node.scrollTop = node.scrollHeight;
  }, [messages]);

  const send = async (content: string) => {
    const result = await api<ChatMessage>('POST', `/api/chat/${tab.chatId}/messages/`, { content });
    if (result.status === 403) return blockedFailure(tab.partner);
    if (result.status === 429) return CHAT_FLOOD_REFUSED;
    if (!result.ok) return errorText(result, ['content']);
    stick.current = true;
    setMessages((current) => [...current.map((m) => ({ ...m, is_read: true })), result.data]);
    return null;
  };

  return (
    <>
      <div
        className="chat-messages"
        ref={scroller}
        data-testid="chat-messages"
        onScroll={(event) => {
          const node = event.currentTarget;
          stick.current = node.scrollHeight - node.scrollTop - node.clientHeight < 40;
          if (older && node.scrollTop < node.scrollHeight / 4) {
            const url = older;
            setOlder(null);
            void loadPage(url, false);
          }
        }}
      >
        {loaded && messages.length === 0 && <p className="empty">No message yet: say hello!</p>}
        {messages.map((message) => {
          const mine = authorIdOf(message) === myId;
          return (
            <p key={message.id} className={`chat-line ${mine ? 'mine' : ''} ${!mine && !message.is_read ? 'unread' : ''}`}>
              <strong>{mine ? 'You' : tab.partner.username}:</strong> <bdi>{message.content}</bdi>
            </p>
          );
        })}
      </div>
      <Composer onSend={send} label={`Message to ${tab.partner.username}`} />
    </>
  );
}

function GameConversation({ game }: { game: GameChat }) {
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = scroller.current.scrollHeight;
  }, [game.lines.length]);
  return (
    <>
      <div className="chat-messages" ref={scroller} data-testid="game-chat">
        {game.lines.length === 0 && <p className="empty">Messages of this {game.title.toLowerCase()} appear here.</p>}
        {game.lines.map((line) => (
          <p key={line.id} className={`chat-line ${line.author === null ? 'system' : ''} ${line.mine ? 'mine' : ''}`}>
            {line.author !== null && <strong>{line.mine ? 'You' : line.author}:</strong>} <bdi>{line.text}</bdi>
          </p>
        ))}
      </div>
      <Composer onSend={game.send} label="Message to the game chat" />
    </>
  );
}

function TabButton({ label, active, onSelect, onClose }: { label: string; active: boolean; onSelect: () => void; onClose?: () => void }) {
  return (
    <span className={`chat-tab ${active ? 'active' : ''}`}>
      <button type="button" onClick={onSelect} aria-pressed={active}>{label}</button>
      {onClose && (
        <button type="button" className="icon-button" aria-label={`Close ${label}`} onClick={onClose}>
          ×
        </button>
      )}
    </span>
  );
}

/** The docked chat panel, with its game chat tab. */
export function ChatPanel() {
  const state = useStore(chatPanel);
  const user = useStore(me);
  if (!state.game && state.tabs.length === 0) return null;
  const activeTab = state.tabs.find((tab) => tab.chatId === state.active);
  return (
    <section className={`chat-panel ${state.collapsed ? 'collapsed' : ''}`} aria-label="Chat">
      <div className="chat-tabs">
        {state.game && <TabButton label="Game" active={state.active === 'game'} onSelect={() => selectTab('game')} />}
        {state.tabs.map((tab) => (
          <TabButton
            key={tab.chatId}
            label={tab.partner.username}
            active={state.active === tab.chatId}
            onSelect={() => selectTab(tab.chatId)}
            onClose={() => closeChatTab(tab.chatId)}
          />
        ))}
        <span className="spacer" />
        {user && !user.is_guest && (
          <button type="button" className="icon-button" aria-label="Open the chat list" onClick={() => openPanel.set({ kind: 'chats' })}>
            +
          </button>
        )}
        <button type="button" className="icon-button" aria-label={state.collapsed ? 'Expand the chat' : 'Collapse the chat'} onClick={toggleCollapsed}>
          {state.collapsed ? '▴' : '▾'}
        </button>
      </div>
      {!state.collapsed && state.active === 'game' && state.game && <GameConversation game={state.game} />}
      {!state.collapsed && activeTab && <Conversation key={activeTab.chatId} tab={activeTab} />}
    </section>
  );
}


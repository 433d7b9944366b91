import { useId, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Chat } from '../api/types';
import { usePaged } from '../lib/usePaged';
import { LoadMore, UserChip } from '../ui/bits';
import { Modal } from '../ui/Modal';
import { openPanel } from '../ui/panels';
import { closeChatTab, openChat, startChatWith } from './chatStore';

export const PREVIEW_CHARS = 37;

function preview(chat: Chat): string {
  const content = chat.last_message?.content ?? '';
  return content.length > PREVIEW_CHARS ? `${content.slice(0, PREVIEW_CHARS)}…` : content;
}

/** The chat list modal (header chat icon or menu → Chats). */
export function ChatListModal() {
  const [query, setQuery] = useState('');
  const [start, setStart] = useState('');
  const [error, setError] = useState<string | null>(null);
  const list = usePaged<Chat>(`/api/chat/?q=${encodeURIComponent(query)}`);
  const searchId = useId();
  const startId = useId();
  const close = () => openPanel.set(null);

  async function submitStart(event: FormEvent) {
    event.preventDefault();
    const failed = await startChatWith(start.trim());
    if (failed) setError(failed);
    else close();
  }

  return (
    <Modal title="Chats" onClose={close} className="wide">
      <label htmlFor={searchId}>Search conversations</label>
      <input id={searchId} type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
      <ul className="list chat-cards" aria-label="Conversations">
        {list.items.map((chat) => {
          const unread = (chat.unread_messages ?? 0) > 0 || (chat.last_message ? !chat.last_message.is_read && authorId(chat) === chat.chat_with.id : false);
          return (
            <li key={chat.id} className="list-row">
              <button type="button" className="chat-card" onClick={() => void openChat(chat.id).then(close)}>
                <UserChip user={chat.chat_with} />
                <span className={unread ? 'preview unread' : 'preview'}>{preview(chat)}</span>
              </button>
              <button
                type="button"
                className="small hide-button"
                aria-label={`Hide the conversation with ${chat.chat_with.username}`}
                onClick={async () => {
                  await api('DELETE', `/api/chat/${chat.id}/`);
                  closeChatTab(chat.id);
                  list.reload();
                }}
              >
                Hide
              </button>
            </li>
          );
        })}
        <LoadMore hasMore={list.hasMore} onMore={list.loadMore} />
      </ul>
      {!list.loading && list.items.length === 0 && <p className="empty">No conversation yet.</p>}
      <form className="inline-form" onSubmit={submitStart}>
        <label htmlFor={startId}>Start a chat with</label>
        <div className="row">
          <input id={startId} value={start} onChange={(event) => setStart(event.target.value)} required maxLength={30} />
          <button type="submit" className="primary">Start chat</button>
        </div>
        {error && <p className="field-error">{error}</p>}
      </form>
    </Modal>
  );
}

function authorId(chat: Chat): number | null {
  const author = chat.last_message?.author;
  return typeof author === 'number' ? author : (author?.id ?? null);
}

import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, errorText } from '../api/client';
import { useSingleFlight } from '../lib/useSingleFlight';
import type { FriendRequest, Friendship, PublicUser } from '../api/types';
import { presenceText } from '../profile/presence';
import { storedLobbyCode } from '../lib/storage';
import { Link } from '../lib/router';
import { usePaged } from '../lib/usePaged';
import { adjustBadge } from '../session/session';
import { LoadMore, UserChip } from '../ui/bits';
import { Modal } from '../ui/Modal';
import { openPanel } from '../ui/panels';
import { startChatWith } from './chatStore';
import { socialChanged } from './socialEvents';

export const FRIENDS_PAGE = 15;

/** "online", "in a game" or "offline": the list's own `friend.status`, read with it. */
function FriendStatus({ status }: { status: PublicUser['status'] }) {
  return (
    <span className={`status ${status.is_online ? 'online' : 'offline'}`}>
      {presenceText(status)}
    </span>
  );
}

function FriendRow({ friendship, onRemoved }: { friendship: Friendship; onRemoved: () => void }) {
  const { friend } = friendship;
  const lobby = storedLobbyCode.load();
  const [note, setNote] = useState<string | null>(null);
  const counters =
    `Played against: ${friendship.matches_played_against} · together: ${friendship.matches_played_together} · ` +
    `won together: ${friendship.matches_won_together} · lost against him: ${friendship.friend_wins} · won against him: ${friendship.me_wins}`;
  return (
    <li className="list-row" title={counters}>
      <Link className="player-link" href={`/players/${friend.id}`}>
        <UserChip user={friend}>
          <FriendStatus status={friend.status} />
        </UserChip>
      </Link>
      <div className="row-actions">
        {lobby && (
          <button
            type="button"
            className="small"
            onClick={async () => {
              const result = await api('POST', `/api/play/lobby/${lobby}/invite/${friend.id}/`);
              setNote(result.ok ? 'invited' : result.status === 404 ? 'user disconnected' : errorText(result));
            }}
          >
            Invite
          </button>
        )}
        <button
          type="button"
          className="small"
          aria-label={`Chat with ${friend.username}`}
          onClick={() => void startChatWith(friend.username).then((error) => (error ? setNote(error) : openPanel.set(null)))}
        >
          Chat
        </button>
        <button
          type="button"
          className="small"
          onClick={async () => {
            if ((await api('DELETE', `/api/users/me/friends/${friendship.id}/`)).ok) onRemoved();
          }}
        >
          Remove
        </button>
        <button
          type="button"
          className="small danger"
          onClick={async () => {
            const result = await api('POST', '/api/users/me/blocked/', { user_id: friend.id });
            if (result.ok) onRemoved();
            else setNote(errorText(result));
          }}
        >
          Block
        </button>
      </div>
      {note && <span className="note">{note}</span>}
    </li>
  );
}

function FriendList() {
  const list = usePaged<Friendship>(`/api/users/me/friends/?limit=${FRIENDS_PAGE}&offset=0`);
  useEffect(() => socialChanged.on('friends', list.reload), [list.reload]);
  if (list.error) return <p className="field-error">{list.error}</p>;
  if (!list.loading && list.items.length === 0) return <p className="empty">You have no friends yet. Send a friend request!</p>;
  return (
    <ul className="list" aria-label="Friends">
      {list.items.map((friendship) => (
        <FriendRow key={friendship.id} friendship={friendship} onRemoved={list.reload} />
      ))}
      <LoadMore hasMore={list.hasMore} onMore={list.loadMore} />
    </ul>
  );
}

function SendRequest({ onSent }: { onSent: () => void }) {
  const [username, setUsername] = useState('');
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);
  const id = useId();
  const once = useSingleFlight();
  async function submit(event: FormEvent) {
    event.preventDefault();
    await once(async () => {
      const result = await api('POST', '/api/users/me/friend_requests/', { username: username.trim() });
      if (result.ok) {
        setMessage({ text: 'Friend request sent.', ok: true });
        setUsername('');
        onSent();
      } else setMessage({ text: result.status === 404 && !result.data?.username ? 'User not found.' : errorText(result, ['username']), ok: false });
    });
  }
  return (
    <form className="inline-form" onSubmit={submit}>
      <label htmlFor={id}>Add a friend by username</label>
      <div className="row">
        <input id={id} value={username} onChange={(event) => setUsername(event.target.value)} maxLength={30} required />
        <button type="submit" className="primary">Send</button>
      </div>
      {message && <p className={message.ok ? 'field-ok' : 'field-error'}>{message.text}</p>}
    </form>
  );
}

function RequestLists() {
  const received = usePaged<FriendRequest>('/api/users/me/friend_requests/received/');
  const sent = usePaged<FriendRequest>('/api/users/me/friend_requests/');
  useEffect(() => adjustBadge('friend_requests', 'reset'), [received.items]);
  useEffect(() => {
    const a = socialChanged.on('requests', received.reload);
    const b = socialChanged.on('requests', sent.reload);
    return () => {
      a();
      b();
    };
  }, [received.reload, sent.reload]);
  const act = async (method: 'POST' | 'DELETE', id: number) => {
    await api(method, `/api/users/me/friend_requests/${id}/`);
    received.reload();
    sent.reload();
    if (method === 'POST') socialChanged.emit('friends');
  };
  return (
    <>
      <SendRequest onSent={sent.reload} />
      <h3>Received</h3>
      {received.items.length === 0 ? (
        <p className="empty">No pending requests.</p>
      ) : (
        <ul className="list" aria-label="Received friend requests">
          {received.items.map((request) => (
            <li key={request.id} className="list-row">
              <UserChip user={request.sender} />
              <div className="row-actions">
                <button type="button" className="small primary" onClick={() => act('POST', request.id)}>Accept</button>
                <button type="button" className="small" onClick={() => act('DELETE', request.id)}>Decline</button>
                <button
                  type="button"
                  className="small danger"
                  onClick={async () => {
                    await api('POST', '/api/users/me/blocked/', { user_id: request.sender.id });
                    received.reload();
                  }}
                >
                  Block
                </button>
              </div>
            </li>
          ))}
          <LoadMore hasMore={received.hasMore} onMore={received.loadMore} />
        </ul>
      )}
      <h3>Sent</h3>
      {sent.items.length === 0 ? (
        <p className="empty">No sent requests.</p>
      ) : (
        <ul className="list" aria-label="Sent friend requests">
          {sent.items.map((request) => (
            <li key={request.id} className="list-row">
              <UserChip user={request.receiver} />
              <button type="button" className="small" onClick={() => act('DELETE', request.id)}>Cancel</button>
            </li>
          ))}
          <LoadMore hasMore={sent.hasMore} onMore={sent.loadMore} />
        </ul>
      )}
    </>
  );
}

/** The friends modal (header friends icon or menu → Friends). */
export function FriendsModal({ tab }: { tab: 'list' | 'requests' }) {
  const close = () => openPanel.set(null);
  const select = (next: 'list' | 'requests') => openPanel.set({ kind: 'friends', tab: next });
  return (
    <Modal title="Friends" onClose={close} className="wide">
      <div className="segmented" role="tablist" aria-label="Friends">
        <button type="button" role="tab" aria-selected={tab === 'list'} onClick={() => select('list')}>Friend list</button>
        <button type="button" role="tab" aria-selected={tab === 'requests'} onClick={() => select('requests')}>Friend requests</button>
      </div>
      {tab === 'list' ? <FriendList /> : <RequestLists />}
    </Modal>
  );
}

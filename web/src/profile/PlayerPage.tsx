import { useCallback, useEffect, useState } from 'react';
import { FriendMessages } from '@client/friends.js';
import { api, errorText, fetchAllPages } from '../api/client';
import type { BlockEntry, FriendRequest, PublicUser } from '../api/types';
import { Link } from '../lib/router';
import { useStore } from '../lib/store';
import { useSingleFlight } from '../lib/useSingleFlight';
import { me } from '../session/session';
import { myBlockOf } from '../social/blocks';
import { startChatWith } from '../social/chatStore';
import { Avatar } from '../ui/bits';
import { openPanel } from '../ui/panels';
import { MatchHistory } from './HistoryTab';
import { presenceText } from './presence';

type Loaded = { player: PublicUser; requested: boolean } | { refused: string; block: BlockEntry | null };

/** Whether the caller has a friend request to `userId` waiting (his sent requests are few: the server bounds them). */
async function requestSentTo(userId: number): Promise<boolean> {
  const sent = await fetchAllPages<FriendRequest>('/api/users/me/friend_requests/?limit=50&offset=0', (items) => items.some((r) => r.receiver.id === userId));
  return sent.some((request) => request.receiver.id === userId);
}

/** What a registered viewer can do from another registered player's page. */
function PlayerActions({ player, sent, onChanged }: { player: PublicUser; sent: boolean; onChanged: () => void }) {
  const [note, setNote] = useState<{ text: string; ok: boolean; requests?: boolean } | null>(null);
  const [requested, setRequested] = useState(sent);
  const once = useSingleFlight();
  const befriend = () => once(async () => {
    const result = await api('POST', '/api/users/me/friend_requests/', { username: player.username });
    const text = errorText(result, ['username']);
    if (result.ok || text === FriendMessages.alreadySent) {
      setRequested(true);
      setNote(result.ok ? { text: 'Friend request sent.', ok: true } : null);
    } else if (text === FriendMessages.alreadyReceived) {
      setNote({ text: `${player.username} has already asked you: answer in your friend requests.`, ok: true, requests: true });
    } else setNote({ text, ok: false });
  });
  const message = () => once(async () => {
    const error = await startChatWith(player.username);
    setNote(error ? { text: error, ok: false } : null);
  });
  const block = () => once(async () => {
    const result = await api('POST', '/api/users/me/blocked/', { user_id: player.id });
    if (result.ok) onChanged();
    else setNote({ text: errorText(result), ok: false });
  });
  return (
    <div className="player-actions">
      <div className="row">
        {player.friends ? (
          <span className="status online">Friends</span>
        ) : requested ? (
          <span className="status online">Friend request sent</span>
        ) : (
          <button type="button" className="primary" onClick={befriend}>Add friend</button>
        )}
        <button type="button" onClick={message}>Send a message</button>
        <button type="button" className="danger" onClick={block}>Block</button>
      </div>
      {note && (
        <p className={note.ok ? 'field-ok' : 'field-error'} role="status">
          {note.text}
          {note.requests && <> <button type="button" className="small" onClick={() => openPanel.set({ kind: 'friends', tab: 'requests' })}>Open friend requests</button></>}
        </p>
      )}
    </div>
  );
}

/**
 * Another player's page (/players/<id>), opened from his name on the ladder, in a match's details or in the
 * friends list: who he is, how he stands, his matches with their replays.
 */
export function PlayerPage({ userId }: { userId: number }) {
  const viewer = useStore(me);
  const viewerId = viewer?.id ?? null;
  const viewerRegistered = viewer ? !viewer.is_guest : false;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const once = useSingleFlight();
  const load = useCallback(async () => {
    const result = await api<PublicUser>('GET', `/api/users/${userId}/`);
    if (result.ok) {
      const player = result.data;
      const asks = viewerRegistered && !player.is_guest && !player.friends && player.id !== viewerId;
      setLoaded({ player, requested: asks ? await requestSentTo(player.id) : false });
      return;
    }
    const block = result.status === 403 ? (await myBlockOf(userId)) ?? null : null;
    setLoaded({
      // The server answers a block by the player himself as it answers an unknown id: the page does not say which.
      refused: block ? `You blocked ${block.blocked.username}.` : result.status === 404 ? "This player's page is not available." : errorText(result),
      block,
    });
  }, [userId, viewerId, viewerRegistered]);
  useEffect(() => {
    void load();
  }, [load]);
  if (!viewer || !loaded) return <section className="page player"><p role="status">Loading…</p></section>;
  if ('refused' in loaded) {
    return (
      <section className="page player">
        <p className="empty" role="alert">{loaded.refused}</p>
        {loaded.block && (
          <button type="button" onClick={() => once(async () => {
            const block = loaded.block!;
            if ((await api('DELETE', `/api/users/me/blocked/${block.id}/`)).ok) await load();
          })}>
            Unblock {loaded.block.blocked.username}
          </button>
        )}
        <p><Link href="/">Back to the home page</Link></p>
      </section>
    );
  }
  const { player } = loaded;
  const self = player.id === viewer.id;
  return (
    <section className="page player" aria-labelledby="player-name">
      <header className="banner-card player-banner">
        <Avatar user={player} size="medium" px={96} />
        <div>
          <h1 id="player-name">{player.username}</h1>
          <p>
            <span className={`status ${player.status.is_online ? 'online' : 'offline'}`}>{presenceText(player.status)}</span>
            {player.status.is_online && player.status.game_playing && <>{' '}<Link href={`/spectate/${player.status.game_playing}`}>Watch</Link></>}
            {' · '}
            {player.is_guest ? 'Guest: not on the ladder' : <span data-testid="player-trophies">{player.trophies} trophies</span>}
          </p>
          {self && <p><Link href="/profile">This is you: open your profile</Link></p>}
        </div>
      </header>
      {!self && !viewer.is_guest && !player.is_guest && <PlayerActions player={player} sent={loaded.requested} onChanged={() => void load()} />}
      {!self && viewer.is_guest && !player.is_guest && <p className="muted">Register to add {player.username} as a friend or write to him.</p>}
      <h2>Match history</h2>
      <MatchHistory subjectId={player.id} viewerId={viewer.id} />
    </section>
  );
}

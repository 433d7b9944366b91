import { useCallback, useEffect, useState } from 'react';
import { api, errorText } from '../api/client';
import type { PublicUser } from '../api/types';
import { Link } from '../lib/router';
import { useStore } from '../lib/store';
import { useSingleFlight } from '../lib/useSingleFlight';
import { me } from '../session/session';
import { startChatWith } from '../social/chatStore';
import { Avatar } from '../ui/bits';
import { openPanel } from '../ui/panels';
import { MatchHistory } from './HistoryTab';
import { presenceText } from './presence';

type Loaded = { player: PublicUser } | { refused: string; blocked: boolean };

/** What a registered viewer can do from another registered player's page. */
function PlayerActions({ player, onChanged }: { player: PublicUser; onChanged: () => void }) {
  const [note, setNote] = useState<{ text: string; ok: boolean } | null>(null);
  const [requested, setRequested] = useState(false);
  const once = useSingleFlight();
  const befriend = () => once(async () => {
    const result = await api('POST', '/api/users/me/friend_requests/', { username: player.username });
    setRequested(result.ok);
    setNote(result.ok ? { text: 'Friend request sent.', ok: true } : { text: errorText(result, ['username']), ok: false });
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
      {note && <p className={note.ok ? 'field-ok' : 'field-error'} role="status">{note.text}</p>}
    </div>
  );
}

/**
 * Another player's page (/players/<id>), opened from his name on the ladder, in a match's details or in the
 * friends list: who he is, how he stands, his matches with their replays.
 */
export function PlayerPage({ userId }: { userId: number }) {
  const viewer = useStore(me);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const load = useCallback(async () => {
    const result = await api<PublicUser>('GET', `/api/users/${userId}/`);
    if (result.ok) setLoaded({ player: result.data });
    else setLoaded({ refused: result.status === 404 ? 'This player does not exist, or the account was deleted.' : errorText(result), blocked: result.status === 403 });
  }, [userId]);
  useEffect(() => {
    void load();
  }, [load]);
  if (!viewer || !loaded) return <section className="page player"><p role="status">Loading…</p></section>;
  if ('refused' in loaded) {
    return (
      <section className="page player">
        <p className="empty" role="alert">{loaded.refused}</p>
        {loaded.blocked && <button type="button" onClick={() => openPanel.set({ kind: 'blocked' })}>Open the blocked list</button>}
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
            {' · '}
            {player.is_guest ? 'Guest: not on the ladder' : <span data-testid="player-trophies">{player.trophies} trophies</span>}
          </p>
          {self && <p><Link href="/profile">This is you: open your profile</Link></p>}
        </div>
      </header>
      {!self && !viewer.is_guest && !player.is_guest && <PlayerActions player={player} onChanged={() => void load()} />}
      <h2>Match history</h2>
      <MatchHistory subjectId={player.id} viewerId={viewer.id} />
    </section>
  );
}

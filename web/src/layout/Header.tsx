import { useEffect, useRef, useState } from 'react';
import type { Me } from '../api/types';
import { Link, useLocation } from '../lib/router';
import { useStore } from '../lib/store';
import { me } from '../session/session';
import { Avatar, Badge } from '../ui/bits';
import { Icon } from '../ui/icons';
import { openPanel } from '../ui/panels';
import { LoginForm } from './LoginForm';

/** A button that opens a small panel below it; Escape or a click outside closes it. */
function Dropdown({ label, badge, children, testId, ariaLabel }: { label: React.ReactNode; badge?: number; children: (close: () => void) => React.ReactNode; testId?: string; ariaLabel?: string }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const { path } = useLocation();
  useEffect(() => setOpen(false), [path]);
  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    const escape = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', outside);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('mousedown', outside);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);
  return (
    <div className="dropdown" ref={ref}>
      <button type="button" aria-expanded={open} aria-label={ariaLabel} data-testid={testId} onClick={() => setOpen(!open)}>
        {label}
        {badge !== undefined && <Badge count={badge} label="notifications" />}
      </button>
      {open && <div className="dropdown-panel">{children(() => setOpen(false))}</div>}
    </div>
  );
}

function IdentityCard({ user }: { user: Me }) {
  return (
    <Link href="/profile" className="identity" aria-label={`Profile of ${user.username}`}>
      <Avatar user={user} size="medium" px={36} />
      <span className="identity-name">{user.username}</span>
      <span className={`trophies ${user.is_guest ? 'muted' : ''}`} title="Trophies">
        <Icon name="trophy" size={18} />{!user.is_guest && <span data-testid="trophies">{user.trophies}</span>}
      </span>
    </Link>
  );
}

function SocialButtons({ user }: { user: Me }) {
  const { friend_requests, chats } = user.notifications;
  return (
    <>
      <button type="button" className="icon-text" aria-label="Chats" data-testid="chats-button" onClick={() => openPanel.set({ kind: 'chats' })}>
        <Icon name="chat" /><Badge count={chats} label="unread chats" />
      </button>
      <button
        type="button"
        className="icon-text"
        aria-label="Friends"
        data-testid="friends-button"
        onClick={() => openPanel.set({ kind: 'friends', tab: friend_requests > 0 ? 'requests' : 'list' })}
      >
        <Icon name="friends" /><Badge count={friend_requests} label="friend requests" />
      </button>
      <Dropdown label={<Icon name="menu" />} ariaLabel="Menu" badge={friend_requests + chats}>
        {(close) => (
          <nav className="menu" aria-label="Menu">
            <Link href="/profile" onClick={close}>Profile</Link>
            <button type="button" onClick={() => { close(); openPanel.set({ kind: 'friends', tab: 'list' }); }}>
              Friends <Badge count={friend_requests} label="friend requests" />
            </button>
            <button type="button" onClick={() => { close(); openPanel.set({ kind: 'chats' }); }}>
              Chats <Badge count={chats} label="unread chats" />
            </button>
          </nav>
        )}
      </Dropdown>
    </>
  );
}

export function Header() {
  const user = useStore(me);
  return (
    <header className="site-header">
      <Link href="/" className="brand" aria-label="Pong home">
        <img src="/favicon.svg" alt="" width={28} height={28} />
        <span>Pong</span>
      </Link>
      <div className="header-actions">
        {user && !user.is_guest && <SocialButtons user={user} />}
        {user?.is_guest && (
          <Dropdown label="Login" testId="login-button">
            {(close) => <LoginForm onDone={close} />}
          </Dropdown>
        )}
        {user && <IdentityCard user={user} />}
      </div>
    </header>
  );
}

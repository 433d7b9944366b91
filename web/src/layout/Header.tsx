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

/**
 * The logo: a court seen from above in a rounded tile, the red and the blue paddle, the centre net
 * and the ball with its trail, in the client's own colours (decorative: the link says "Pong home").
 */
export function Logo({ size = 34 }: { size?: number }) {
  return (
    <svg className="logo-mark" width={size} height={size} viewBox="0 0 40 40" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id="logo-tile" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#2a3658" />
          <stop offset="1" stopColor="#121727" />
        </linearGradient>
        <linearGradient id="logo-trail" x1="13" y1="13" x2="25" y2="21" gradientUnits="userSpaceOnUse">
          <stop offset="0" stopColor="#ffffff" stopOpacity="0" />
          <stop offset="1" stopColor="#ffffff" stopOpacity="0.6" />
        </linearGradient>
      </defs>
      <rect x="1.5" y="1.5" width="37" height="37" rx="10" fill="url(#logo-tile)" stroke="#4f9dff" strokeOpacity="0.6" strokeWidth="2" />
      <path d="M20 6.5v27" stroke="#e8ebf3" strokeOpacity="0.2" strokeWidth="1.6" strokeDasharray="2.4 2.6" strokeLinecap="round" />
      <rect x="7" y="8" width="5" height="15" rx="2.5" fill="#ef5b5b" />
      <rect x="28" y="17" width="5" height="15" rx="2.5" fill="#4f9dff" />
      <path d="M13.5 13.5 L26.44 18.68 L22.76 23.92 Z" fill="url(#logo-trail)" />
      <circle cx="24.6" cy="21.3" r="3.2" fill="#ffffff" />
    </svg>
  );
}

export function Header() {
  const user = useStore(me);
  return (
    <header className="site-header">
      <Link href="/" className="brand" aria-label="Pong home">
        <Logo />
        <span className="wordmark">Pong<span className="wordmark-dot" aria-hidden="true">.</span></span>
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

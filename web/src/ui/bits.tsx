import { useEffect, useRef, type ReactNode } from 'react';
import type { SmallUser } from '../api/types';

export function Spinner({ label }: { label: string }) {
  return (
    <div className="spinner-row" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function Avatar({ user, size = 'small', px = 32 }: { user: Pick<SmallUser, 'username' | 'profile_picture'> | null | undefined; size?: 'small' | 'medium'; px?: number }) {
  const picture = user?.profile_picture;
  const src = picture ? (picture[size] ?? picture.medium ?? picture.small) : null;
  if (!src) return <span className="avatar avatar-empty" style={{ width: px, height: px }} aria-hidden="true" />;
  return <img className="avatar" src={src} alt="" width={px} height={px} />;
}

export function UserChip({ user, children }: { user: Pick<SmallUser, 'username' | 'profile_picture'> | null | undefined; children?: ReactNode }) {
  return (
    <span className="user-chip">
      <Avatar user={user} />
      <span className="user-name">{user?.username ?? 'to be defined'}</span>
      {children}
    </span>
  );
}

export function Badge({ count, label }: { count: number; label: string }) {
  if (count <= 0) return null;
  return (
    <span className="badge" aria-label={`${count} ${label}`}>
      {count > 99 ? '99+' : count}
    </span>
  );
}

/** A list that asks for more when its end scrolls into view (the "75 %" infinite scroll). */
export function LoadMore({ onMore, hasMore }: { onMore: () => void; hasMore: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const latest = useRef(onMore);
  latest.current = onMore;
  useEffect(() => {
    if (!hasMore || !ref.current) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) latest.current();
    });
    observer.observe(ref.current);
    return () => observer.disconnect();
  }, [hasMore]);
  if (!hasMore) return null;
  return (
    <div className="load-more" ref={ref}>
      <button type="button" className="link" onClick={onMore}>
        Load more
      </button>
    </div>
  );
}

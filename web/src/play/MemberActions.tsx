import { useState } from 'react';
import { api, errorText } from '../api/client';
import type { SmallUser } from '../api/types';

/** The context menu on another participant (lobby, tournament waiting room): ban (creator), friend request, block. */
export function MemberActions({ user, banUrl }: { user: SmallUser; banUrl: string | null }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const run = async (call: () => Promise<{ ok: boolean; status: number; data: any }>, done: string) => {
    const result = await call();
    setNote(result.ok ? done : errorText(result, ['username', 'user_id']));
    setOpen(false);
  };
  return (
    <span className="member-actions" onContextMenu={(event) => { event.preventDefault(); setOpen(true); }}>
      <button type="button" className="icon-button" aria-label={`Actions for ${user.username}`} aria-expanded={open} onClick={() => setOpen(!open)}>
        ⋯
      </button>
      {open && (
        <span className="popover" role="menu">
          {banUrl && (
            <button type="button" role="menuitem" className="danger" onClick={() => run(() => api('DELETE', banUrl), 'banned')}>
              Ban
            </button>
          )}
          <button type="button" role="menuitem" onClick={() => run(() => api('POST', '/api/users/me/friend_requests/', { username: user.username }), '✓ request sent')}>
            Send friend request
          </button>
          <button type="button" role="menuitem" onClick={() => run(() => api('POST', '/api/users/me/blocked/', { user_id: user.id }), 'blocked')}>
            Block
          </button>
        </span>
      )}
      {note && <span className="note">{note}</span>}
    </span>
  );
}

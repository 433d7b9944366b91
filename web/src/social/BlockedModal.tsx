import { api } from '../api/client';
import type { BlockEntry } from '../api/types';
import { usePaged } from '../lib/usePaged';
import { LoadMore, UserChip } from '../ui/bits';
import { Modal } from '../ui/Modal';
import { openPanel } from '../ui/panels';

/** The blocked users modal (Profile → Account → Show blocked users). */
export function BlockedModal() {
  const list = usePaged<BlockEntry>('/api/users/me/blocked/?limit=15&offset=0');
  return (
    <Modal title="Blocked users" onClose={() => openPanel.set(null)}>
      {list.error && <p className="field-error">Unable to load the blocked users.</p>}
      {!list.loading && !list.error && list.items.length === 0 && <p className="empty">You have not blocked anybody.</p>}
      <ul className="list" aria-label="Blocked users">
        {list.items.map((entry) => (
          <li key={entry.id} className="list-row">
            <UserChip user={entry.blocked} />
            <button
              type="button"
              className="small"
              onClick={async () => {
                await api('DELETE', `/api/users/me/blocked/${entry.id}/`);
                list.reload();
              }}
            >
              Unblock
            </button>
          </li>
        ))}
        <LoadMore hasMore={list.hasMore} onMore={list.loadMore} />
      </ul>
    </Modal>
  );
}

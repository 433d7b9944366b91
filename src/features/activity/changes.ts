import type { EventBus } from '../../platform/bus/index.js';

/** `board`: the counts or the live list; `ladder`: who is on the ladder, with which trophies, name or picture. */
export type ChangeKind = 'board' | 'ladder';

/** What changed: the board, and the users whose place on the ladder may have (`all`: anybody's). */
export interface Change {
  board: boolean;
  ladder: ReadonlySet<number> | 'all' | null;
}

export const ACTIVITY_CHANNEL = 'activity:changed';

/** Beyond this many users in one notice, the ladder is read again as a whole. */
const MAX_LADDER_IDS = 1000;

interface Notice {
  from: string;
  board: boolean;
  ladder: number[] | 'all' | null;
}

/**
 * Tells every node that something the home page shows has changed. The node
 * where it happened hears it at once; the others through one bus message,
 * and a burst of changes in one turn of the event loop is one message. A
 * notice names the users whose place on the ladder may have changed, no
 * more: each node reads the rest from the database (board.ts, ladder.ts).
 */
export class ActivityChanges {
  private listeners: Array<(change: Change) => void> = [];
  private pending: { board: boolean; ladder: Set<number> | 'all' | null } | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(private readonly bus: EventBus, private readonly nodeId: string) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(ACTIVITY_CHANNEL, (message) => {
      const notice = JSON.parse(message) as Notice;
      if (notice.from === this.nodeId) return;
      this.tell({ board: notice.board, ladder: Array.isArray(notice.ladder) ? new Set(notice.ladder) : notice.ladder });
    });
  }

  onChange(listener: (change: Change) => void): void {
    this.listeners.push(listener);
  }

  /** `userId`: the one user whose place on the ladder may have changed (none: anybody's). */
  changed(kind: ChangeKind, userId?: number): void {
    const ladder = kind !== 'ladder' ? null : userId === undefined ? 'all' : new Set([userId]);
    this.tell({ board: kind === 'board', ladder });
    if (!this.pending) {
      this.pending = { board: false, ladder: null };
      setImmediate(() => this.publish());
    }
    const pending = this.pending;
    if (kind === 'board') pending.board = true;
    else if (userId === undefined || pending.ladder === 'all') pending.ladder = 'all';
    else if (pending.ladder) pending.ladder.add(userId);
    else pending.ladder = new Set([userId]);
  }

  private publish(): void {
    const pending = this.pending!;
    this.pending = null;
    const ladder = pending.ladder instanceof Set ? (pending.ladder.size > MAX_LADDER_IDS ? 'all' : [...pending.ladder]) : pending.ladder;
    const notice: Notice = { from: this.nodeId, board: pending.board, ladder };
    // A bus that is down loses the notice: the other nodes catch up with the next change (and the ladder's periodic read).
    this.bus.publish(ACTIVITY_CHANNEL, JSON.stringify(notice)).catch(() => {});
  }

  private tell(change: Change): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A listener's failure must not stop the others.
      }
    }
  }

  async stop(): Promise<void> {
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    await unsubscribe?.();
  }
}

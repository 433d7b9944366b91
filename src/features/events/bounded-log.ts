/**
 * The memory behind SSE resume, bounded in bytes as well as in count: the
 * in-memory event log and the hub's window of recent deliveries both keep,
 * per user, the most recent frames addressed to him. One frame addressed to
 * many users is stored once and referenced from each of their lists.
 *
 * Limits (oldest dropped first):
 * - per user: at most `perUserCount` frames and `perUserBytes` bytes (what a
 *   resume can give back); a frame larger than `perUserBytes` is not kept;
 * - per process: at most `totalBytes` bytes over all users (frames counted
 *   once, plus a fixed overhead per reference) and `maxEntries` frames; above
 *   it, the oldest frame is dropped from every list that holds it;
 * - in time: a user's list is dropped `idleTtlMs` after its last append
 *   (the log), or each frame `maxAgeMs` after it was appended (the window).
 */
export interface BoundedLogLimits {
  perUserCount: number;
  perUserBytes: number;
  totalBytes: number;
  maxEntries?: number;
  idleTtlMs?: number;
  maxAgeMs?: number;
}

export interface BoundedEntry {
  readonly id: number;
  readonly frame: string;
}

interface Entry extends BoundedEntry {
  readonly to: readonly number[];
  /** The frame's bytes (UTF-8, as written on the wire; never less than the string's heap size) plus the addressee list. */
  readonly bytes: number;
  readonly at: number;
  /** Lists holding this entry; 0: dropped everywhere. */
  refs: number;
}

interface UserList {
  entries: Entry[];
  bytes: number;
  touchedAt: number;
}

/** What one reference to a frame costs besides the frame: the entry object, its slot in a list, the list's share. */
export const ENTRY_OVERHEAD_BYTES = 64;

/** The bytes a frame is accounted for. */
export function frameBytes(frame: string): number {
  return Buffer.byteLength(frame);
}

export class BoundedUserLog {
  /** Insertion order = order of the last append, so idle lists sit at the front. */
  private users = new Map<number, UserList>();
  /** Every entry in append order; dropped ones (refs 0) are skipped and compacted away. */
  private queue: Entry[] = [];
  private head = 0;
  private live = 0;
  private total = 0;

  constructor(private readonly limits: BoundedLogLimits) {}

  /** Bytes held (frames once each, plus the per-reference overhead). */
  get bytes(): number {
    return this.total;
  }

  /** Frames held (each once, however many users it is addressed to). */
  get entryCount(): number {
    return this.live;
  }

  get userCount(): number {
    return this.users.size;
  }

  append(id: number, frame: string, to: readonly number[], now: number): void {
    this.expire(now);
    if (to.length === 0) return;
    const bytes = frameBytes(frame) + 8 * to.length;
    // Nobody could keep it: a resume never gives back more than a user's budget.
    if (bytes + ENTRY_OVERHEAD_BYTES > this.limits.perUserBytes) return;
    const entry: Entry = { id, frame, to, bytes, at: now, refs: 0 };
    this.queue.push(entry);
    this.live += 1;
    this.total += bytes;
    // Idle expiry walks the lists in the order of their last append: each one touched moves to the end.
    const reorder = this.limits.idleTtlMs !== undefined;
    for (const userId of to) {
      let list = this.users.get(userId);
      if (list && reorder) this.users.delete(userId);
      else if (!list) list = { entries: [], bytes: 0, touchedAt: now };
      list.entries.push(entry);
      entry.refs += 1;
      list.bytes += entry.bytes + ENTRY_OVERHEAD_BYTES;
      this.total += ENTRY_OVERHEAD_BYTES;
      list.touchedAt = now;
      // The new entry fits alone, so this never drops it.
      while (list.entries.length > this.limits.perUserCount || list.bytes > this.limits.perUserBytes) this.release(list, list.entries.shift()!);
      if (reorder || list.entries.length === 1) this.users.set(userId, list);
    }
    this.enforceTotal();
  }

  /** The user's entries with an id above `afterId`, oldest first. */
  since(userId: number, afterId: number, now: number): BoundedEntry[] {
    this.expire(now);
    const list = this.users.get(userId);
    if (!list) return [];
    return list.entries.filter((e) => e.id > afterId);
  }

  clear(): void {
    this.users.clear();
    this.queue = [];
    this.head = 0;
    this.live = 0;
    this.total = 0;
  }

  private release(list: UserList, entry: Entry): void {
    list.bytes -= entry.bytes + ENTRY_OVERHEAD_BYTES;
    this.total -= ENTRY_OVERHEAD_BYTES;
    entry.refs -= 1;
    if (entry.refs === 0) {
      this.total -= entry.bytes;
      this.live -= 1;
    }
  }

  /**
   * Drops an entry from every list holding it. Lists are in append order and
   * every older entry is gone already, so it can only be at the front.
   */
  private drop(entry: Entry): void {
    for (const userId of entry.to) {
      if (entry.refs === 0) break;
      const list = this.users.get(userId);
      if (!list || list.entries[0] !== entry) continue;
      list.entries.shift();
      this.release(list, entry);
      if (list.entries.length === 0) this.users.delete(userId);
    }
  }

  private enforceTotal(): void {
    const maxEntries = this.limits.maxEntries ?? Infinity;
    while ((this.total > this.limits.totalBytes || this.live > maxEntries) && this.head < this.queue.length) {
      const entry = this.queue[this.head++];
      if (entry.refs > 0) this.drop(entry);
    }
    this.compact();
  }

  private expire(now: number): void {
    const { idleTtlMs, maxAgeMs } = this.limits;
    if (idleTtlMs !== undefined) {
      for (const [userId, list] of this.users) {
        if (now - list.touchedAt < idleTtlMs) break;
        for (const entry of list.entries) this.release(list, entry);
        this.users.delete(userId);
      }
    }
    if (maxAgeMs !== undefined) {
      while (this.head < this.queue.length && now - this.queue[this.head].at >= maxAgeMs) {
        const entry = this.queue[this.head++];
        if (entry.refs > 0) this.drop(entry);
      }
    }
    this.compact();
  }

  /** Forgets the dropped entries at the front, and the dropped ones further on once they outnumber the live ones. */
  private compact(): void {
    while (this.head < this.queue.length && this.queue[this.head].refs === 0) this.head += 1;
    const held = this.queue.length - this.head;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    } else if (held > 1024 && held > 2 * this.live) {
      this.queue = this.queue.slice(this.head).filter((e) => e.refs > 0);
      this.head = 0;
    }
  }
}

import type { Clock } from '../../platform/clock.js';
import type { UserRow } from '../../platform/http/request-context.js';

/** Enough for the users active at a time on one node; a row is a few hundred bytes (a username is at most 32 characters). */
const MAX_ENTRIES = 10_000;

/**
 * Callers' rows read for the token check of read-only lists read by many
 * (the live matches, the ladder around the caller: docs/api.md, Activity),
 * kept up to `maxAgeMs` on the clock so that such a request usually makes
 * no query. What those lists use of the row (the account exists, is a guest
 * or not, its trophies) changes only with a notice that reaches every node
 * (context.ts: the activity feature's ladder changes), which forgets it;
 * the age bounds what a lost notice can cost. Every other route reads the
 * row fresh.
 */
export class RecentCallers {
  private rows = new Map<number, { row: UserRow; at: number }>();

  constructor(private readonly clock: Clock) {}

  get(userId: number, maxAgeMs: number): UserRow | undefined {
    const entry = this.rows.get(userId);
    if (!entry) return undefined;
    if (this.clock.now() - entry.at <= maxAgeMs) return entry.row;
    this.rows.delete(userId);
    return undefined;
  }

  remember(row: UserRow): void {
    this.rows.delete(row.id);
    if (this.rows.size >= MAX_ENTRIES) this.rows.delete(this.rows.keys().next().value!);
    this.rows.set(row.id, { row, at: this.clock.now() });
  }

  /** The account changed or is gone: its next check reads it again. */
  forget(userId: number): void {
    this.rows.delete(userId);
  }

  forgetAll(): void {
    this.rows.clear();
  }
}

import type { Executor } from '../auth/repo.js';

type Listener<A extends unknown[]> = (...args: A) => Promise<void> | void;

/**
 * What other features hook into when something happens to a user, so that
 * the users feature never reaches into their tables: each feature registers
 * its own reaction (chat hides a blocked conversation, matchmaking drops a
 * deleted user, ...).
 */
export class UserLifecycle {
  private deleted: Listener<[number]>[] = [];
  private blocked: Listener<[number, number]>[] = [];
  private renamed: Listener<[number, string]>[] = [];
  private exportSections = new Map<string, (userId: number) => Promise<unknown>>();
  private exportExtensions = new Map<string, Array<(userId: number) => Promise<Record<string, unknown>>>>();
  private deleteInTransaction: Array<(trx: Executor, userId: number) => Promise<void>> = [];

  /** After the account's own rows are gone: the user's id and nothing else remains. */
  onAccountDeleted(listener: Listener<[number]>): void { this.deleted.push(listener); }
  /** Rows keyed by this user that a feature owns, deleted in the account's deletion transaction. */
  onDeleteRows(remover: (trx: Executor, userId: number) => Promise<void>): void { this.deleteInTransaction.push(remover); }
  onBlocked(listener: Listener<[number, number]>): void { this.blocked.push(listener); }
  onRenamed(listener: Listener<[number, string]>): void { this.renamed.push(listener); }
  /** A key of `GET /api/users/me/download-data/` produced by another feature. */
  registerExportSection(key: string, producer: (userId: number) => Promise<unknown>): void { this.exportSections.set(key, producer); }
  /** More keys of an object section another feature produces (`game_data.replays`); one that fails is left out. */
  extendExportSection(key: string, producer: (userId: number) => Promise<Record<string, unknown>>): void {
    this.exportExtensions.set(key, [...(this.exportExtensions.get(key) ?? []), producer]);
  }

  async deleteRows(trx: Executor, userId: number): Promise<void> {
    for (const remove of this.deleteInTransaction) await remove(trx, userId);
  }

  async accountDeleted(userId: number): Promise<void> {
    for (const l of this.deleted) await safely(() => l(userId));
  }

  async userBlocked(blockerId: number, blockedId: number): Promise<void> {
    for (const l of this.blocked) await safely(() => l(blockerId, blockedId));
  }

  async userRenamed(userId: number, username: string): Promise<void> {
    for (const l of this.renamed) await safely(() => l(userId, username));
  }

  async exportSection(key: string, userId: number, fallback: unknown): Promise<unknown> {
    const producer = this.exportSections.get(key);
    if (!producer) return fallback;
    let section: unknown;
    try {
      section = await producer(userId);
    } catch {
      return fallback;
    }
    for (const extend of this.exportExtensions.get(key) ?? []) {
      if (section === null || typeof section !== 'object') break;
      try {
        section = { ...section, ...(await extend(userId)) };
      } catch {
        // The section stands without the part that failed.
      }
    }
    return section;
  }
}

/** A failing follow-up is ignored: the change that triggered it stands. */
async function safely(work: () => Promise<void> | void): Promise<void> {
  try {
    await work();
  } catch {
    // Ignored on purpose.
  }
}

import type { Clock } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import { conflict, forbidden, notFound } from '../../platform/http/errors.js';
import type { UserRow } from '../../platform/http/request-context.js';
import type { Executor } from '../auth/repo.js';
import type { FriendsService } from '../friends/service.js';
import type { UserLifecycle } from '../users/lifecycle.js';
import type { UsersService } from '../users/service.js';
import { BlockMessages, MAX_BLOCKS } from './messages.js';
import type { BlockingRepo, BlockRow } from './repo.js';

/** Blocked users, and what a block severs. */
export class BlockingService {
  private changeListeners: Array<() => void> = [];

  constructor(
    private readonly repo: BlockingRepo,
    private readonly users: UsersService,
    private readonly friends: FriendsService,
    private readonly lifecycle: UserLifecycle,
    private readonly clock: Clock,
  ) {
    friends.useBlocking(this);
  }

  /** Told once a block was added or removed (committed): lists that hide users from each other. */
  onBlocksChanged(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  private blocksChanged(): void {
    for (const listener of this.changeListeners) {
      try {
        listener();
      } catch {
        // The block is recorded; a listener's failure changes nothing to it.
      }
    }
  }

  /** True when `blocker` has blocked `blocked` (one direction only). */
  async hasBlocked(blocker: number, blocked: number): Promise<boolean> {
    return !!(await this.repo.find(blocker, blocked));
  }

  /** Either of the two has blocked the other (one read). */
  blockedEitherWay(a: number, b: number): Promise<boolean> {
    return this.repo.existsEitherWay(a, b);
  }

  /** Block list entries: `id`, `blocked` (a small user), `blocked_at`. */
  private async views(rows: BlockRow[]) {
    const users = new Map((await this.users.findManyByIds(rows.map((r) => r.blocked_id))).map((u) => [u.id, u]));
    return rows
      .filter((r) => users.has(r.blocked_id))
      .map((r) => ({ id: r.id, blocked: this.users.smallUser(users.get(r.blocked_id)!), blocked_at: r.blocked_at }));
  }

  /** The caller's entries, creation order (the list endpoint; also the export and matchmaking). */
  async entries(blockerId: number) {
    return this.views(await this.repo.listBy(blockerId));
  }

  /** Blocks a user: severs friendship and pending request, then tells the other features. */
  async block(caller: UserRow, userId: number) {
    if ((await this.repo.count(caller.id)) >= MAX_BLOCKS) throw forbidden(BlockMessages.tooMany);
    const target = await this.users.findById(userId);
    if (!target || target.is_guest === 1 || (await this.hasBlocked(target.id, caller.id))) throw notFound(BlockMessages.userNotFound);
    if (target.id === caller.id) throw forbidden(BlockMessages.notYourself);
    if (await this.hasBlocked(caller.id, target.id)) throw conflict(BlockMessages.alreadyBlocked);
    const at = isoAt(this.clock.now());
    const { entry, severed } = await this.repo.transaction(async (trx) => {
      const severed = await this.friends.severInTransaction(trx, caller.id, target.id);
      const entry = await this.repo.insert(trx, caller.id, target.id, at);
      return { entry, severed };
    });
    this.blocksChanged();
    await this.friends.announceBlockSevered(severed);
    await this.lifecycle.userBlocked(caller.id, target.id);
    return { id: entry.id, blocked: this.users.smallUser(target), blocked_at: entry.blocked_at };
  }

  /** Unblocks; 404 for an entry that is missing or someone else's. */
  async unblock(callerId: number, entryId: number): Promise<void> {
    const entry = await this.repo.findById(entryId);
    if (!entry || entry.blocker_id !== callerId) throw notFound(BlockMessages.notYours);
    if (!(await this.repo.delete(entry.id))) throw notFound(BlockMessages.notYours);
    this.blocksChanged();
  }

  deleteRowsOf(trx: Executor, userId: number): Promise<void> {
    return this.repo.deleteAllOf(trx, userId);
  }
}

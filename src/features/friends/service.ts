import type { Clock } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import { conflict, forbidden, notFound } from '../../platform/http/errors.js';
import type { UserRow } from '../../platform/http/request-context.js';
import type { Executor } from '../auth/repo.js';
import type { EventsService } from '../events/service.js';
import { picturesReached, UnlockRules } from '../users/pictures.js';
import type { UsersService } from '../users/service.js';
import { FriendMessages, MAX_PENDING_SENT } from './messages.js';
import { FriendsRepo, type FriendRequestRow, type FriendshipRow } from './repo.js';

/** The one question the friends rules ask the blocking feature. */
export interface BlockFacts {
  hasBlocked(blocker: number, blocked: number): Promise<boolean>;
}

/** What a block or an account deletion removed, announced once the removal is durable. */
export interface SeveredLinks {
  friendships: FriendshipRow[];
  requests: FriendRequestRow[];
}

/**
 * Friend requests and friendships, with the match counters between friends
 * and the pictures unlocked by the number of friends.
 */
export class FriendsService {
  private blocks: BlockFacts | null = null;

  constructor(
    private readonly repo: FriendsRepo,
    private readonly users: UsersService,
    private readonly events: EventsService,
    private readonly clock: Clock,
  ) {
    users.registerNotificationCounter('friend_requests', FriendsRepo.newReceivedCounter);
  }

  /** Blocking depends on friends (a block removes the friendship), so it is attached after both exist. */
  useBlocking(blocks: BlockFacts): void {
    this.blocks = blocks;
  }

  private hasBlocked(blocker: number, blocked: number): Promise<boolean> {
    return this.blocks ? this.blocks.hasBlocked(blocker, blocked) : Promise.resolve(false);
  }

  private now(): string {
    return isoAt(this.clock.now());
  }

  private async userMap(ids: number[]): Promise<Map<number, UserRow>> {
    const rows = await this.users.findManyByIds([...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  // --- representations ---------------------------------------------------

  /** A friend request; `new` only for the receiver's view. */
  private requestView(row: FriendRequestRow, users: Map<number, UserRow>, viewerId: number | null) {
    const view: Record<string, unknown> = {
      id: row.id,
      sender: this.users.smallUser(users.get(row.sender_id)!),
      receiver: this.users.smallUser(users.get(row.receiver_id)!),
      send_at: row.send_at,
    };
    if (viewerId !== null && viewerId === row.receiver_id) view.new = row.is_new === 1;
    return view;
  }

  private async requestViews(rows: FriendRequestRow[], viewerId: number | null) {
    const users = await this.userMap(rows.flatMap((r) => [r.sender_id, r.receiver_id]));
    return rows.filter((r) => users.has(r.sender_id) && users.has(r.receiver_id)).map((r) => this.requestView(r, users, viewerId));
  }

  /** A friendship, seen by `viewerId`. */
  friendshipView(row: FriendshipRow, viewerId: number, friend: UserRow) {
    const viewerIsFirst = row.user1_id === viewerId;
    return {
      id: row.id,
      friend: this.users.largeUser(friend),
      friend_wins: viewerIsFirst ? row.user2_wins : row.user1_wins,
      me_wins: viewerIsFirst ? row.user1_wins : row.user2_wins,
      friends_since: row.created_at,
      matches_played_against: row.matches_played_against,
      matches_played_together: row.matches_played_together,
      matches_won_together: row.matches_won_together,
    };
  }

  /** A friendship without a viewer. */
  friendshipSummary(row: FriendshipRow) {
    return {
      id: row.id,
      friends_since: row.created_at,
      matches_played_against: row.matches_played_against,
      matches_played_together: row.matches_played_together,
      matches_won_together: row.matches_won_together,
    };
  }

  private otherMember(row: Pick<FriendshipRow, 'user1_id' | 'user2_id'>, userId: number): number {
    return row.user1_id === userId ? row.user2_id : row.user1_id;
  }

  // --- queries other features use ---------------------------------------

  async areFriends(a: number, b: number): Promise<boolean> {
    return !!(await this.repo.findFriendshipBetween(a, b));
  }

  /** The friendship between two users, seen by `viewerId`, or null (PublicUser.friends). */
  async friendshipBetween(viewerId: number, other: UserRow) {
    if (viewerId === other.id) return null;
    const row = await this.repo.findFriendshipBetween(viewerId, other.id);
    return row ? this.friendshipView(row, viewerId, other) : null;
  }

  // --- friend requests ---------------------------------------------------

  async sendRequest(caller: UserRow, username: string) {
    const target = await this.users.findByUsername(username);
    if (!target || target.is_guest === 1 || (await this.hasBlocked(target.id, caller.id))) throw notFound(FriendMessages.userNotFound);
    if (await this.hasBlocked(caller.id, target.id)) throw forbidden(FriendMessages.youBlockedThisUser);
    if (target.id === caller.id) throw forbidden(FriendMessages.notYourself);
    if (await this.repo.findFriendshipBetween(caller.id, target.id)) throw conflict(FriendMessages.alreadyFriends);
    const pending = await this.repo.findRequestBetween(caller.id, target.id);
    if (pending?.sender_id === caller.id) throw conflict(FriendMessages.alreadySent);
    if (pending) throw conflict(FriendMessages.alreadyReceived);
    if ((await this.repo.countPendingSent(caller.id)) > MAX_PENDING_SENT) throw forbidden(FriendMessages.tooManyPending);
    if (target.accept_friend_request !== 1) throw forbidden(FriendMessages.notAccepting);
    const row = await this.repo.insertRequest(caller.id, target.id, this.now());
    const view = this.requestView(row, new Map([[caller.id, caller], [target.id, target]]), caller.id);
    await this.events.notify([target.id], 'receive-friend-request', view, { username: caller.username });
    return view;
  }

  async sentRequests(callerId: number) {
    return this.requestViews(await this.repo.sentBy(callerId), callerId);
  }

  /** The views show `new` as it was; afterwards every received request is seen. */
  async receivedRequests(callerId: number) {
    const views = await this.requestViews(await this.repo.receivedBy(callerId), callerId);
    await this.repo.markReceivedSeen(callerId);
    return views;
  }

  private async requestOf(callerId: number, id: number): Promise<FriendRequestRow> {
    const row = await this.repo.findRequest(id);
    if (!row || (row.sender_id !== callerId && row.receiver_id !== callerId)) throw notFound(FriendMessages.requestNotFound);
    return row;
  }

  async getRequest(callerId: number, id: number) {
    const row = await this.requestOf(callerId, id);
    const [view] = await this.requestViews([row], callerId);
    if (!view) throw notFound(FriendMessages.requestNotFound);
    return view;
  }

  /** Cancel (sender) or reject (receiver). */
  async deleteRequest(callerId: number, id: number): Promise<void> {
    const row = await this.requestOf(callerId, id);
    if (!(await this.repo.deleteRequest(row.id))) throw notFound(FriendMessages.requestNotFound);
    if (row.sender_id === callerId) await this.events.notify([row.receiver_id], 'cancel-friend-request', { id: row.id });
    else await this.events.notify([row.sender_id], 'reject-friend-request', { id: row.id });
  }

  /** Accept: the friendship takes the request's id; sender first, accepter second. */
  async acceptRequest(caller: UserRow, id: number) {
    const row = await this.repo.findRequest(id);
    if (row && row.sender_id === caller.id) throw forbidden(FriendMessages.acceptOwn);
    if (!row || row.receiver_id !== caller.id) throw notFound(FriendMessages.requestNotFound);
    const friendship = await this.repo.transaction(async (trx) => {
      if (!(await this.repo.deleteRequest(row.id, trx))) throw notFound(FriendMessages.requestNotFound);
      return this.repo.insertFriendship(trx, { id: row.id, user1_id: row.sender_id, user2_id: caller.id, created_at: this.now() });
    });
    const sender = await this.users.findById(row.sender_id);
    if (sender) {
      await this.events.notify([sender.id], 'accept-friend-request', this.friendshipView(friendship, sender.id, caller), { username: caller.username });
      await this.unlockFriendPictures(sender.id);
    }
    await this.unlockFriendPictures(caller.id);
    return this.friendshipView(friendship, caller.id, sender ?? caller);
  }

  private async unlockFriendPictures(userId: number): Promise<void> {
    const count = await this.repo.countFriends(userId);
    await this.users.unlockPictures(userId, picturesReached(UnlockRules.friends, count));
  }

  // --- friendships --------------------------------------------------------

  /**
   * The caller's friends, one page; `online` filters on the friend's presence when given.
   * Only the page's friends are loaded, so a user with hundreds of friends
   * costs two small reads, not hundreds of rows turned into views.
   */
  async friendsPage(callerId: number, online: boolean | undefined, limit: number, offset: number) {
    let links = await this.repo.friendLinksOf(callerId);
    if (online !== undefined) {
      const matching = await this.users.idsWithPresence(links.map((r) => this.otherMember(r, callerId)), online);
      links = links.filter((r) => matching.has(this.otherMember(r, callerId)));
    }
    const page = await this.repo.friendshipsByIds(links.slice(offset, offset + limit).map((r) => r.id));
    const users = await this.userMap(page.map((r) => this.otherMember(r, callerId)));
    const results = page
      .filter((row) => users.has(this.otherMember(row, callerId)))
      .map((row) => this.friendshipView(row, callerId, users.get(this.otherMember(row, callerId))!));
    return { count: links.length, results };
  }

  private async friendshipOf(callerId: number, id: number): Promise<FriendshipRow> {
    const row = await this.repo.findFriendship(id);
    if (!row || (row.user1_id !== callerId && row.user2_id !== callerId)) throw notFound(FriendMessages.friendshipNotFound);
    return row;
  }

  async getFriendship(callerId: number, id: number) {
    const row = await this.friendshipOf(callerId, id);
    const friend = await this.users.findById(this.otherMember(row, callerId));
    if (!friend) throw notFound(FriendMessages.friendshipNotFound);
    return this.friendshipView(row, callerId, friend);
  }

  /** Ending a friendship: only the other member is told. */
  async deleteFriendship(callerId: number, id: number): Promise<void> {
    const row = await this.friendshipOf(callerId, id);
    if (!(await this.repo.deleteFriendship(row.id))) throw notFound(FriendMessages.friendshipNotFound);
    await this.events.notify([this.otherMember(row, callerId)], 'delete-friend', { id: row.id });
  }

  // --- blocks and account deletion ----------------------------------------

  /** A block between two users ends their friendship and pending request, inside the block's transaction. */
  async severInTransaction(trx: Executor, a: number, b: number): Promise<SeveredLinks> {
    const { friendship, request } = await this.repo.deleteBetween(trx, a, b);
    return { friendships: friendship ? [friendship] : [], requests: request ? [request] : [] };
  }

  /** After a block: `delete-friend` to both members; the request's sender gets `reject`, its receiver `cancel`. */
  async announceBlockSevered(links: SeveredLinks): Promise<void> {
    for (const f of links.friendships) await this.events.notify([f.user1_id, f.user2_id], 'delete-friend', { id: f.id });
    for (const r of links.requests) {
      await this.events.notify([r.sender_id], 'reject-friend-request', { id: r.id });
      await this.events.notify([r.receiver_id], 'cancel-friend-request', { id: r.id });
    }
  }

  /** Everything that links a user to others, read before the account is deleted. */
  async linksOf(userId: number): Promise<SeveredLinks> {
    const [friendships, sent, received] = await Promise.all([this.repo.friendshipsOf(userId), this.repo.sentBy(userId), this.repo.receivedBy(userId)]);
    return { friendships, requests: [...received, ...sent] };
  }

  deleteRowsOf(trx: Executor, userId: number): Promise<void> {
    return this.repo.deleteAllOf(trx, userId);
  }

  /** After an account deletion: friends get `delete-friend`, senders `reject-friend-request`, receivers `cancel-friend-request`. */
  async announceAccountDeleted(userId: number, links: SeveredLinks): Promise<void> {
    for (const f of links.friendships) await this.events.notify([this.otherMember(f, userId)], 'delete-friend', { id: f.id });
    for (const r of links.requests.filter((x) => x.receiver_id === userId)) {
      await this.events.notify([r.sender_id], 'reject-friend-request', { id: r.id });
    }
    for (const r of links.requests.filter((x) => x.sender_id === userId)) {
      await this.events.notify([r.receiver_id], 'cancel-friend-request', { id: r.id });
    }
  }

  // --- match results -------------------------------------------------------

  /** `p` and `q` played on opposite sides; `winnerId` is whichever of them won, or null. */
  async recordAgainst(p: number, q: number, winnerId: number | null): Promise<void> {
    const row = await this.repo.findFriendshipBetween(p, q);
    if (row) await this.repo.recordAgainst(row, winnerId);
  }

  /** `p` and `q` played in the same 3-player team. */
  async recordTogether(p: number, q: number, won: boolean): Promise<void> {
    const row = await this.repo.findFriendshipBetween(p, q);
    if (row) await this.repo.recordTogether(row.id, won);
  }

  // --- data export -----------------------------------------------------------

  async exportOf(userId: number) {
    const friendships = await this.repo.friendshipsOf(userId);
    return {
      friends: friendships.map((f) => this.friendshipSummary(f)),
      friend_requests_sent: await this.requestViews(await this.repo.sentBy(userId), userId),
      friend_requests_received: await this.requestViews(await this.repo.receivedBy(userId), userId),
    };
  }
}

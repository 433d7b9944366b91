import { badRequest, forbidden, notFound, type FieldErrors } from '../../platform/http/errors.js';
import type { UserRow } from '../../platform/http/request-context.js';
import type { AuthService } from '../auth/service.js';
import type { BlockingService } from '../blocking/service.js';
import type { EventsService } from '../events/service.js';
import type { FriendsService } from '../friends/service.js';
import type { StatsService } from '../stats/service.js';
import type { UserLifecycle } from './lifecycle.js';
import { UserMessages } from './messages.js';
import type { UsersService } from './service.js';

export interface ProfileChange {
  username?: string;
  password?: string;
  old_password?: string;
  accept_friend_request?: boolean;
  accept_chat_from?: string;
}

const WRITABLE: Array<keyof ProfileChange> = ['username', 'password', 'old_password', 'accept_friend_request', 'accept_chat_from'];

/**
 * The caller's account as a whole: the
 * profile update, the deletion cascade, another user seen by the caller and
 * the data export. It orchestrates the services of users, auth, friends,
 * blocking and stats, and the hooks other features registered.
 */
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly friends: FriendsService,
    private readonly blocking: BlockingService,
    private readonly stats: StatsService,
    private readonly lifecycle: UserLifecycle,
    private readonly events: EventsService,
  ) {}

  private refuseWhilePlaying(caller: UserRow): void {
    if (caller.game_playing !== null && caller.game_playing !== undefined) throw forbidden(UserMessages.playing);
  }

  /**
   * The profile update, in order: field errors (`fieldErrors` are the schema's, reported with the exact-name
   * clash), guests may change only their name, credentials through auth, then the settings.
   */
  async updateMe(caller: UserRow, change: ProfileChange, fieldErrors: FieldErrors) {
    this.refuseWhilePlaying(caller);
    const errors: FieldErrors = { ...fieldErrors };
    if (change.username !== undefined && !errors.username && (await this.users.usernameTakenExactly(change.username, caller.id))) {
      errors.username = [UserMessages.usernameTakenExactly];
    }
    if (Object.keys(errors).length > 0) throw badRequest(errors);
    const sent = WRITABLE.filter((key) => change[key] !== undefined);
    if (caller.is_guest === 1 && sent.some((key) => key !== 'username')) throw forbidden(UserMessages.guestsOnlyUsername);
    if (change.username !== undefined || change.password !== undefined) {
      await this.auth.updateCredentials(caller, { username: change.username, password: change.password, old_password: change.old_password });
    }
    await this.users.updateSettings(caller.id, { accept_friend_request: change.accept_friend_request, accept_chat_from: change.accept_chat_from });
    if (change.username !== undefined && change.username !== caller.username) await this.lifecycle.userRenamed(caller.id, change.username);
    const updated = await this.users.findById(caller.id);
    if (!updated) throw notFound(UserMessages.userNotFound);
    return this.users.me(updated);
  }

  /** Account deletion; a missing or wrong password confirmation answers 401 (docs/events.md, Account deletion). */
  async deleteMe(caller: UserRow, password: string | undefined): Promise<void> {
    this.refuseWhilePlaying(caller);
    await this.auth.confirmPassword(caller, password);
    const links = await this.friends.linksOf(caller.id);
    // Everything the account owns goes in one transaction (a 2xx is durable).
    await this.users.transaction(async (trx) => {
      await this.lifecycle.deleteRows(trx, caller.id);
      await this.friends.deleteRowsOf(trx, caller.id);
      await this.blocking.deleteRowsOf(trx, caller.id);
      await this.stats.deleteRowsOf(trx, caller.id);
      await this.users.deleteProfile(trx, caller.id);
    });
    // Friends and the other side of pending requests are told.
    await this.friends.announceAccountDeleted(caller.id, links);
    // Matchmaking and chat drop the user.
    await this.lifecycle.accountDeleted(caller.id);
    // Last, the user's own streams get `delete-user` and are closed.
    await this.events.notify([caller.id], 'delete-user', {});
  }

  /** Another user seen by the caller: 404 if he blocked the caller, 403 `You blocked this user.` if the caller blocked him. */
  async publicUser(caller: UserRow, userId: number) {
    const target = await this.users.findById(userId);
    if (!target || (target.id !== caller.id && (await this.blocking.hasBlocked(target.id, caller.id)))) throw notFound(UserMessages.userNotFound);
    if (target.id !== caller.id && (await this.blocking.hasBlocked(caller.id, target.id))) throw forbidden(UserMessages.youBlockedThisUser);
    return {
      id: target.id,
      username: target.username,
      is_guest: target.is_guest === 1,
      profile_picture: this.users.smallUser(target).profile_picture,
      status: this.users.status(target),
      trophies: target.trophies,
      friends: await this.friends.friendshipBetween(caller.id, target),
    };
  }

  /** The data export: `friends_data`, `game_data.tournament` and the other sections, plus `ranked_data`. Reads only. */
  async exportData(caller: UserRow) {
    const friends = await this.friends.exportOf(caller.id);
    return {
      user_data: await this.users.me(caller),
      profile_pictures_data: await this.users.picturesById(caller.id),
      friends_data: { ...friends, blocked_users: await this.blocking.entries(caller.id) },
      stats_data: await this.stats.stats(caller.id),
      ranked_data: await this.stats.rankedHistory(caller.id),
      chat_data: await this.lifecycle.exportSection('chat_data', caller.id, []),
      game_data: await this.lifecycle.exportSection('game_data', caller.id, { matches: [], tournament: [] }),
    };
  }
}

import type { Clock } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import type { UserRow } from '../../platform/http/request-context.js';
import type { Executor } from '../auth/repo.js';
import type { EventsService } from '../events/service.js';
import { fullPicture, GUEST_PICTURE, REGISTER_PICTURE, smallPicture } from './pictures.js';
import type { UsersRepo } from './repo.js';

export interface Notifications {
  friend_requests: number;
  chats: number;
}

export type NotificationCounter = (userId: number) => Promise<number>;

/** Called inside the account's creation transaction, so that an account never exists without its profile. */
export type ProfileInitializer = (trx: Executor, userId: number, isGuest: boolean, now: string) => Promise<void>;

/** The rules of the users feature that other features call (accounts-chat-sse.md §2, §4, §6). */
export class UsersService {
  private counters: Partial<Record<keyof Notifications, NotificationCounter>> = {};
  private initializers: ProfileInitializer[] = [];

  constructor(private readonly repo: UsersRepo, private readonly events: EventsService, private readonly clock: Clock) {
    this.initializers.push(async (trx, userId, isGuest, now) => {
      await trx.insertInto('user_pictures')
        .values({ user_id: userId, picture_id: isGuest ? GUEST_PICTURE : REGISTER_PICTURE, unlocked_at: now })
        .execute();
    });
  }

  /** Features that own a counter of Me's `notifications` register it here. */
  registerNotificationCounter(name: keyof Notifications, counter: NotificationCounter): void {
    this.counters[name] = counter;
  }

  /** Features that keep per-user rows from the start (stats, ...) add them here. */
  registerProfileInitializer(initializer: ProfileInitializer): void {
    this.initializers.push(initializer);
  }

  async initProfile(trx: Executor, userId: number, isGuest: boolean, now: string): Promise<void> {
    for (const init of this.initializers) await init(trx, userId, isGuest, now);
  }

  findById(id: number): Promise<UserRow | undefined> {
    return this.repo.findById(id);
  }

  async notifications(userId: number): Promise<Notifications> {
    const count = async (name: keyof Notifications) => {
      try {
        return (await this.counters[name]?.(userId)) ?? 0;
      } catch {
        return 0;
      }
    };
    return { friend_requests: await count('friend_requests'), chats: await count('chats') };
  }

  /** The caller's own profile, §2.5. */
  async me(row: UserRow) {
    return {
      id: row.id,
      username: row.username,
      is_guest: row.is_guest === 1,
      created_at: row.created_at,
      profile_picture: smallPicture(row.profile_picture_id),
      accept_friend_request: row.accept_friend_request === 1,
      accept_chat_from: row.accept_chat_from,
      trophies: row.trophies,
      notifications: await this.notifications(row.id),
      is_online: row.is_online === 1,
      last_online: row.last_online,
    };
  }

  smallUser(row: Pick<UserRow, 'id' | 'username' | 'profile_picture_id'>) {
    return { id: row.id, username: row.username, profile_picture: smallPicture(row.profile_picture_id) };
  }

  /** Unlocks a picture once; every unlock except Guest is announced to its owner. */
  async unlockPicture(userId: number, pictureId: number): Promise<boolean> {
    const unlocked = await this.repo.unlockPicture(userId, pictureId, isoAt(this.clock.now()));
    if (unlocked && pictureId !== GUEST_PICTURE) {
      const row = await this.repo.findById(userId);
      const equipped = row?.profile_picture_id === pictureId;
      await this.events.notify([userId], 'profile-picture-unlocked', fullPicture(pictureId, true, equipped));
    }
    return unlocked;
  }
}

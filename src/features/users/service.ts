import type { Clock } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import type { UserRow } from '../../platform/http/request-context.js';
import type { Executor } from '../auth/repo.js';
import type { EventsService } from '../events/service.js';
import { forbidden, notFound } from '../../platform/http/errors.js';
import { UserMessages } from './messages.js';
import { fullPicture, GUEST_PICTURE, PICTURE_COUNT, REGISTER_PICTURE, smallPicture, type ProfilePicture } from './pictures.js';
import type { UsersRepo, UserRowWithNotifications } from './repo.js';
import type { AliasableExpression, ExpressionBuilder, Transaction } from 'kysely';
export type { UserRowWithNotifications } from './repo.js';
import type { Database } from '../../platform/db/schema.js';

export interface Notifications {
  friend_requests: number;
  chats: number;
}

/**
 * A feature's part of Me's `notifications`: a correlated count on `users.id`,
 * so that the caller's row and both counters come back in one database read.
 */
export type NotificationCounter = (eb: ExpressionBuilder<Database, 'users'>) => AliasableExpression<unknown>;

/** Called inside the account's creation transaction, so that an account never exists without its profile. */
export type ProfileInitializer = (trx: Executor, userId: number, isGuest: boolean, now: string) => Promise<void>;

/** The rules of the users feature that other features call (profiles, presence, counters, pictures). */
export class UsersService {
  private counters: Partial<Record<keyof Notifications, NotificationCounter>> = {};
  private initializers: ProfileInitializer[] = [];
  private pictureListeners: Array<(userId: number) => void> = [];

  constructor(private readonly repo: UsersRepo, private readonly events: EventsService, private readonly clock: Clock) {
    this.initializers.push(async (trx, userId, isGuest, now) => {
      await trx.insertInto('user_pictures')
        .values({ user_id: userId, picture_id: isGuest ? GUEST_PICTURE : REGISTER_PICTURE, unlocked_at: now })
        .execute();
    });
  }

  /** Told once a user equipped another picture (lists that show users with their picture). */
  onPictureChanged(listener: (userId: number) => void): void {
    this.pictureListeners.push(listener);
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

  /** The account with exactly this username (case-sensitive), guests included. */
  findByUsername(username: string): Promise<UserRow | undefined> {
    return this.repo.findByUsername(username);
  }

  findManyByIds(ids: number[]): Promise<UserRow[]> {
    return this.repo.findManyByIds(ids);
  }

  /** Whether another account has exactly this name (checked with the field errors of a profile update). */
  usernameTakenExactly(username: string, exceptUserId: number): Promise<boolean> {
    return this.repo.usernameTakenExactly(username, exceptUserId);
  }

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.repo.transaction(work);
  }

  updateSettings(userId: number, change: { accept_friend_request?: boolean; accept_chat_from?: string }): Promise<void> {
    return this.repo.updateSettings(userId, change);
  }

  /** Adds a trophy change, floored at 0; returns the new total. */
  addTrophies(executor: Executor, userId: number, change: number): Promise<number> {
    return this.repo.addTrophies(executor, userId, change);
  }

  /** A recorded result ends the match for its players (`game_playing`). */
  clearGamePlaying(userIds: number[]): Promise<void> {
    return this.repo.clearGamePlaying(userIds);
  }

  /** A new match marks its players as playing it (`game_playing`, set for every player, online or not). */
  markGamePlaying(userIds: number[], code: string): Promise<void> {
    return this.repo.markGamePlaying(userIds, code);
  }

  /** The profile row and its pictures; called last in the account-deletion transaction. */
  deleteProfile(executor: Executor, userId: number): Promise<void> {
    return this.repo.deleteUser(executor, userId);
  }

  /** The `status` of a user: `is_online`, `game_playing`, `last_online`. */
  status(row: UserRow) {
    return { is_online: row.is_online === 1, game_playing: row.game_playing, last_online: row.last_online };
  }

  /** Which of these users are (or are not) online. */
  idsWithPresence(ids: number[], online: boolean): Promise<Set<number>> {
    return this.repo.idsWithPresence(ids, online);
  }

  /** A small user with trophies and status. */
  largeUser(row: UserRow) {
    return { ...this.smallUser(row), trophies: row.trophies, status: this.status(row) };
  }

  /** The caller's 23 pictures: equipped first, then unlocked, then by id. */
  async listPictures(userId: number): Promise<ProfilePicture[]> {
    const all = await this.picturesById(userId);
    const rank = (p: ProfilePicture) => (p.is_equiped ? 0 : p.unlock ? 1 : 2);
    return all.sort((a, b) => rank(a) - rank(b) || a.id - b.id);
  }

  /** All 23 pictures by id (the data export). */
  async picturesById(userId: number): Promise<ProfilePicture[]> {
    const row = await this.repo.findById(userId);
    const unlocked = await this.repo.unlockedPictures(userId);
    return Array.from({ length: PICTURE_COUNT }, (_, id) => fullPicture(id, unlocked.has(id), row?.profile_picture_id === id));
  }

  /** Equips an unlocked picture (the previous one is unequipped by construction). */
  async equipPicture(userId: number, pictureId: number): Promise<ProfilePicture> {
    if (!Number.isInteger(pictureId) || pictureId < 0 || pictureId >= PICTURE_COUNT) throw notFound(UserMessages.pictureNotFound);
    const unlocked = await this.repo.unlockedPictures(userId);
    if (!unlocked.has(pictureId)) throw forbidden(UserMessages.pictureLocked);
    await this.repo.equipPicture(userId, pictureId);
    for (const listener of this.pictureListeners) {
      try {
        listener(userId);
      } catch {
        // The picture is equipped; a listener's failure changes nothing to it.
      }
    }
    return fullPicture(pictureId, true, true);
  }

  /** Unlocks several pictures in order; returns those that were newly unlocked. */
  async unlockPictures(userId: number, pictureIds: number[]): Promise<number[]> {
    const unlocked: number[] = [];
    for (const id of pictureIds) if (await this.unlockPicture(userId, id)) unlocked.push(id);
    return unlocked;
  }

  /** The user and the counters of Me's `notifications`, in one read (used to authenticate `GET /api/users/me/`). */
  findWithNotifications(id: number): Promise<UserRowWithNotifications | undefined> {
    if (!Number.isSafeInteger(id) || id < 0 || id > 2_147_483_647) return Promise.resolve(undefined);
    return this.repo.findWithNotifications(id, this.counters);
  }

  /** The caller's own profile. */
  async me(given: UserRowWithNotifications) {
    const row = given.notify_chats === undefined ? ((await this.findWithNotifications(given.id)) ?? given) : given;
    return {
      id: row.id,
      username: row.username,
      is_guest: row.is_guest === 1,
      created_at: row.created_at,
      profile_picture: smallPicture(row.profile_picture_id),
      accept_friend_request: row.accept_friend_request === 1,
      accept_chat_from: row.accept_chat_from,
      trophies: row.trophies,
      notifications: { friend_requests: Number(row.notify_friend_requests ?? 0), chats: Number(row.notify_chats ?? 0) },
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

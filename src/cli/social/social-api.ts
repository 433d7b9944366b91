import type { BlockEntry, Chat, ChatMessage, FriendRequest, Friendship, MatchObject, Page, Picture, Tokens } from '../../client/types.js';
import type { Api } from '../api.js';

/**
 * The social endpoints the terminal client uses (docs/api.md; the routes of
 * `src/features/friends`, `chat`, `blocking`, `users`, `auth`): friends and
 * their requests, blocks, chats and messages, profile pictures, the guest's
 * registration. Every failure is the `Api`'s `ApiError`, whose message is the
 * status line text.
 */

/** The longest chat message the server takes (characters, after trimming: `CHAT_MESSAGE_MAX`). */
export const CHAT_MESSAGE_MAX = 2000;
/** Messages fetched per page of a conversation. */
export const MESSAGES_PAGE = 50;
/** Lists fetched in one go (friends, requests, blocks, chats: the server caps `limit` at 100). */
const LIST_LIMIT = 100;

const list = `?limit=${LIST_LIMIT}&offset=0`;

export class SocialApi {
  constructor(private readonly api: () => Api) {}

  // --- friends -------------------------------------------------------------------------

  async friends(): Promise<Friendship[]> {
    return (await this.api().call<Page<Friendship>>('GET', `/api/users/me/friends/${list}`)).results;
  }

  /** Pending requests received (reading them marks them seen: the menu's count goes to 0). */
  async receivedRequests(): Promise<FriendRequest[]> {
    return (await this.api().call<Page<FriendRequest>>('GET', `/api/users/me/friend_requests/received/${list}`)).results;
  }

  async sentRequests(): Promise<FriendRequest[]> {
    return (await this.api().call<Page<FriendRequest>>('GET', `/api/users/me/friend_requests/${list}`)).results;
  }

  sendRequest(username: string): Promise<FriendRequest> {
    return this.api().call('POST', '/api/users/me/friend_requests/', { username: username.trim() });
  }

  acceptRequest(id: number): Promise<Friendship> {
    return this.api().call('POST', `/api/users/me/friend_requests/${id}/`);
  }

  /** Declines (a request received) or cancels (a request sent). */
  async deleteRequest(id: number): Promise<void> {
    await this.api().call('DELETE', `/api/users/me/friend_requests/${id}/`);
  }

  async removeFriend(friendshipId: number): Promise<void> {
    await this.api().call('DELETE', `/api/users/me/friends/${friendshipId}/`);
  }

  // --- blocks -------------------------------------------------------------------------

  async blocked(): Promise<BlockEntry[]> {
    return (await this.api().call<Page<BlockEntry>>('GET', `/api/users/me/blocked/${list}`)).results;
  }

  block(userId: number): Promise<BlockEntry> {
    return this.api().call('POST', '/api/users/me/blocked/', { user_id: userId });
  }

  /** Removes a block entry (by the entry's id, not the user's). */
  async unblock(entryId: number): Promise<void> {
    await this.api().call('DELETE', `/api/users/me/blocked/${entryId}/`);
  }

  // --- chat ---------------------------------------------------------------------------

  async chats(): Promise<Chat[]> {
    return (await this.api().call<Page<Chat>>('GET', `/api/chat/${list}`)).results;
  }

  /** One chat (and it shows in the list again if it was hidden). */
  chat(chatId: number): Promise<Chat> {
    return this.api().call('GET', `/api/chat/${chatId}/`);
  }

  /** The chat with `username`, opened when there is none yet (409 "already": found by a search). */
  async chatWith(username: string): Promise<Chat> {
    const name = username.trim();
    try {
      return await this.api().call<Chat>('POST', '/api/chat/', { username: name });
    } catch (error) {
      const found = (await this.api().call<Page<Chat>>('GET', `/api/chat/?q=${encodeURIComponent(name)}&limit=${LIST_LIMIT}&offset=0`))
        .results.find((chat) => chat.chat_with.username.toLowerCase() === name.toLowerCase());
      if (found) return found;
      throw error;
    }
  }

  /** The newest messages, newest first (the server marks the ones it returns read). */
  messages(chatId: number, limit = MESSAGES_PAGE): Promise<Page<ChatMessage>> {
    return this.api().call('GET', `/api/chat/${chatId}/messages/?limit=${limit}&offset=0`);
  }

  /** A page by its pagination link (older messages). */
  page<T>(link: string): Promise<Page<T>> {
    return this.api().page<T>(link);
  }

  send(chatId: number, content: string): Promise<ChatMessage> {
    return this.api().call('POST', `/api/chat/${chatId}/messages/`, { content });
  }

  // --- account --------------------------------------------------------------------------

  pictures(): Promise<Picture[]> {
    return this.api().call('GET', '/api/users/profile-pictures/');
  }

  async equipPicture(id: number): Promise<void> {
    await this.api().call('PUT', `/api/users/profile-picture/${id}/`);
  }

  /** Turns the guest into an account (`PUT /api/auth/register/guest/`); the session goes on with the new tokens. */
  async registerGuest(username: string, password: string): Promise<void> {
    const tokens = await this.api().call<Tokens>('PUT', '/api/auth/register/guest/', { username, password });
    this.api().tokens = { access: tokens.access, refresh: tokens.refresh };
  }

  /** The newest matches of a user (to read the trophies a ranked match gave). */
  async latestMatches(userId: number, limit = 5): Promise<MatchObject[]> {
    return (await this.api().call<Page<MatchObject>>('GET', `/api/game/matches/${userId}/?limit=${limit}&offset=0`)).results;
  }
}

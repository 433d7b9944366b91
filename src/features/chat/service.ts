import type { MessageFloodGuard } from './flood.js';
import type { Clock } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import { conflict, forbidden, notFound } from '../../platform/http/errors.js';
import type { Page } from '../../platform/http/pagination.js';
import type { UserRow } from '../../platform/http/request-context.js';
import { DELETED_USER_NAME } from '../events/envelope.js';
import type { EventsService } from '../events/service.js';
import { REGISTER_PICTURE } from '../users/pictures.js';
import { ChatMessages } from './messages.js';
import { acceptsChatFrom, blockedEitherWay, type ChatSocialFacts, type ChatUsers, type SmallUser } from './policy.js';
import type { ChatRepo, ChatRow, Executor, MessageRow } from './repo.js';

/** A message as the API shows it, its `author` a SmallUser. */
export interface MessageView {
  id: number;
  chat_id: number;
  author: SmallUser;
  content: string;
  is_read: boolean;
  sent_at: string;
}

/** A chat as the API shows it: `chat_with` (a SmallUser), the caller's `view_chat`, `last_updated` and `unread_messages`. */
/** The other participant: a small user, plus whether he is online now (clients show it beside the conversation). */
export type ChatPartner = SmallUser & { status: { is_online: boolean; last_online: string | null } };

export interface ChatView {
  id: number;
  chat_with: ChatPartner;
  last_message: MessageView | null;
  created_at: string;
  last_updated: string;
  view_chat: boolean;
  unread_messages: number;
}

/** A chat of the data export: the chat with all its messages, oldest first, instead of `last_message`. */
export interface ChatExport extends Omit<ChatView, 'last_message' | 'chat_with'> {
  chat_with: SmallUser;
  blocked: boolean;
  messages: MessageView[];
}

/** One of the caller's chats with the other participant's row. */
export interface ChatEntry {
  chat: ChatRow;
  other: UserRow;
}

export type Pager = <T>(count: number, fetch: (limit: number, offset: number) => Promise<T[]>) => Promise<Page<T>>;

export interface NewMessage {
  content: string;
  is_read?: boolean;
}

/** Ids are 32-bit serials on PostgreSQL. */
const MAX_ID = 2_147_483_647;

const otherOf = (chat: ChatRow, userId: number) => (chat.user_a_id === userId ? chat.user_b_id : chat.user_a_id);
const isMember = (chat: ChatRow, userId: number) => chat.user_a_id === userId || chat.user_b_id === userId;
const viewOf = (chat: ChatRow, userId: number) => (chat.user_a_id === userId ? chat.view_a : chat.view_b) === 1;

/** The rules of chat: who may open a chat with whom, hidden and blocked chats, messages and their read state. */
export class ChatService {
  constructor(
    private readonly repo: ChatRepo,
    private readonly facts: ChatSocialFacts,
    private readonly users: ChatUsers,
    private readonly events: Pick<EventsService, 'notify'>,
    private readonly clock: Clock,
    private readonly flood: Pick<MessageFloodGuard, 'take'>,
  ) {}

  private now(): string {
    return isoAt(this.clock.now());
  }

  /**
   * The chat the caller may use: it exists, he is a participant and neither
   * participant has blocked the other; anything else is the one 403.
   */
  private async memberChat(caller: UserRow, chatId: number): Promise<ChatEntry> {
    const chat = Number.isInteger(chatId) && chatId > 0 && chatId <= MAX_ID ? await this.repo.findById(chatId) : undefined;
    if (!chat || !isMember(chat, caller.id)) throw forbidden(ChatMessages.notMember);
    const otherId = otherOf(chat, caller.id);
    const [other, blocked] = await Promise.all([this.users.findById(otherId), blockedEitherWay(this.facts, caller.id, otherId)]);
    if (!other || blocked) throw forbidden(ChatMessages.notMember);
    return { chat, other };
  }

  /** A participant as SmallUser; a row gone in a race with its deletion shows as the deleted-user name. */
  private smallUserOf(id: number, row: UserRow | undefined): SmallUser {
    return this.users.smallUser(row ?? { id, username: DELETED_USER_NAME, profile_picture_id: REGISTER_PICTURE });
  }

  private message(row: MessageRow, authors: Map<number, UserRow>): MessageView {
    const author = authors.get(row.author_id);
    return {
      id: row.id,
      chat_id: row.chat_id,
      author: this.smallUserOf(row.author_id, author),
      content: row.content,
      is_read: row.is_read === 1,
      sent_at: row.sent_at,
    };
  }

  private authorsOf(caller: UserRow, others: UserRow[]): Map<number, UserRow> {
    return new Map([caller, ...others].map((u) => [u.id, u]));
  }

  /** Chat objects for the caller, with last message and unread count, in the order given. */
  async present(caller: UserRow, entries: ChatEntry[]): Promise<ChatView[]> {
    const ids = entries.map((e) => e.chat.id);
    const [last, unread] = await Promise.all([this.repo.lastMessages(ids), this.repo.unreadCounts(ids, caller.id)]);
    return entries.map(({ chat, other }) => {
      const lastRow = last.get(chat.id);
      return {
        id: chat.id,
        chat_with: { ...this.users.smallUser(other), status: { is_online: other.is_online === 1, last_online: other.last_online } },
        last_message: lastRow ? this.message(lastRow, this.authorsOf(caller, [other])) : null,
        created_at: chat.created_at,
        last_updated: chat.last_updated,
        view_chat: viewOf(chat, caller.id),
        unread_messages: unread.get(chat.id) ?? 0,
      };
    });
  }

  /**
   * The caller's chats, most recently updated first, blocked ones never;
   * without `q` the visible ones, with `q` every chat whose partner's name contains it.
   */
  async list(caller: UserRow, q: string | undefined): Promise<ChatEntry[]> {
    const chats = await this.repo.chatsOf(caller.id);
    const search = q ? q.toLowerCase() : '';
    const candidates = search ? chats : chats.filter((chat) => viewOf(chat, caller.id));
    const others = new Map((await this.users.findManyByIds(candidates.map((chat) => otherOf(chat, caller.id)))).map((u) => [u.id, u]));
    const checked = await Promise.all(candidates.map(async (chat) => {
      const other = others.get(otherOf(chat, caller.id));
      if (!other) return null;
      if (search && !other.username.toLowerCase().includes(search)) return null;
      if (await blockedEitherWay(this.facts, caller.id, other.id)) return null;
      return { chat, other };
    }));
    return checked.filter((entry): entry is ChatEntry => entry !== null);
  }

  /**
   * Opens a chat with `username`. The checks run in this order, which decides
   * the answer when several fail: himself (403), an existing chat (409), no
   * such user, a guest or a user who blocked the caller (404), a user the
   * caller blocked (403), the target's `accept_chat_from` (403).
   */
  async create(caller: UserRow, username: string): Promise<ChatView> {
    if (username === caller.username) throw forbidden(ChatMessages.withYourself);
    const target = await this.facts.findByUsername(username);
    if (target && (await this.repo.findByPair(caller.id, target.id))) throw conflict(ChatMessages.alreadyExists);
    if (!target || target.is_guest === 1 || target.id === caller.id || (await this.facts.hasBlocked(target.id, caller.id))) {
      throw notFound(ChatMessages.userNotFound);
    }
    if (await this.facts.hasBlocked(caller.id, target.id)) throw forbidden(ChatMessages.youBlocked);
    if (!(await acceptsChatFrom(this.facts, target, caller.id))) throw forbidden(ChatMessages.refusesChats);
    const chat = await this.repo.insert(caller.id, target.id, this.now());
    const [view] = await this.present(caller, [{ chat, other: target }]);
    return view;
  }

  /** The chat, which the caller sees again in his list from now on. */
  async detail(caller: UserRow, chatId: number): Promise<ChatView> {
    const entry = await this.memberChat(caller, chatId);
    await this.reopen(caller, entry);
    const [view] = await this.present(caller, [entry]);
    return view;
  }

  /** Hides the chat for the caller only. */
  async hide(caller: UserRow, chatId: number): Promise<void> {
    const { chat } = await this.memberChat(caller, chatId);
    if (viewOf(chat, caller.id)) await this.repo.setView(chat, caller.id, false);
  }

  /**
   * One page of messages, newest first. The caller sees the chat again;
   * the page's messages from the other participant are marked read once the
   * answer is built (the answer still shows their previous `is_read`).
   */
  async messages(caller: UserRow, chatId: number, pager: Pager): Promise<Page<MessageView>> {
    const entry = await this.memberChat(caller, chatId);
    await this.reopen(caller, entry);
    const authors = this.authorsOf(caller, [entry.other]);
    const count = await this.repo.countMessages(chatId);
    const page = await pager(count, (limit, offset) => this.repo.pageMessages(chatId, limit, offset));
    const answer = { ...page, results: page.results.map((row) => this.message(row, authors)) };
    await this.repo.markRead(page.results.filter((row) => row.author_id !== caller.id && row.is_read === 0).map((row) => row.id));
    return answer;
  }

  /**
   * Posts a message. The author must see the chat (one he hid refuses his
   * messages until he opens it again); the chat's
   * `last_updated` moves and a participant who had hidden it sees it again.
   * With `publish`, the other participant's streams get `receive-message`.
   */
  async post(caller: UserRow, chatId: number, input: NewMessage, options: { publish: boolean }): Promise<MessageView> {
    const entry = await this.memberChat(caller, chatId);
    if (!viewOf(entry.chat, caller.id)) throw forbidden(ChatMessages.notMember);
    await this.flood.take(caller.id, chatId);
    const row = await this.repo.insertMessage({
      chatId, authorId: caller.id, content: input.content, isRead: input.is_read === true, now: this.now(),
    });
    const message = this.message(row, this.authorsOf(caller, [entry.other]));
    if (options.publish) {
      await this.events.notify([entry.other.id], 'receive-message', message, { username: caller.id, message: message.content }, new Map([[caller.id, caller.username]]));
    }
    return message;
  }

  /** The `chat_data` section of the data export: every chat of the user, hidden and blocked included; reading marks nothing. */
  async exportFor(userId: number): Promise<ChatExport[]> {
    const owner = await this.users.findById(userId);
    if (!owner) return [];
    const chats = await this.repo.chatsOf(userId);
    return Promise.all(chats.map(async (chat) => {
      const otherId = otherOf(chat, userId);
      const [other, blocked, rows, unread] = await Promise.all([
        this.users.findById(otherId),
        blockedEitherWay(this.facts, userId, otherId),
        this.repo.allMessages(chat.id),
        this.repo.unreadCounts([chat.id], userId),
      ]);
      const authors = this.authorsOf(owner, other ? [other] : []);
      return {
        id: chat.id,
        chat_with: this.smallUserOf(otherId, other),
        created_at: chat.created_at,
        last_updated: chat.last_updated,
        view_chat: viewOf(chat, userId),
        unread_messages: unread.get(chat.id) ?? 0,
        blocked,
        messages: rows.map((row) => this.message(row, authors)),
      };
    }));
  }

  /** Removes the user's chats and their messages, inside the account's deletion transaction. */
  deleteUserRows(executor: Executor, userId: number): Promise<void> {
    return this.repo.deleteUserRows(executor, userId);
  }

  private async reopen(caller: UserRow, entry: ChatEntry): Promise<void> {
    if (viewOf(entry.chat, caller.id)) return;
    await this.repo.setView(entry.chat, caller.id, true);
    entry.chat = { ...entry.chat, ...(entry.chat.user_a_id === caller.id ? { view_a: 1 } : { view_b: 1 }) };
  }
}

import { CHAT_FLOOD_REFUSED } from '../../client/chat.js';
import type { Envelope } from '../../client/events.js';
import type { BlockEntry, Chat, ChatMessage, FriendRequest, Friendship, Me, Picture } from '../../client/types.js';
import { ApiError, type Api } from '../api.js';
import { CHAT_MESSAGE_MAX, MESSAGES_PAGE, SocialApi } from './social-api.js';
import { invitationText, SocialTexts } from './texts.js';

/**
 * The social half of the terminal client: friends (online state, requests in
 * and out, remove, block and unblock), chat (the conversations with their
 * unread counts, a conversation that follows the live stream, sending), the
 * notifications inbox (invitations joined from it, friend requests answered,
 * messages opened), the account (a guest's registration, the profile
 * picture) and the trophies a ranked game gave. The `Controller` owns one
 * `Social` and lends it what it needs through a `SocialHost`; the screens of
 * `screens/friends.ts`, `chat.ts`, `inbox.ts`, `account.ts` draw `state` and
 * call the actions. No terminal here.
 *
 *  menu ──f──▶ friends (Tab: friends · requests · blocked) ──Enter──▶ chat
 *  menu ──m──▶ chats ──Enter / n name──▶ chat ──Esc──▶ chats
 *  any screen ──Ctrl+N──▶ inbox ──Enter──▶ lobby / tournament (Controller.joinByCode), chat, friends
 *  menu ──a──▶ account (register the guest, choose the picture)
 */

export type SocialScreen =
  | { name: 'friends' }
  | { name: 'chats' }
  | { name: 'chat' }
  | { name: 'inbox' }
  | { name: 'account' };

export type SocialScreenName = SocialScreen['name'];

export const SOCIAL_SCREEN_NAMES: readonly SocialScreenName[] = ['friends', 'chats', 'chat', 'inbox', 'account'];

export type FriendsTab = 'friends' | 'requests' | 'blocked';
export const FRIENDS_TABS: readonly FriendsTab[] = ['friends', 'requests', 'blocked'];

/** One conversation on the chat screen. */
export interface Conversation {
  chat: Chat;
  /** Oldest first. */
  messages: ChatMessage[];
  /** The API's link to older messages; null once the first one is loaded. */
  next: string | null;
  loading: boolean;
  /** What is typed, not sent yet. */
  draft: string;
  sending: boolean;
  /** Lines scrolled up from the newest (0: the newest at the bottom). */
  scroll: number;
}

/** An entry of the notifications inbox (Ctrl+N). */
export interface InboxItem {
  id: number;
  at: number;
  kind: 'lobby' | 'tournament' | 'friend-request' | 'message' | 'picture' | 'friend';
  text: string;
  /** The lobby's or the tournament's code (invitations). */
  code?: string;
  /** The friend request's id. */
  requestId?: number;
  chatId?: number;
  /** Set once acted on: what became of it ("joined", "accepted"…). */
  done?: string;
}

/** A one-line question on a social screen. */
export interface SocialPrompt {
  purpose: 'add-friend' | 'new-chat';
  text: string;
}

/** A yes/no question before something that cannot be undone at once. */
export interface Confirm {
  text: string;
  action: 'remove' | 'block';
  /** The friendship (remove) or the user (block). */
  id: number;
  name: string;
}

/** The guest's registration form on the account screen. */
export interface UpgradeForm {
  username: string;
  password: string;
  /** 0 username, 1 password, 2 the Register button, 3 the pictures. */
  focus: number;
}

/** The trophies a ranked match gave the user (the end screen shows it). */
export interface TrophyChange {
  matchId: number;
  /** Null: the server's record could not be read (the profile shows it later). */
  change: number | null;
  /** The user's trophies after the match, once known. */
  total: number | null;
}

export interface SocialState {
  friends: Friendship[] | null;
  received: FriendRequest[] | null;
  sent: FriendRequest[] | null;
  blocked: BlockEntry[] | null;
  tab: FriendsTab;
  /** Selected row of each list. */
  selected: { friends: number; requests: number; blocked: number; chats: number; inbox: number; pictures: number };
  chats: Chat[] | null;
  conversation: Conversation | null;
  inbox: InboxItem[];
  pictures: Picture[] | null;
  prompt: SocialPrompt | null;
  confirm: Confirm | null;
  upgrade: UpgradeForm;
  /** A request is on its way (its sentence). */
  busy: string | null;
  trophies: TrophyChange | null;
}

interface Status {
  text: string;
  kind: 'info' | 'error';
  connection?: boolean;
}

/** What the controller lends the social features. */
export interface SocialHost {
  api(): Api;
  user(): Me | null;
  setUser(user: Me): void;
  screenName(): string;
  go(screen: SocialScreen | { name: 'menu' }, status?: Status | null): void;
  setStatus(status: Status | null): void;
  notice(text: string, kind?: 'info' | 'error' | 'event'): void;
  changed(): void;
  failure(error: unknown): Status;
  /** Joins a lobby or a tournament by code and opens its screen (the play features). */
  joinByCode(kind: 'lobby' | 'tournament', code: string): Promise<boolean>;
  /** How often the friends' online state is read again while the friends screen is open (ms). */
  presenceRefreshMs?: number;
}

const MAX_INBOX = 50;
/** A received request comes first in the requests tab, then the sent ones. */
export type RequestRow = { kind: 'received' | 'sent'; request: FriendRequest };

const EMPTY_SELECTION = { friends: 0, requests: 0, blocked: 0, chats: 0, inbox: 0, pictures: 0 };

function initialState(): SocialState {
  return {
    friends: null, received: null, sent: null, blocked: null, tab: 'friends',
    selected: { ...EMPTY_SELECTION }, chats: null, conversation: null, inbox: [], pictures: null,
    prompt: null, confirm: null, upgrade: { username: '', password: '', focus: 0 }, busy: null, trophies: null,
  };
}

const clamp = (index: number, length: number) => Math.max(0, Math.min(Math.max(0, length - 1), Math.floor(index)));

export class Social {
  state: SocialState = initialState();
  readonly api: SocialApi;
  private presenceTimer: NodeJS.Timeout | null = null;
  private inboxId = 0;
  /** Bumped by a reset (log out): answers of the session before are dropped. */
  private session = 0;
  private conversationAttempt = 0;

  constructor(private readonly host: SocialHost) {
    this.api = new SocialApi(() => host.api());
  }

  private update(change: Partial<SocialState>): void {
    this.state = { ...this.state, ...change };
    this.host.changed();
  }

  private select(list: keyof SocialState['selected'], index: number): void {
    this.update({ selected: { ...this.state.selected, [list]: index } });
  }

  private say(text: string, kind: 'info' | 'error' = 'info'): void {
    this.host.setStatus({ text, kind });
  }

  /** Runs a request with a busy sentence; a refusal goes to the status line. Answers whether it went through. */
  private async act(busy: string | null, run: () => Promise<void>): Promise<boolean> {
    const session = this.session;
    if (busy) this.update({ busy });
    try {
      await run();
      return session === this.session;
    } catch (error) {
      if (session === this.session) this.host.setStatus(this.host.failure(error));
      return false;
    } finally {
      if (busy && session === this.session) this.update({ busy: null });
    }
  }

  private isGuest(): boolean {
    return this.host.user()?.is_guest === true;
  }

  /** The account again (the menu's counts: friend requests, unread chats). */
  refreshUser(): void {
    const session = this.session;
    void this.host.api().me().then((user) => { if (session === this.session) this.host.setUser(user); }).catch(() => {});
  }

  /** Log out: everything of the session goes. */
  reset(): void {
    this.stopPresence();
    this.session += 1;
    this.conversationAttempt += 1;
    this.state = initialState();
  }

  // --- friends ---------------------------------------------------------------------------

  /** The friends screen, on `tab`: every list is read again. */
  async openFriends(tab: FriendsTab = this.state.tab): Promise<void> {
    this.update({ tab, prompt: null, confirm: null });
    this.host.go({ name: 'friends' });
    if (this.isGuest()) {
      this.say(SocialTexts.guestsNoFriends, 'error');
      return;
    }
    this.startPresence();
    await this.loadFriends();
  }

  /** Reads the friends, the requests both ways and the blocks. */
  async loadFriends(): Promise<void> {
    if (this.isGuest() || !this.host.user()) return;
    const session = this.session;
    try {
      const [friends, received, sent, blocked] = await Promise.all([
        this.api.friends(), this.api.receivedRequests(), this.api.sentRequests(), this.api.blocked(),
      ]);
      if (session !== this.session) return;
      const selected = {
        ...this.state.selected,
        friends: clamp(this.state.selected.friends, friends.length),
        requests: clamp(this.state.selected.requests, received.length + sent.length),
        blocked: clamp(this.state.selected.blocked, blocked.length),
      };
      this.update({ friends, received, sent, blocked, selected });
      // Reading the received requests marked them seen: the menu's count goes down.
      if ((this.host.user()?.notifications.friend_requests ?? 0) > 0) this.refreshUser();
    } catch (error) {
      if (session === this.session && this.host.screenName() === 'friends') this.host.setStatus(this.host.failure(error));
    }
  }

  /** While the friends screen is open, their online state is read again now and then (presence sends no event). */
  private startPresence(): void {
    this.stopPresence();
    const every = this.host.presenceRefreshMs ?? 5000;
    if (every <= 0) return;
    this.presenceTimer = setInterval(() => {
      if (this.host.screenName() !== 'friends') {
        this.stopPresence();
        return;
      }
      void this.loadFriends();
    }, every);
    this.presenceTimer.unref?.();
  }

  stopPresence(): void {
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    this.presenceTimer = null;
  }

  selectTab(tab: FriendsTab): void {
    this.update({ tab, prompt: null, confirm: null });
  }

  nextTab(step: 1 | -1 = 1): void {
    const index = FRIENDS_TABS.indexOf(this.state.tab);
    this.selectTab(FRIENDS_TABS[(index + step + FRIENDS_TABS.length) % FRIENDS_TABS.length]);
  }

  /** The requests tab's rows: received first, then sent. */
  requestRows(): RequestRow[] {
    return [
      ...(this.state.received ?? []).map((request) => ({ kind: 'received' as const, request })),
      ...(this.state.sent ?? []).map((request) => ({ kind: 'sent' as const, request })),
    ];
  }

  /** Moves the selection of the current friends tab. */
  moveFriends(delta: number): void {
    const tab = this.state.tab;
    const length = tab === 'friends' ? this.state.friends?.length ?? 0 : tab === 'blocked' ? this.state.blocked?.length ?? 0 : this.requestRows().length;
    this.select(tab, clamp(this.state.selected[tab] + delta, length));
  }

  selectedFriend(): Friendship | null {
    return this.state.friends?.[this.state.selected.friends] ?? null;
  }

  selectedRequest(): RequestRow | null {
    return this.requestRows()[this.state.selected.requests] ?? null;
  }

  selectedBlock(): BlockEntry | null {
    return this.state.blocked?.[this.state.selected.blocked] ?? null;
  }

  async sendFriendRequest(username: string): Promise<boolean> {
    const name = username.trim();
    if (!name) {
      this.say(SocialTexts.typeName, 'error');
      return false;
    }
    let sentTo = name;
    const ok = await this.act(null, async () => {
      const request = await this.api.sendRequest(name);
      sentTo = request.receiver.username;
    });
    if (!ok) return false;
    this.say(SocialTexts.requestSent(sentTo));
    await this.loadFriends();
    return true;
  }

  async acceptRequest(request: FriendRequest): Promise<boolean> {
    const ok = await this.act(null, async () => { await this.api.acceptRequest(request.id); });
    this.markInbox((item) => item.requestId === request.id, ok ? 'accepted' : undefined);
    if (!ok) return false;
    this.say(SocialTexts.accepted(request.sender.username));
    await this.loadFriends();
    this.refreshUser();
    return true;
  }

  /** Declines a request received, or cancels one sent. */
  async deleteRequest(row: RequestRow): Promise<boolean> {
    const ok = await this.act(null, () => this.api.deleteRequest(row.request.id));
    this.markInbox((item) => item.requestId === row.request.id, ok ? 'declined' : undefined);
    if (!ok) return false;
    this.say(row.kind === 'received' ? SocialTexts.declined(row.request.sender.username) : SocialTexts.cancelled(row.request.receiver.username));
    await this.loadFriends();
    return true;
  }

  /** Asks first (y/n): removing a friend or blocking a user. */
  ask(action: Confirm['action'], id: number, name: string): void {
    const text = action === 'remove' ? `Remove ${name} from your friends?` : `Block ${name}? You will not see each other any more (friendship, requests and chat end).`;
    this.update({ confirm: { action, id, name, text } });
  }

  /** The answer to `ask`. */
  async answer(yes: boolean): Promise<boolean> {
    const confirm = this.state.confirm;
    if (!confirm) return false;
    this.update({ confirm: null });
    if (!yes) return false;
    return confirm.action === 'remove' ? this.removeFriend(confirm.id, confirm.name) : this.block(confirm.id, confirm.name);
  }

  async removeFriend(friendshipId: number, name: string): Promise<boolean> {
    const ok = await this.act(null, () => this.api.removeFriend(friendshipId));
    if (!ok) return false;
    this.say(SocialTexts.removed(name));
    await this.loadFriends();
    return true;
  }

  async block(userId: number, name: string): Promise<boolean> {
    const ok = await this.act(null, async () => { await this.api.block(userId); });
    if (!ok) return false;
    this.say(SocialTexts.blocked(name));
    await this.loadFriends();
    if (this.state.chats) void this.loadChats();
    return true;
  }

  async unblock(entry: BlockEntry): Promise<boolean> {
    const ok = await this.act(null, () => this.api.unblock(entry.id));
    if (!ok) return false;
    this.say(SocialTexts.unblocked(entry.blocked.username));
    await this.loadFriends();
    return true;
  }

  // --- prompts (a name to type) ------------------------------------------------------------

  openPrompt(purpose: SocialPrompt['purpose']): void {
    this.update({ prompt: { purpose, text: '' }, confirm: null });
  }

  setPromptText(text: string): void {
    const prompt = this.state.prompt;
    if (prompt) this.update({ prompt: { ...prompt, text: text.slice(0, 30) } });
  }

  cancelPrompt(): void {
    this.update({ prompt: null });
  }

  async submitPrompt(): Promise<boolean> {
    const prompt = this.state.prompt;
    if (!prompt) return false;
    if (!prompt.text.trim()) {
      this.say(SocialTexts.typeName, 'error');
      return false;
    }
    this.update({ prompt: null });
    return prompt.purpose === 'add-friend' ? this.sendFriendRequest(prompt.text) : this.chatWith(prompt.text);
  }

  // --- chat ------------------------------------------------------------------------------

  /** The conversations screen. */
  async openChats(): Promise<void> {
    this.stopConversation();
    this.update({ prompt: null, confirm: null });
    this.host.go({ name: 'chats' });
    if (this.isGuest()) {
      this.say(SocialTexts.guestsNoFriends, 'error');
      return;
    }
    await this.loadChats();
  }

  async loadChats(): Promise<void> {
    const session = this.session;
    try {
      const chats = await this.api.chats();
      if (session !== this.session) return;
      this.update({ chats, selected: { ...this.state.selected, chats: clamp(this.state.selected.chats, chats.length) } });
    } catch (error) {
      if (session === this.session && this.host.screenName() === 'chats') this.host.setStatus(this.host.failure(error));
    }
  }

  moveChats(delta: number): void {
    this.select('chats', clamp(this.state.selected.chats + delta, this.state.chats?.length ?? 0));
  }

  selectedChat(): Chat | null {
    return this.state.chats?.[this.state.selected.chats] ?? null;
  }

  /** The conversation with `username` (opened on the server when there is none yet). */
  async chatWith(username: string): Promise<boolean> {
    const name = username.trim();
    if (!name) {
      this.say(SocialTexts.typeName, 'error');
      return false;
    }
    let chat: Chat | null = null;
    const ok = await this.act(null, async () => { chat = await this.api.chatWith(name); });
    if (!ok || !chat) return false;
    return this.openConversation(chat);
  }

  /** Opens a conversation by the chat's id (from the inbox). */
  async openChatById(chatId: number): Promise<boolean> {
    let chat: Chat | null = null;
    const ok = await this.act(null, async () => { chat = await this.api.chat(chatId); });
    if (!ok || !chat) return false;
    return this.openConversation(chat);
  }

  /** The conversation screen: the newest messages (reading them marks them read), then the live ones. */
  async openConversation(chat: Chat): Promise<boolean> {
    const attempt = ++this.conversationAttempt;
    const draft = this.state.conversation?.chat.id === chat.id ? this.state.conversation.draft : '';
    this.update({ conversation: { chat, messages: [], next: null, loading: true, draft, sending: false, scroll: 0 }, prompt: null });
    this.host.go({ name: 'chat' });
    try {
      const page = await this.api.messages(chat.id);
      const current = this.state.conversation;
      if (attempt !== this.conversationAttempt || !current) return false;
      // Messages that came live meanwhile are kept (by id).
      const loaded = [...page.results].reverse();
      const ids = new Set(loaded.map((m) => m.id));
      const messages = [...loaded, ...current.messages.filter((m) => !ids.has(m.id))];
      this.update({ conversation: { ...current, messages, next: page.next, loading: false } });
      this.markChatRead(chat.id);
      return true;
    } catch (error) {
      const current = this.state.conversation;
      if (attempt !== this.conversationAttempt || !current) return false;
      this.update({ conversation: { ...current, loading: false } });
      this.host.setStatus(this.host.failure(error));
      return false;
    }
  }

  /** Older messages (PgUp at the top of the conversation). */
  async olderMessages(): Promise<void> {
    const conversation = this.state.conversation;
    if (!conversation?.next || conversation.loading) return;
    const attempt = this.conversationAttempt;
    this.update({ conversation: { ...conversation, loading: true } });
    try {
      const page = await this.api.page<ChatMessage>(conversation.next);
      const current = this.state.conversation;
      if (attempt !== this.conversationAttempt || !current) return;
      const ids = new Set(current.messages.map((m) => m.id));
      const older = [...page.results].reverse().filter((m) => !ids.has(m.id));
      this.update({ conversation: { ...current, messages: [...older, ...current.messages], next: page.next, loading: false } });
    } catch (error) {
      const current = this.state.conversation;
      if (attempt !== this.conversationAttempt || !current) return;
      this.update({ conversation: { ...current, loading: false } });
      this.host.setStatus(this.host.failure(error));
    }
  }

  /** Lines scrolled up from the newest message. */
  scrollConversation(lines: number): void {
    const conversation = this.state.conversation;
    if (!conversation) return;
    this.update({ conversation: { ...conversation, scroll: Math.max(0, conversation.scroll + lines) } });
  }

  /** The draft of the open conversation; longer than the server takes is refused as it is typed. */
  setDraft(text: string): boolean {
    const conversation = this.state.conversation;
    if (!conversation) return false;
    if ([...text].length > CHAT_MESSAGE_MAX) {
      this.say(SocialTexts.messageTooLong(CHAT_MESSAGE_MAX), 'error');
      return false;
    }
    this.update({ conversation: { ...conversation, draft: text } });
    return true;
  }

  /** Sends the draft; the server's sentence when it refuses. */
  async send(): Promise<boolean> {
    const conversation = this.state.conversation;
    if (!conversation || conversation.sending) return false;
    if (!conversation.draft.trim()) {
      this.say(SocialTexts.typeMessage, 'error');
      return false;
    }
    const chatId = conversation.chat.id;
    const content = conversation.draft;
    this.update({ conversation: { ...conversation, sending: true } });
    let message: ChatMessage | null = null;
    const ok = await this.act(null, async () => {
      try {
        message = await this.api.send(chatId, content);
      } catch (error) {
        throw error instanceof ApiError && error.status === 429 ? new ApiError(429, CHAT_FLOOD_REFUSED) : error;
      }
    });
    const current = this.state.conversation;
    if (!current || current.chat.id !== chatId) return ok;
    if (!ok || !message) {
      this.update({ conversation: { ...current, sending: false } });
      return false;
    }
    const sent: ChatMessage = message;
    const messages = current.messages.some((m) => m.id === sent.id) ? current.messages : [...current.messages, sent];
    this.update({ conversation: { ...current, messages, draft: current.draft === content ? '' : current.draft, sending: false, scroll: 0 } });
    this.host.setStatus(null);
    this.touchChat(sent, false);
    return true;
  }

  /** Leaves the conversation for the list. */
  closeConversation(): void {
    this.stopConversation();
    void this.openChats();
  }

  private stopConversation(): void {
    this.conversationAttempt += 1;
    if (this.state.conversation) this.update({ conversation: null });
  }

  /** After reading a chat: its unread count is 0, the menu's count is read again. */
  private markChatRead(chatId: number): void {
    const chats = this.state.chats?.map((chat) => (chat.id === chatId ? { ...chat, unread_messages: 0 } : chat)) ?? null;
    this.update({ chats, inbox: this.state.inbox.map((item) => (item.kind === 'message' && item.chatId === chatId && !item.done ? { ...item, done: 'read' } : item)) });
    this.refreshUser();
  }

  /** A message in a chat of the list: it moves to the top, with one more unread when it is not read. */
  private touchChat(message: ChatMessage, unread: boolean): void {
    const chats = this.state.chats;
    if (!chats) return;
    const chat = chats.find((c) => c.id === message.chat_id);
    if (!chat) {
      void this.loadChats();
      return;
    }
    const updated: Chat = { ...chat, last_message: message, last_updated: message.sent_at, unread_messages: chat.unread_messages + (unread ? 1 : 0) };
    this.update({ chats: [updated, ...chats.filter((c) => c.id !== chat.id)] });
  }

  // --- the inbox (Ctrl+N) ---------------------------------------------------------------------

  openInbox(): void {
    this.update({ prompt: null, confirm: null, selected: { ...this.state.selected, inbox: 0 } });
    this.host.go({ name: 'inbox' });
  }

  /** Newest first. */
  inboxItems(): InboxItem[] {
    return [...this.state.inbox].reverse();
  }

  moveInbox(delta: number): void {
    this.select('inbox', clamp(this.state.selected.inbox + delta, this.state.inbox.length));
  }

  selectedInboxItem(): InboxItem | null {
    return this.inboxItems()[this.state.selected.inbox] ?? null;
  }

  /** The pending invitations (the menu mentions them). */
  pendingInvitations(): InboxItem[] {
    return this.state.inbox.filter((item) => (item.kind === 'lobby' || item.kind === 'tournament') && !item.done);
  }

  private addInbox(item: Omit<InboxItem, 'id' | 'at'>): InboxItem {
    const entry = { ...item, id: ++this.inboxId, at: Date.now() };
    this.update({ inbox: [...this.state.inbox, entry].slice(-MAX_INBOX) });
    return entry;
  }

  private markInbox(match: (item: InboxItem) => boolean, done: string | undefined): void {
    if (!done) return;
    this.update({ inbox: this.state.inbox.map((item) => (match(item) && !item.done ? { ...item, done } : item)) });
  }

  dismiss(item: InboxItem): void {
    this.update({ inbox: this.state.inbox.filter((entry) => entry.id !== item.id), selected: { ...this.state.selected, inbox: clamp(this.state.selected.inbox, this.state.inbox.length - 1) } });
  }

  /**
   * Enter on an inbox entry: joins the invitation's lobby or tournament (through the play features,
   * which open its screen), opens the message's conversation, the friends' requests, the pictures.
   */
  async activate(item: InboxItem): Promise<boolean> {
    switch (item.kind) {
      case 'lobby':
      case 'tournament': {
        if (!item.code) return false;
        const joined = await this.host.joinByCode(item.kind, item.code);
        if (joined) this.markInbox((entry) => entry.id === item.id, 'joined');
        return joined;
      }
      case 'message':
        return item.chatId ? this.openChatById(item.chatId) : false;
      case 'friend-request':
      case 'friend':
        await this.openFriends(item.kind === 'friend' ? 'friends' : 'requests');
        return true;
      case 'picture':
        await this.openAccount();
        return true;
      default:
        return false;
    }
  }

  /** y / n on a friend request of the inbox. */
  async answerInboxRequest(item: InboxItem, accept: boolean): Promise<boolean> {
    if (item.kind !== 'friend-request' || !item.requestId) return false;
    if (item.done) {
      this.say(SocialTexts.invitationGone, 'error');
      return false;
    }
    const received = this.state.received?.find((r) => r.id === item.requestId);
    const request: FriendRequest = received ?? ({ id: item.requestId, sender: { id: 0, username: item.text.split(' ')[0], profile_picture: null }, receiver: null, send_at: '' } as unknown as FriendRequest);
    return accept ? this.acceptRequest(request) : this.deleteRequest({ kind: 'received', request });
  }

  // --- the account: a guest's registration, the picture -------------------------------------------

  async openAccount(): Promise<void> {
    const user = this.host.user();
    this.update({
      prompt: null, confirm: null,
      upgrade: { username: user?.is_guest ? user.username : '', password: '', focus: user?.is_guest ? 0 : 3 },
    });
    this.host.go({ name: 'account' });
    await this.loadPictures();
  }

  async loadPictures(): Promise<void> {
    const session = this.session;
    try {
      const pictures = await this.api.pictures();
      if (session !== this.session) return;
      // The selection stays on the same picture (the server lists the equipped one first).
      const before = this.state.pictures?.[this.state.selected.pictures]?.id;
      const kept = before === undefined ? -1 : pictures.findIndex((p) => p.id === before);
      const selected = kept >= 0 ? kept : Math.max(0, pictures.findIndex((p) => p.is_equiped));
      this.update({ pictures, selected: { ...this.state.selected, pictures: clamp(selected, pictures.length) } });
    } catch (error) {
      if (session === this.session && this.host.screenName() === 'account') this.host.setStatus(this.host.failure(error));
    }
  }

  movePictures(delta: number): void {
    this.select('pictures', clamp(this.state.selected.pictures + delta, this.state.pictures?.length ?? 0));
  }

  setUpgrade(change: Partial<UpgradeForm>): void {
    this.update({ upgrade: { ...this.state.upgrade, ...change } });
  }

  /** Equips the selected picture; a locked one says how it is unlocked. */
  async equipSelected(): Promise<boolean> {
    const picture = this.state.pictures?.[this.state.selected.pictures];
    if (!picture) return false;
    if (!picture.unlock) {
      this.say(SocialTexts.locked(picture.unlock_reason), 'error');
      return false;
    }
    const ok = await this.act(null, () => this.api.equipPicture(picture.id));
    if (!ok) return false;
    this.say(SocialTexts.equipped(picture.name));
    await this.loadPictures();
    this.refreshUser();
    return true;
  }

  /** Registers the guest with the form's username and password; the session goes on as that account. */
  async registerGuest(): Promise<boolean> {
    const { username, password } = this.state.upgrade;
    if (!this.isGuest()) {
      this.say(SocialTexts.notGuest, 'error');
      return false;
    }
    if (!username.trim() || !password) {
      this.say(SocialTexts.registerFirst, 'error');
      return false;
    }
    const ok = await this.act('Registering the account…', async () => {
      await this.api.registerGuest(username.trim(), password);
      this.host.setUser(await this.host.api().me());
    });
    if (!ok) return false;
    this.update({ upgrade: { username: '', password: '', focus: 3 } });
    this.say(SocialTexts.registered(this.host.user()?.username ?? username.trim()));
    await this.loadPictures();
    return true;
  }

  // --- after a ranked game ----------------------------------------------------------------------

  /**
   * A game is over: for a ranked match, the trophies it gave (the match object's `trophies` of the
   * user's seat, once the server has recorded the result; docs/api.md), then the new total.
   */
  async gameOver(match: { id: number; game_mode: string }, options: { attempts?: number; delayMs?: number } = {}): Promise<void> {
    const user = this.host.user();
    if (!user || match.game_mode !== 'ranked') return;
    const session = this.session;
    const attempts = options.attempts ?? 20;
    for (let i = 0; i < attempts && session === this.session; i++) {
      try {
        const found = (await this.api.latestMatches(user.id)).find((m) => m.id === match.id && m.finished);
        const seat = found ? [...found.teams.a.players, ...found.teams.b.players].find((p) => p.id === user.id) as { trophies?: number | null } | undefined : undefined;
        if (seat && typeof seat.trophies === 'number') {
          if (session !== this.session) return;
          this.update({ trophies: { matchId: match.id, change: seat.trophies, total: null } });
          const me = await this.host.api().me();
          if (session !== this.session) return;
          this.host.setUser(me);
          this.update({ trophies: { matchId: match.id, change: seat.trophies, total: me.trophies } });
          return;
        }
      } catch {
        // The end screen goes without it.
      }
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 300));
    }
    if (session === this.session) this.update({ trophies: { matchId: match.id, change: null, total: null } });
  }

  // --- live events ------------------------------------------------------------------------------

  /**
   * The social events of the live stream (docs/events.md: friends, chat, invitations, pictures):
   * the lists follow, the inbox gets an entry, the notice line says it. Answers whether the event
   * was one of them (the controller then says nothing more).
   */
  onEvent(event: string, envelope: Envelope): boolean {
    const data = (envelope.data && typeof envelope.data === 'object' ? envelope.data : {}) as Record<string, unknown>;
    switch (event) {
      case 'receive-friend-request': {
        const request = data as unknown as FriendRequest;
        const text = envelope.message || `${request.sender?.username ?? 'Someone'} wants to be friends with you.`;
        this.addInbox({ kind: 'friend-request', text, requestId: typeof request.id === 'number' ? request.id : undefined });
        this.host.notice(`${text} (Ctrl+N: answer)`);
        this.friendsChanged();
        this.refreshUser();
        return true;
      }
      case 'accept-friend-request': {
        const text = envelope.message || 'Your friend request was accepted.';
        this.addInbox({ kind: 'friend', text });
        this.host.notice(text);
        this.friendsChanged();
        return true;
      }
      case 'reject-friend-request':
      case 'cancel-friend-request':
      case 'delete-friend': {
        const id = typeof data.id === 'number' ? data.id : null;
        if (event === 'cancel-friend-request' && id !== null) this.markInbox((item) => item.requestId === id, 'cancelled');
        this.host.notice(event === 'reject-friend-request' ? 'A friend request was declined.' : event === 'cancel-friend-request' ? 'A friend request was cancelled.' : 'A friendship ended.');
        this.friendsChanged();
        if (event === 'cancel-friend-request') this.refreshUser();
        return true;
      }
      case 'receive-message':
        this.onMessage(data as unknown as ChatMessage, envelope.message ?? '');
        return true;
      case 'invite-1v1':
      case 'invite-3v3':
      case 'invite-clash':
      case 'invite-tournament': {
        const code = typeof data.code === 'string' || typeof data.code === 'number' ? String(data.code) : undefined;
        const kind = event === 'invite-tournament' ? 'tournament' : 'lobby';
        const said = invitationText(event, envelope.message ?? '');
        // The inbox shows the code in its action column (join lobby 1234); the notice line says it.
        this.addInbox({ kind, text: `${said}.`, code });
        this.host.notice(`${said}${code ? ` — ${kind} ${code}` : ''}. (${SocialTexts.answerInvitation})`);
        return true;
      }
      case 'profile-picture-unlocked': {
        const name = typeof data.name === 'string' ? ` (${data.name})` : '';
        const text = `${(envelope.message || 'You have unlocked a new profile picture!').replace(/!$/, '')}${name}!`;
        this.addInbox({ kind: 'picture', text });
        this.host.notice(text);
        if (this.state.pictures) void this.loadPictures();
        return true;
      }
      default:
        return false;
    }
  }

  /** A friends event: the lists are read again when they have been opened in this session. */
  private friendsChanged(): void {
    if (this.state.friends !== null || this.host.screenName() === 'friends') void this.loadFriends();
  }

  private onMessage(message: ChatMessage, text: string): void {
    if (!message || typeof message.chat_id !== 'number') return;
    const conversation = this.state.conversation;
    const open = conversation && conversation.chat.id === message.chat_id && this.host.screenName() === 'chat';
    if (conversation && conversation.chat.id === message.chat_id) {
      if (!conversation.messages.some((m) => m.id === message.id)) {
        this.update({ conversation: { ...conversation, messages: [...conversation.messages, message] } });
      }
    }
    if (open) {
      // Read on the screen: the server is told by reading it (the newest message, marked read).
      void this.api.messages(message.chat_id, 1).then(() => this.refreshUser()).catch(() => {});
      this.touchChat(message, false);
      return;
    }
    this.touchChat(message, true);
    const line = text || `${message.author?.username ?? 'Someone'}: ${message.content}`;
    this.addInbox({ kind: 'message', text: line, chatId: message.chat_id });
    this.host.notice(line);
    const user = this.host.user();
    if (user) this.host.setUser({ ...user, notifications: { ...user.notifications, chats: user.notifications.chats + 1 } });
  }

  /** Back from a social screen: the conversation goes to the conversations, the others to the menu. */
  back(): void {
    const name = this.host.screenName();
    if (name === 'chat') {
      this.closeConversation();
      return;
    }
    this.update({ prompt: null, confirm: null });
    if (name === 'friends') this.stopPresence();
    this.host.go({ name: 'menu' });
  }
}

export { CHAT_MESSAGE_MAX, MESSAGES_PAGE };

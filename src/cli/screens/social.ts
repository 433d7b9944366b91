import type { SocialScreenName } from '../social/social.js';
import { accountScreen } from './account.js';
import { chatScreen, chatsScreen } from './chat.js';
import { friendsScreen } from './friends.js';
import { inboxScreen } from './inbox.js';
import type { ScreenModule } from './types.js';

/** The screens of the social features (social/social.ts), by name. */
export const SOCIAL_SCREENS: Record<SocialScreenName, ScreenModule> = {
  friends: friendsScreen,
  chats: chatsScreen,
  chat: chatScreen,
  inbox: inboxScreen,
  account: accountScreen,
};

/** Screens from which Ctrl+N opens the notifications (not from a game, a search, a replay or the login). */
export const INBOX_FROM: ReadonlySet<string> = new Set(['menu', 'profile', 'history', 'friends', 'chats', 'chat', 'account', 'inbox', 'play', 'lobby', 'tournament', 'live']);

import type { UserRow } from '../../platform/http/request-context.js';

/**
 * The facts of the social graph that the chat rules need (friendship for
 * `accept_chat_from`, blocks). Chat never reads the social feature's tables: the
 * friends and blocking services answer these questions.
 */
export interface ChatSocialFacts {
  /** The account with exactly this username (case-sensitive), guests included. */
  findByUsername(username: string): Promise<UserRow | undefined>;
  areFriends(a: number, b: number): Promise<boolean>;
  /** True when `blocker` has blocked `blocked` (one direction only). */
  hasBlocked(blocker: number, blocked: number): Promise<boolean>;
  /** True when either has blocked the other. */
  blockedEitherWay(a: number, b: number): Promise<boolean>;
}

/** What chat needs from the users feature to show a participant (UsersService satisfies it). */
export interface ChatUsers {
  findById(id: number): Promise<UserRow | undefined>;
  findManyByIds(ids: number[]): Promise<UserRow[]>;
  smallUser(row: Pick<UserRow, 'id' | 'username' | 'profile_picture_id'>): SmallUser;
}

export interface SmallUser {
  id: number;
  username: string;
  profile_picture: { id: number; name: string; small: string; medium: string };
}

export type AcceptChatFrom = 'none' | 'friends_only' | 'everyone';

/** May `caller` open a new chat with `target`, given target's `accept_chat_from` setting? */
export async function acceptsChatFrom(facts: ChatSocialFacts, target: UserRow, callerId: number): Promise<boolean> {
  switch (target.accept_chat_from as AcceptChatFrom) {
    case 'everyone':
      return true;
    case 'friends_only':
      return facts.areFriends(target.id, callerId);
    default:
      return false;
  }
}

/** A chat is blocked while either participant has blocked the other. */
export function blockedEitherWay(facts: ChatSocialFacts, a: number, b: number): Promise<boolean> {
  return facts.blockedEitherWay(a, b);
}

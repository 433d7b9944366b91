/** Every text the chat feature answers with (accounts-chat-sse.md §14–§16); clients match on them. */
export const ChatMessages = {
  notMember: 'You do not belong to this chat.',
  withYourself: 'You cannot chat with yourself.',
  alreadyExists: 'You are already chat with this user.',
  userNotFound: 'User not found.',
  youBlocked: 'You blocked this user.',
  refusesChats: 'This user does not accept new chat.',
} as const;

/** Longest `username` accepted by `POST /api/chat/` (§15.2, §25 item 1). */
export const CHAT_USERNAME_MAX = 30;

/**
 * Longest message `content` (characters, after trimming). The spec sets no
 * maximum; without one, a few accounts posting the largest bodies the server
 * takes grow every recipient's stream and resume log without end.
 */
export const CHAT_MESSAGE_MAX = 2000;

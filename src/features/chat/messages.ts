/** Every text the chat feature answers with; clients match on them. */
export const ChatMessages = {
  notMember: 'You do not belong to this chat.',
  withYourself: 'You cannot chat with yourself.',
  alreadyExists: 'You are already chat with this user.',
  userNotFound: 'User not found.',
  youBlocked: 'You blocked this user.',
  refusesChats: 'This user does not accept new chat.',
} as const;

/** Longest `username` accepted by `POST /api/chat/`: no account's name is longer. */
export const CHAT_USERNAME_MAX = 30;

/**
 * Longest message `content` (characters, after trimming), a limit of the
 * platform's own: without one, a few accounts posting the largest bodies the
 * server takes grow every recipient's stream and resume log without end.
 */
export const CHAT_MESSAGE_MAX = 2000;

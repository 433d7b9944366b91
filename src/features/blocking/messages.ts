/** Every text the blocking feature answers with; clients match on them. */
export const BlockMessages = {
  tooMany: 'You cannot block more than 50 users.',
  userNotFound: 'User not found.',
  notYourself: 'You cannot block yourself.',
  alreadyBlocked: 'You are already blocked this user.',
  notYours: 'This blocked user entry does not belong to you.',
} as const;

export const MAX_BLOCKS = 50;

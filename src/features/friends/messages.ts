/** Every text the friends feature answers with; clients match on them. */
export const FriendMessages = {
  userNotFound: 'User not found.',
  youBlockedThisUser: 'You blocked this user.',
  notYourself: 'You cannot send a friend request to yourself.',
  alreadyFriends: 'You are already friends with this user.',
  alreadySent: 'You have already sent a friend request to this user.',
  alreadyReceived: 'You have already received a friend request from this user.',
  tooManyPending: 'You cannot send more than 20 friend requests at the same time.',
  notAccepting: 'This user does not accept friend requests.',
  requestNotFound: 'Friend request not found.',
  acceptOwn: 'You cannot accept your own friend request.',
  friendshipNotFound: 'Friendship not found.',
} as const;

/** A new request is refused when more than this many sent requests are pending (so at most 21 can be). */
export const MAX_PENDING_SENT = 20;

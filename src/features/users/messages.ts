/** Every text the users feature answers with; clients match on them. */
export const UserMessages = {
  userNotFound: 'User not found.',
  youBlockedThisUser: 'You blocked this user.',
  playing: 'You cannot perform this action when you playing.',
  guestsOnlyUsername: 'Guest users can only update their username.',
  usernameTakenExactly: 'users with this username already exists.',
  chatChoice: "Chat status must be 'everyone', 'friends_only' or 'none'.",
  pictureNotFound: 'Profile picture not found.',
  pictureLocked: 'You did not unlock this profile picture.',
} as const;

export const ACCEPT_CHAT_FROM = ['none', 'friends_only', 'everyone'];

/** Every text the auth feature answers with; clients match on them. */
export const AuthMessages = {
  usernameNotAllowed: 'This username is not allowed.',
  usernameTooShort: 'Username must be at least 3 characters long.',
  invalidCharacter: 'Use of an invalid character.',
  usernameExists: 'This username already exists.',
  usernameReservedForGuests: 'This username is reserved for guests.',
  passwordSameAsOld: 'Password is the same as the old one.',
  passwordTooSimilar: 'The password is too similar to the username.',
  passwordTooShort: 'This password is too short. It must contain at least 8 characters.',
  passwordTooCommon: 'This password is too common.',
  passwordNumeric: 'This password is entirely numeric.',
  noActiveAccount: 'No active account found with the given credentials',
  refreshInvalid: 'Token is invalid or expired',
  refreshWrongType: 'Token has wrong type',
  mustBeGuest: 'You must be a guest user.',
  guestsOnlyUsername: 'Guest users can only update their username.',
  incorrectPassword: 'Incorrect password.',
  passwordConfirmationRequired: 'Password confirmation is required.',
} as const;

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 30;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 50;

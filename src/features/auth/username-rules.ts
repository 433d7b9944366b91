import { AuthMessages, USERNAME_MIN } from './messages.js';

const FORBIDDEN_PARTS = ['anonymous', 'admin', 'staff', 'support', 'ft_transcendence', 'transcendence'];
const ALLOWED = /^[A-Za-z0-9_-]+$/;
/** The names of guest accounts (`Guest` + digits, any case): only guest creation hands them out. */
const GUEST_NAME = /^guest\d+$/i;

/**
 * The username rules (no forbidden word, at least USERNAME_MIN characters,
 * only letters, digits, `_` and `-`), then the platform's own: a chosen
 * name may not look like a guest's (`Guest123456`), so that nobody passes
 * for a guest, nor a registered account keeps a guest name; the first
 * failure only. Uniqueness needs the database.
 */
export function usernameRuleFailure(username: string): string | null {
  if (FORBIDDEN_PARTS.some((part) => username.includes(part))) return AuthMessages.usernameNotAllowed;
  if (username.length < USERNAME_MIN) return AuthMessages.usernameTooShort;
  if (!ALLOWED.test(username)) return AuthMessages.invalidCharacter;
  if (GUEST_NAME.test(username)) return AuthMessages.usernameReservedForGuests;
  return null;
}

import { AuthMessages, USERNAME_MIN } from './messages.js';

const FORBIDDEN_PARTS = ['anonymous', 'admin', 'staff', 'support', 'ft_transcendence', 'transcendence'];
const ALLOWED = /^[A-Za-z0-9_-]+$/;

/** Rules 1–3 of accounts-chat-sse.md §3.2; the first failure only. Rule 4 (uniqueness) needs the database. */
export function usernameRuleFailure(username: string): string | null {
  if (FORBIDDEN_PARTS.some((part) => username.includes(part))) return AuthMessages.usernameNotAllowed;
  if (username.length < USERNAME_MIN) return AuthMessages.usernameTooShort;
  if (!ALLOWED.test(username)) return AuthMessages.invalidCharacter;
  return null;
}

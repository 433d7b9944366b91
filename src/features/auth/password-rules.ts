import { isCommonPassword } from './common-passwords.js';
import { AuthMessages, PASSWORD_MIN } from './messages.js';

const ALLOWED = /^[A-Za-z0-9_\-!@#$%^&*()]+$/;
const SIMILARITY_THRESHOLD = 0.7;

/** Characters two strings share, counted as multisets. */
function sharedCharacters(a: string, b: string): number {
  const counts = new Map<string, number>();
  for (const ch of a) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let shared = 0;
  for (const ch of b) {
    const left = counts.get(ch) ?? 0;
    if (left > 0) {
      shared++;
      counts.set(ch, left - 1);
    }
  }
  return shared;
}

/**
 * Whether the password is too similar to the username or to one of its parts
 * (split on non-word characters): characters in common, counted as multisets;
 * a part much shorter than the password is skipped.
 */
export function isTooSimilar(password: string, username: string): boolean {
  const p = password.toLowerCase();
  const u = username.toLowerCase();
  const parts = [...u.split(/[^A-Za-z0-9_]+/), u];
  return parts.some((v) => {
    if (p.length >= 10 * v.length && v.length < 0.35 * p.length) return false;
    return (2 * sharedCharacters(p, v)) / (p.length + v.length) >= SIMILARITY_THRESHOLD;
  });
}

/**
 * Password rules after the field-level checks; returns the messages to report
 * under `password` (empty when the password is acceptable).
 */
export function passwordRuleFailures(password: string, username: string, currentPasswordMatches = false): string[] {
  if (currentPasswordMatches) return [AuthMessages.passwordSameAsOld];
  if (!ALLOWED.test(password)) return [AuthMessages.invalidCharacter];
  const failures: string[] = [];
  if (isTooSimilar(password, username)) failures.push(AuthMessages.passwordTooSimilar);
  if (password.length < PASSWORD_MIN) failures.push(AuthMessages.passwordTooShort);
  if (isCommonPassword(password)) failures.push(AuthMessages.passwordTooCommon);
  if (/^\d+$/.test(password)) failures.push(AuthMessages.passwordNumeric);
  return failures;
}

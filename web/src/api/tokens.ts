import type { TokenStore } from '@client/http.js';
import { tokenExpiry } from '@client/tokens.js';
import type { Tokens } from '@client/types.js';
import { storedTokens } from '../lib/storage';

/** The session's JWT pair, in memory and in persistent storage (it outlives a reload). */
let tokens: Tokens | null = storedTokens.load();

export const webTokens: TokenStore = {
  get: () => tokens,
  set: (next) => setTokens(next),
};

export function currentTokens(): Tokens | null {
  return tokens;
}

export function setTokens(next: Tokens | null): void {
  tokens = next;
  if (next) storedTokens.save(next);
  else storedTokens.clear();
}

/** Seconds before the access token expires, from its `exp` claim (Infinity when unreadable). */
export function accessTtlSeconds(): number {
  if (!tokens) return -1;
  const expiry = tokenExpiry(tokens.access);
  return expiry === null ? Infinity : (expiry - Date.now()) / 1000;
}

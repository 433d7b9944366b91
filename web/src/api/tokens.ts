import { storedTokens, type Tokens } from '../lib/storage';

/** The session's JWT pair, in memory and in persistent storage. */
let tokens: Tokens | null = storedTokens.load();

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
  try {
    const payload = JSON.parse(atob(tokens.access.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return typeof payload.exp === 'number' ? payload.exp - Date.now() / 1000 : Infinity;
  } catch {
    return Infinity;
  }
}

let refreshing: Promise<boolean> | null = null;

/** `POST /api/auth/refresh/`; concurrent callers share one refresh. */
export function refreshTokens(): Promise<boolean> {
  refreshing ??= (async () => {
    const refresh = tokens?.refresh;
    if (!refresh) return false;
    try {
      const response = await fetch('/api/auth/refresh/', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh }),
      });
      if (!response.ok) return false;
      const body = (await response.json()) as Partial<Tokens>;
      if (!body.access) return false;
      setTokens({ access: body.access, refresh: body.refresh ?? refresh });
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

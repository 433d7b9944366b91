/** Reading a JWT's claims without verifying it (the server does that): works in browsers and Node alike. */
function claimsOf(token: string): Record<string, unknown> | null {
  try {
    const part = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, '='))) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The `exp` claim in epoch milliseconds, or null. */
export function tokenExpiry(token: string): number | null {
  const exp = claimsOf(token)?.exp;
  return typeof exp === 'number' ? exp * 1000 : null;
}

/** The `user_id` claim of an access token. */
export function userIdOfToken(token: string): number {
  const id = claimsOf(token)?.user_id;
  if (typeof id !== 'number') throw new Error('access token without user_id');
  return id;
}

import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (memory-hard, ~ms per hash). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function passwordMatches(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) return false;
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

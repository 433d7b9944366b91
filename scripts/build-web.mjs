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
  join(root, 'src', 'client'),
  join(root, 'src', 'features', 'events', 'catalogue.ts'),
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

// Pre-compressed copies of the hashed assets, served by @fastify/static (`preCompressed`) to
// browsers that accept them: the initial JavaScript goes over the wire compressed. Not index.html
// (served with its CSP from memory, uncompressed: it is small).
const { brotliCompressSync, gzipSync, constants } = await import('node:zlib');
const { readFileSync, writeFileSync } = await import('node:fs');
const assets = join(web, 'dist', 'assets');
for (const entry of readdirSync(assets)) {
  if (!/\.(js|css|svg)$/.test(entry)) continue;
  const path = join(assets, entry);
  const body = readFileSync(path);
  if (body.length < 1024) continue;
  writeFileSync(`${path}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
  writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
}

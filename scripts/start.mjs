#!/usr/bin/env node
// `npm start`: compiles the TypeScript sources when dist/ is missing or older than src/, then runs the server.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const entry = join(root, 'dist', 'main.js');
if (!existsSync(entry) || statSync(entry).mtimeMs < newestMtime(join(root, 'src'))) {
  console.log('building the server (tsc)...');
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
if (existsSync(join(root, 'scripts', 'build-web.mjs'))) {
  const web = spawnSync(process.execPath, [join(root, 'scripts', 'build-web.mjs')], { stdio: 'inherit' });
  if (web.status !== 0) process.exit(web.status ?? 1);
}

const server = spawnSync(process.execPath, ['--enable-source-maps', entry], { stdio: 'inherit', cwd: process.cwd() });
process.exit(server.status ?? 0);

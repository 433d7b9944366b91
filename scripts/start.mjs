#!/usr/bin/env node
// `npm start`: compiles the TypeScript sources when dist/ is missing or older than src/, then runs the server
// with a bounded heap under a supervisor that restarts it when it dies unexpectedly (scripts/supervise.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { supervise } from './supervise.mjs';

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

/**
 * HEAP_LIMIT_MB: V8's old-space limit. The node's own buffers are bounded (SSE_* budgets, bodies, rooms);
 * this is their sum with room to spare (bench/README.md, "bench:abuse"), so a node that still outgrows it
 * dies and is restarted rather than swapping the machine. 0: V8's default (or NODE_OPTIONS').
 */
const DEFAULT_HEAP_LIMIT_MB = 1536;

function intSetting(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a non-negative integer, got "${raw}"`);
    process.exit(1);
  }
  return value;
}

const heapFromNodeOptions = /--max-old-space-size/.test(process.env.NODE_OPTIONS ?? '') && !process.env.HEAP_LIMIT_MB;
const heapLimitMb = heapFromNodeOptions ? 0 : intSetting('HEAP_LIMIT_MB', DEFAULT_HEAP_LIMIT_MB);
/**
 * V8's young generation is capped at 8 MB a half (16 MB by default): an idle node holds ~15 MB less
 * (bench/README.md, idle memory), and the game's tick path allocates next to nothing to scavenge.
 * The benchmarks start the server with the same flags (bench/server-process.ts).
 */
const V8_FLAGS = ['--max-semi-space-size=8'];
const nodeArgs = ['--enable-source-maps', ...V8_FLAGS, ...(heapLimitMb > 0 ? [`--max-old-space-size=${heapLimitMb}`] : [])];
process.exitCode = await supervise({ entry, nodeArgs, maxQuickCrashes: intSetting('RESTART_LIMIT', 5) });

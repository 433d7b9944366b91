#!/usr/bin/env node
// `npm start`: bundles the server (scripts/build-server.mjs) when dist/server.mjs is missing or older than src/, then runs it
// with a bounded heap under a supervisor that restarts it when it dies unexpectedly (scripts/supervise.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildServer, SERVER_NODE_FLAGS, serverEnv } from './build-server.mjs';
import { supervise } from './supervise.mjs';

const root = new URL('..', import.meta.url).pathname;

const entry = await buildServer();
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
const nodeArgs = [...SERVER_NODE_FLAGS, ...(heapLimitMb > 0 ? [`--max-old-space-size=${heapLimitMb}`] : [])];
process.exitCode = await supervise({ entry, nodeArgs, env: serverEnv(), maxQuickCrashes: intSetting('RESTART_LIMIT', 5) });

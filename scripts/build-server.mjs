#!/usr/bin/env node
// Builds the server `npm start` runs: one minified ES module, `dist/server.mjs` (esbuild), with its source map.
// `node scripts/build-server.mjs` builds it again whatever its age.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_BUNDLE = join(root, 'dist', 'server.mjs');

/**
 * Left outside the bundle and loaded from node_modules as they are: native addons, pino's worker-thread
 * transports (they start files by path), and the packages that serve files next to their own code.
 * Everything else is in the one file, which is what saves memory: a node holds one minified source
 * instead of some hundreds of modules with their comments (docs/architecture.md, "Idle memory").
 */
const EXTERNAL = [
  'better-sqlite3', '@node-rs/argon2', '@resvg/resvg-js',
  'pino', 'pino-pretty', 'thread-stream',
  '@fastify/static', '@fastify/swagger-ui',
];

/**
 * How the server process runs, the same under `npm start` and in the benchmarks (measured in
 * bench/README.md; docs/architecture.md, "Idle memory", says why):
 * - V8's young generation at most 8 MB a half (16 by default). At 1 or 2 MB an idle node would hold a few
 *   MB less for its first seconds, but HTTP requests/s fell by 5-23 %; V8's memory reducer shrinks it
 *   anyway once the node has been idle for some seconds;
 * - one V8 helper thread instead of four: each holds a stack and its own malloc arena;
 * - at most two glibc malloc arenas (unless the environment already says).
 * No `--enable-source-maps`: Node would keep the bundle's 9 MB map in memory from the start.
 * Stack traces still carry the functions' names (the bundle keeps them).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=8', '--v8-pool-size=1'];
export const serverEnv = (env = process.env) => ({ MALLOC_ARENA_MAX: '2', ...env });

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const isStale = () => !existsSync(SERVER_BUNDLE)
  || statSync(SERVER_BUNDLE).mtimeMs < Math.max(
    newestMtime(join(root, 'src')),
    statSync(join(root, 'package-lock.json')).mtimeMs,
    statSync(fileURLToPath(import.meta.url)).mtimeMs,
  );

/** Builds the bundle when it is missing or older than the sources (or always, with `force` or another `outfile`). */
export async function buildServer({ force = false, outfile = SERVER_BUNDLE, log = console.log } = {}) {
  if (!force && outfile === SERVER_BUNDLE && !isStale()) return SERVER_BUNDLE;
  log('building the server (esbuild)...');
  await build({
    entryPoints: [join(root, 'src', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    // Error classes and fastify plugins are told apart by name.
    keepNames: true,
    sourcemap: 'linked',
    external: EXTERNAL,
    // The CommonJS packages inside the bundle still call require() for Node's own modules.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildServer({ force: true });

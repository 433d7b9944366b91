import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, SERVER_NODE_FLAGS, serverEnv } from '../../scripts/build-server.mjs';
import { GameSocket, createMatch } from '../support/game.js';
import { ApiClient, registerUser } from '../support/http.js';
import { createPostgresDatabase, redisPrefixFor, testDatabase } from '../support/server.js';
import { SseClient } from '../support/sse.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `npm start` runs the server as one esbuild bundle (scripts/build-server.mjs), which the rest of the
 * suite never loads (it runs the sources). Here the bundle is built and started as its own process, with
 * the flags `npm start` gives it, over TLS, on this project's database (and Redis under PostgreSQL), and
 * each part that a bundler can break is used once: the native addons (SQLite, argon2, resvg), the lazily
 * loaded ones (pg, ioredis, selfsigned), the API documentation, the web client's files, SSE and a game
 * played over the WebSocket to its end.
 */
describe('the server bundle npm start runs', { timeout: 120_000 }, () => {
  // Under the repository, as dist/server.mjs is: the bundle finds node_modules and web/dist from there.
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const outDir = mkdtempSync(join(ROOT, 'dist', '.bundle-test-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'pong-bundle-'));
  let child: ChildProcess;
  let output = '';
  let api: ApiClient;
  let internal: ApiClient;
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const entry = await buildServer({ outfile: join(outDir, 'server.mjs'), log: () => {} });
    const port = 24000 + 2 * Math.floor(Math.random() * 2000);
    const env: Record<string, string> = {
      HOST: '127.0.0.1', PORT: String(port), INTERNAL_PORT: String(port + 1), DATA_DIR: dataDir,
      JWT_SECRET: 'bundle-test-secret-bundle-test-secret', LOG_LEVEL: 'warn',
    };
    if (testDatabase() === 'postgres') {
      const database = await createPostgresDatabase();
      dropDatabase = database.drop;
      env.DATABASE_URL = database.url;
      if (process.env.TEST_REDIS_URL) Object.assign(env, { REDIS_URL: process.env.TEST_REDIS_URL, REDIS_PREFIX: redisPrefixFor(database.url) });
    }
    child = spawn(process.execPath, [...SERVER_NODE_FLAGS, entry], { cwd: ROOT, env: serverEnv({ ...process.env, ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk) => { output += chunk; });
    child.stderr!.on('data', (chunk) => { output += chunk; });
    api = new ApiClient(`https://127.0.0.1:${port}`);
    internal = new ApiClient(`http://127.0.0.1:${port + 1}`);
    for (let attempt = 0; ; attempt++) {
      if (child.exitCode !== null) throw new Error(`the bundle exited with ${child.exitCode}:\n${output}`);
      try {
        if ((await api.get('/api/health/live')).status === 200) break;
      } catch {
        if (attempt > 300) throw new Error(`the bundle did not start:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await dropDatabase?.();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the API and its documentation, pictures and the web client', async () => {
    const ready = await api.get('/api/health');
    expect(ready.status, ready.text).toBe(200);
    const docs = await api.get('/api/docs/json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toContain('/api/users/me/');
    expect((await api.get('/api/docs/')).text).toContain('swagger');

    const alice = await registerUser(api);
    const me = await api.get('/api/users/me/', { token: alice.access });
    expect(me.body.username).toBe(alice.username);
    const pictureUrl = JSON.stringify(me.body).match(/\/assets\/profile_pictures\/[\w.-]+\.png/)![0];
    const picture = await api.get(pictureUrl);
    expect(picture.status).toBe(200);
    expect(picture.headers['content-type']).toBe('image/png');

    const login = await api.post('/api/auth/login/', { username: alice.username, password: alice.password });
    expect(login.status, login.text).toBe(200);

    if (existsSync(join(ROOT, 'web', 'dist', 'index.html'))) {
      const page = await api.get('/profile', { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
    }
    expect(output).not.toMatch(/error/i);
  });

  it('streams events and plays a duel over the WebSocket to its end', async () => {
    const alice = await registerUser(api);
    const bob = await registerUser(api);
    const streams = [await SseClient.open(api.baseUrl, alice.access), await SseClient.open(api.baseUrl, bob.access)];
    try {
      for (const stream of streams) await stream.next('ping');
      const match = await createMatch(internal, 'duel', [alice], [bob]);
      const sockets = [await GameSocket.open(api.baseUrl, alice.access), await GameSocket.open(api.baseUrl, bob.access)];
      for (const socket of sockets) await socket.next('canvas', 10_000);
      for (let goal = 0; goal < 3; goal++) {
        const scored = await internal.put(`/api/private/match/score/${alice.id}/`, {});
        expect(scored.status, scored.text).toBe(200);
      }
      for (const socket of sockets) expect((await socket.next('game_over', 10_000)).data).toMatchObject({ match_id: match.id });
      const history = await api.get(`/api/game/matches/${bob.id}/`, { token: bob.access });
      expect(history.body.results[0]).toMatchObject({ id: match.id, finish_reason: 'normal-end' });
    } finally {
      for (const stream of streams) stream.close();
    }
  });
});

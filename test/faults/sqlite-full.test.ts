import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, registerUser, type TestUser } from '../support/http.js';
import { startTestServer, testDatabase, type TestServer } from '../support/server.js';
import { befriend } from '../support/social.js';

/**
 * A full disk under SQLite. As root, the data folder is a small tmpfs that a
 * filler file fills up (the real ENOSPC path); elsewhere (no mount allowed)
 * the same SQLITE_FULL is produced with `PRAGMA max_page_count`. Writes
 * answer 503 {"detail"}, reads go on, nothing is corrupted, every 2xx write
 * survives a restart, and writes work again once space is freed.
 */
describe.skipIf(testDatabase() !== 'sqlite')('SQLite on a full disk', () => {
  const root = mkdtempSync(join(tmpdir(), 'pong-full-'));
  let mounted = false;
  let server: TestServer;
  let api: ApiClient;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let chatId: number;
  const accepted: string[] = [];
  const filler = join(root, 'filler');

  beforeAll(async () => {
    // FAULTS_NO_TMPFS=1 forces the max_page_count variant (what runs where mounting is not allowed).
    mounted = process.env.FAULTS_NO_TMPFS !== '1' && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', root], { stdio: 'ignore' }).status === 0;
    server = await startTestServer({ dataDir: root });
    api = new ApiClient(server.publicUrl);
    alice = await registerUser(api);
    bob = await registerUser(api);
    carol = await registerUser(api);
    await befriend(api, alice, bob);
    const chat = await api.post('/api/chat/', { username: bob.username }, { token: alice.access });
    chatId = chat.body.id;
    for (let i = 0; i < 5; i++) await post(`before ${i}`);
  });
  afterAll(async () => {
    await server?.close();
    if (mounted) spawnSync('umount', ['-l', root], { stdio: 'ignore' });
    rmSync(root, { recursive: true, force: true });
  });

  async function post(content: string) {
    const res = await api.post(`/api/chat/${chatId}/messages/`, { content }, { token: alice.access });
    if (res.status === 201) accepted.push(content);
    return res;
  }

  /** Fills the file system (or caps the database at its current size). */
  async function fillDisk(): Promise<void> {
    if (mounted) {
      const fd = openSync(filler, 'w');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
      } finally {
        closeSync(fd);
      }
      // Also fill the last partial block.
      const tail = openSync(join(root, 'filler-tail'), 'w');
      try {
        for (;;) writeSync(tail, Buffer.alloc(512, 1));
      } catch {
        // ENOSPC
      } finally {
        closeSync(tail);
      }
    } else {
      const { rows } = await sql<{ page_count: number }>`PRAGMA page_count`.execute(server.platform.db);
      await sql.raw(`PRAGMA max_page_count = ${rows[0].page_count}`).execute(server.platform.db);
    }
  }

  async function freeDisk(): Promise<void> {
    if (mounted) {
      rmSync(filler, { force: true });
      rmSync(join(root, 'filler-tail'), { force: true });
    } else {
      await sql.raw('PRAGMA max_page_count = 1073741823').execute(server.platform.db);
    }
  }

  it('answers 503 on writes while full, keeps reading, recovers when space is freed, never corrupts', async () => {
    await fillDisk();
    // Keep writing until the database has no room left (the WAL may hold a few pages still).
    const statuses: number[] = [];
    for (let i = 0; i < 400; i++) {
      const res = await post(`full ${i} ${'x'.repeat(400)}`);
      statuses.push(res.status);
      expect(res.status === 201 || res.status === 503, `${res.status} ${res.text}`).toBe(true);
      if (res.status === 503) {
        expect(res.body).toEqual({ detail: expect.stringMatching(/^Failed to connect to \w+ service\.$/) });
        if (statuses.filter((s) => s === 503).length >= 5) break;
      }
    }
    expect(statuses).toContain(503);
    // Other writes: refused the same way, never a 500.
    const register = await api.post('/api/auth/register/', { username: `full${Date.now() % 100000}`, password: 'Str0ng-Passw0rd!' });
    expect([201, 503]).toContain(register.status);
    const request = await api.post('/api/users/me/friend_requests/', { username: carol.username }, { token: bob.access });
    expect([201, 503]).toContain(request.status);
    // Reads keep working (reading messages marks them read: a write, which may be refused too).
    expect((await api.get('/api/users/me/', { token: alice.access })).status).toBe(200);
    expect((await api.get('/api/users/me/friends/', { token: alice.access })).status).toBe(200);
    expect((await api.get(`/api/users/${bob.id}/`, { token: alice.access })).status).toBe(200);
    expect([200, 503]).toContain((await api.get(`/api/chat/${chatId}/messages/?limit=1`, { token: bob.access })).status);

    await freeDisk();
    const after = await post('after the disk was freed');
    expect(after.status).toBe(201);

    // Restart on the same files: every accepted message is there once, and the file is sound.
    const dataDir = server.config.dataDir;
    await server.close();
    const file = join(dataDir, 'pong.sqlite');
    const check = new SQLite(file, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    server = await startTestServer({ dataDir });
    api = new ApiClient(server.publicUrl);
    const contents: string[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await api.get(`/api/chat/${chatId}/messages/?limit=100&offset=${offset}`, { token: alice.access });
      expect(page.status).toBe(200);
      contents.push(...page.body.results.map((m: { content: string }) => m.content));
      if (!page.body.next) break;
    }
    expect([...contents].sort()).toEqual([...accepted].sort());
  });
});

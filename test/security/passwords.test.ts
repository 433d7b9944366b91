import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDatabase } from '../support/cluster.js';
import { ApiClient, uniqueName, type ApiResponse } from '../support/http.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';

/**
 * Passwords never leave the server: a real server process logging at debug
 * level goes through registration, logins (right and wrong), a password
 * change, a guest's upgrade, malformed and failing requests and an account
 * deletion; neither its log nor any response body holds a password, a hash
 * of one, or a `password` field.
 */
describe('passwords are never logged nor returned', () => {
  let db: Awaited<ReturnType<typeof sharedDatabase>>;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await sharedDatabase();
    server = await startServerProcess({ DATA_DIR: db.dataDir, LOG_LEVEL: 'debug', ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}) });
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await server?.exited;
    await db?.drop();
  });

  it('in the debug log and in every answer', async () => {
    const api = new ApiClient(server.publicUrl);
    const answers: Array<[string, ApiResponse]> = [];
    const call = async (label: string, work: Promise<ApiResponse>) => {
      const res = await work;
      answers.push([label, res]);
      return res;
    };
    const username = uniqueName('pw');
    const first = 'Fi7st-S3cret-Passphrase';
    const second = 'Se6ond-S3cret-Passphrase';
    const wrong = 'Wr0ng-Guess-Passphrase';
    const guestPassword = 'Gu3st-Upgrade-Passphrase';
    const secrets = [first, second, wrong, guestPassword];

    const registered = await call('register', api.post('/api/auth/register/', { username, password: first }));
    expect(registered.status).toBe(201);
    let token = registered.body.access as string;
    await call('register again', api.post('/api/auth/register/', { username, password: first }));
    await call('register weak', api.post('/api/auth/register/', { username: uniqueName('pw'), password: 'short' }));
    await call('login wrong', api.post('/api/auth/login/', { username, password: wrong }));
    await call('login malformed', api.request('POST', '/api/auth/login/', { rawBody: `{"username": "${username}", "password": "${wrong}"` }));
    await call('login wrong type', api.request('POST', '/api/auth/login/', { rawBody: `["${wrong}"]` }));
    const login = await call('login', api.post('/api/auth/login/', { username, password: first }));
    expect(login.status).toBe(200);
    token = login.body.access;
    await call('me', api.get('/api/users/me/', { token }));
    await call('change wrong old', api.patch('/api/users/me/', { old_password: wrong, password: second }, { token }));
    await call('change too long', api.patch('/api/users/me/', { old_password: first, password: `${second}${'x'.repeat(60)}` }, { token }));
    const changed = await call('change', api.patch('/api/users/me/', { old_password: first, password: second }, { token }));
    expect(changed.status).toBe(200);
    const again = await call('login new', api.post('/api/auth/login/', { username, password: second }));
    expect(again.status).toBe(200);
    token = again.body.access;
    await call('export', api.get('/api/users/me/download-data/', { token }));
    await call('public', api.get(`/api/users/${again.body.id ?? 1}/`, { token }));

    const guest = await call('guest', api.post('/api/auth/guest/'));
    await call('upgrade guest', api.put('/api/auth/register/guest/', { username: uniqueName('pw'), password: guestPassword }, { token: guest.body.access }));

    await call('delete wrong', api.delete('/api/users/me/', { password: wrong }, { token }));
    const deleted = await call('delete', api.delete('/api/users/me/', { password: second }, { token }));
    expect(deleted.status).toBe(204);

    for (const [label, res] of answers) {
      for (const secret of secrets) expect(res.text.includes(secret), `${label} returns a password`).toBe(false);
      expect(res.text, label).not.toMatch(/\$argon2|\$scrypt|"password"\s*:\s*"/);
    }
    // Give the log a moment to be flushed, then read it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const log = server.stdout();
    // The capture works: every request of the run is in it.
    expect(log.match(/"msg":"incoming request"/g)?.length ?? 0).toBeGreaterThanOrEqual(answers.length);
    expect(log).toContain('/api/auth/login/');
    for (const secret of secrets) expect(log.includes(secret), 'the log holds a password').toBe(false);
    expect(log).not.toMatch(/\$argon2|\$scrypt/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseClient } from '../support/sse.js';
import { ApiClient, registerUser, type TestUser } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ClientFrom, gameSocketClose, sleep } from './abuse-support.js';

describe('logs keep no secrets and no client addresses', () => {
  let server: TestServer;
  let api: ApiClient;
  let user: TestUser;
  const lines: string[] = [];
  const records = () => lines.map((line) => JSON.parse(line));

  beforeAll(async () => {
    server = await startTestServer({ env: { LOG_LEVEL: 'info' }, logStream: { write: (line) => { lines.push(line); } } });
    api = new ApiClient(server.publicUrl);
    user = await registerUser(api);
  });
  afterAll(async () => server.close());

  it('replaces ?token= by [REDACTED] in the logged URL of the event stream and the game socket', async () => {
    lines.length = 0;
    const stream = await SseClient.open(server.publicUrl, user.access, { viaQuery: true });
    expect(stream.status).toBe(200);
    await stream.next('ping');
    stream.close();
    await gameSocketClose(server.publicUrl, user.access, '');
    await api.get(`/api/health?token=${user.access}&access=${user.access}&refresh=${user.refresh}&x=1`);
    await sleep(100);

    const all = lines.join('');
    for (const secret of [user.access, user.refresh, user.access.split('.')[2]]) expect(all).not.toContain(secret);
    const urls = records().filter((r) => r.req).map((r) => r.req.url as string);
    expect(urls).toContain('/sse/users/?token=[REDACTED]');
    expect(urls.some((url) => /^\/ws\/game\/\?token=\[REDACTED\]/.test(url))).toBe(true);
    expect(urls).toContain('/api/health?token=[REDACTED]&access=[REDACTED]&refresh=[REDACTED]&x=1');
  });

  it('never logs the Authorization header, cookies or password fields', async () => {
    lines.length = 0;
    const password = 'Very-Secret-Passw0rd!';
    await api.post('/api/auth/login/', { username: user.username, password });
    await api.post('/api/auth/register/', { username: 'ab', password });
    await api.get('/api/users/me/', { token: user.access, headers: { cookie: 'session=cookie-secret-value' } });
    await api.post('/api/auth/refresh/', { refresh: user.refresh });
    // A logged object that carries secrets (as an error's context could) is censored too.
    server.publicApp.log.info({ password, token: user.access, body: { old_password: password, refresh: user.refresh } }, 'context');
    await sleep(100);
    const all = lines.join('');
    for (const secret of [password, user.access, user.refresh, 'cookie-secret-value']) expect(all).not.toContain(secret);
    expect(records().find((r) => r.msg === 'context')).toMatchObject({ password: '[REDACTED]', token: '[REDACTED]', body: { old_password: '[REDACTED]', refresh: '[REDACTED]' } });
  });

  it('logs client addresses truncated to their network (IPv4 /24), as the privacy page says', async () => {
    lines.length = 0;
    const from = new ClientFrom(server.publicUrl, '127.0.0.77');
    try {
      expect((await from.get('/api/health/live')).status).toBe(200);
    } finally {
      await from.close();
    }
    await sleep(100);
    const incoming = records().filter((r) => r.msg === 'incoming request');
    expect(incoming.length).toBeGreaterThan(0);
    for (const record of incoming) {
      expect(record.req.remoteAddress).toBe('127.0.0.0/24');
      expect(record.req).not.toHaveProperty('remotePort');
    }
    // (The Host header, logged as `host`, is the server's own name.)
    expect(lines.join('')).not.toContain('127.0.0.77');
  });
});

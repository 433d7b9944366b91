import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, registerUser, type TestUser } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('rate limits (per user, per IP, logins)', () => {
  let server: TestServer;
  let api: ApiClient;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ env: { RATE_LIMIT_PER_MINUTE: '8', LOGIN_RATE_LIMIT_PER_MINUTE: '5' } });
    api = new ApiClient(server.publicUrl);
    // Two anonymous writes of this IP's eight.
    alice = await registerUser(api);
    bob = await registerUser(api);
  });
  afterAll(async () => server.close());

  it('counts writes per user: one user throttled does not throttle another on the same IP', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await api.patch('/api/users/me/', { accept_friend_request: i % 2 === 0 }, { token: alice.access })).status);
    expect(statuses.slice(0, 8).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);
    const throttled = await api.patch('/api/users/me/', {}, { token: alice.access });
    expect(throttled.body).toEqual({ detail: 'Request was throttled.' });
    expect((await api.patch('/api/users/me/', { accept_friend_request: true }, { token: bob.access })).status).toBe(200);
    // Reads are not limited.
    for (let i = 0; i < 15; i++) expect((await api.get('/api/users/me/', { token: alice.access })).status).toBe(200);
  });

  it('counts anonymous writes per IP, and a forged X-Forwarded-For does not buy a new quota', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await api.post('/api/auth/guest/', undefined, { headers: { 'x-forwarded-for': `10.0.${i}.1`, 'x-real-ip': `10.1.${i}.1` } })).status);
    }
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(6);
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });

  it('slows password guessing: many wrong passwords are 429, and then even the right one waits', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push((await api.post('/api/auth/login/', { username: bob.username, password: `guess-${i}` }, { headers: { 'x-forwarded-for': `192.0.2.${i}` } })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    const right = await api.post('/api/auth/login/', { username: bob.username, password: bob.password });
    expect([right.status, right.body]).toEqual([429, { detail: 'Request was throttled.' }]);
  });
});

describe('account creation is limited per address like logins, counted apart from them', () => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startTestServer({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '4' } });
    api = new ApiClient(server.publicUrl);
  });
  afterAll(async () => server.close());

  it('registrations and guests share the address\'s 4 a minute; then 429, while logging in still works', async () => {
    const alice = await registerUser(api);
    await registerUser(api);
    expect((await api.post('/api/auth/guest/')).status).toBe(201);
    expect((await api.post('/api/auth/guest/')).status).toBe(201);
    const guest = await api.post('/api/auth/guest/');
    expect([guest.status, guest.body]).toEqual([429, { detail: 'Request was throttled.' }]);
    const registration = await api.post('/api/auth/register/', { username: 'latecomer1', password: 'Sup3r-secret!' });
    expect([registration.status, registration.body]).toEqual([429, { detail: 'Request was throttled.' }]);
    // Each registration costs a password hash: a flood of them from one address cannot take the CPU.
    expect((await api.post('/api/auth/login/', { username: alice.username, password: alice.password })).status).toBe(200);
  });
});

describe('oversized bodies are refused with 413 before they are parsed', () => {
  let server: TestServer;
  let api: ApiClient;
  const LIMIT = 16 * 1024;

  beforeAll(async () => {
    server = await startTestServer({ env: { BODY_LIMIT_BYTES: String(LIMIT) } });
    api = new ApiClient(server.publicUrl);
  });
  afterAll(async () => server.close());

  it('a declared length over the limit: 413 even when the body is not JSON at all', async () => {
    // Were it parsed, this would be a 400 "JSON parse error".
    const res = await api.request('POST', '/api/auth/register/', { rawBody: '{'.repeat(LIMIT + 10) });
    expect([res.status, res.body]).toEqual([413, { detail: 'Request body is too large.' }]);
  });

  it('a chunked body without a length is cut at the limit: 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(server.publicUrl);
      const socket = connect({ host: url.hostname, port: Number(url.port), rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }, () => {
        socket.write(`POST /api/auth/login/ HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`);
        const chunk = '['.repeat(4096);
        for (let i = 0; i < 8; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      });
      let answer = '';
      socket.on('data', (data) => {
        answer += data.toString();
        const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
        if (match) {
          socket.destroy();
          resolve(Number(match[1]));
        }
      });
      socket.on('error', reject);
    });
    expect(status).toBe(413);
  });

  it('stays responsive while refusing many large bodies at once', async () => {
    const big = JSON.stringify({ content: 'x'.repeat(LIMIT * 4) });
    const answers = await Promise.all(Array.from({ length: 20 }, () => api.request('POST', '/api/auth/login/', { rawBody: big })));
    expect(new Set(answers.map((r) => r.status))).toEqual(new Set([413]));
    expect((await api.get('/api/health/live')).status).toBe(200);
  });
});

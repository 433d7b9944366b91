import { connect } from 'node:http2';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paginateArray } from '../../src/platform/http/pagination.js';
import { ApiClient, registerUser, type TestUser } from '../support/http.js';
import { nodeIdsOf, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let api: ApiClient;
let user: TestUser;

beforeAll(async () => {
  server = await startTestServer({ env: { RATE_LIMIT_PER_MINUTE: '100000', BODY_LIMIT_BYTES: String(64 * 1024) } });
  api = new ApiClient(server.publicUrl);
  user = await registerUser(api);
});
afterAll(async () => server.close());

describe('bad input is answered 4xx in the documented error shapes', () => {
  it('malformed JSON', async () => {
    const res = await api.request('POST', '/api/auth/login/', { rawBody: '{"username": "a",' });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/^JSON parse error - /);
  });

  it('a body that is not JSON, or has no Content-Type, is 415', async () => {
    const text = await api.request('POST', '/api/auth/login/', { rawBody: 'username=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(text.status).toBe(415);
    expect(text.body).toHaveProperty('detail');
    const none = await api.request('POST', '/api/auth/login/', { rawBody: '{"username":"a","password":"b"}', noContentType: true });
    expect(none.status).toBe(415);
  });

  it('a GET without Content-Type works', async () => {
    expect((await api.request('GET', '/api/users/me/', { token: user.access, noContentType: true })).status).toBe(200);
  });

  it('accepts application/json with a charset', async () => {
    const res = await api.request('POST', '/api/auth/login/', {
      rawBody: JSON.stringify({ username: user.username, password: user.password }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(res.status).toBe(200);
  });

  it('10 kB strings are refused by the length rules, not crashing', async () => {
    const huge = 'a'.repeat(10_000);
    const res = await api.post('/api/auth/register/', { username: huge, password: huge });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      username: ['Ensure this field has no more than 30 characters.'],
      password: ['Ensure this field has no more than 50 characters.'],
    });
    const login = await api.post('/api/auth/login/', { username: huge, password: huge });
    expect(login.status).toBe(401);
  });

  it('unknown fields are ignored', async () => {
    const res = await api.post('/api/auth/login/', { username: user.username, password: user.password, is_admin: true, extra: { a: [1] } });
    expect(res.status).toBe(200);
  });

  it('a body over the limit is 413 before parsing', async () => {
    const res = await api.request('POST', '/api/auth/login/', { rawBody: JSON.stringify({ username: 'x'.repeat(70 * 1024), password: 'y' }) });
    expect(res.status).toBe(413);
    expect(res.body).toHaveProperty('detail');
  });

  it('an array body on an authenticated endpoint is "Data must be a dictionary."', async () => {
    const guest = await api.post('/api/auth/guest/');
    const res = await api.put('/api/auth/register/guest/', [1, 2], { token: guest.body.access });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] });
  });

  it('unknown paths are 404 {"detail": "Not found."}, without trailing-slash redirects', async () => {
    for (const path of ['/api/nothing/', '/api/users/me', '/api/auth/login', '/api/users/me/unknown/']) {
      const res = await api.get(path, { token: user.access });
      expect(res.status, path).toBe(404);
      expect(res.body).toEqual({ detail: 'Not found.' });
    }
  });

  it('a wrong method is 405 after authentication', async () => {
    const anonymous = await api.request('DELETE', '/api/users/me/');
    expect(anonymous.status).toBe(401);
    const wrong = await api.request('PUT', '/api/auth/login/');
    expect(wrong.status).toBe(405);
    expect(wrong.body).toEqual({ detail: 'Method "PUT" not allowed.' });
    const get = await api.get('/api/auth/refresh/');
    expect(get.body).toEqual({ detail: 'Method "GET" not allowed.' });
  });
});

describe('throttling', () => {
  it('answers 429 "Request was throttled." past the per-user write limit, and not on reads', async () => {
    const limited = await startTestServer({ env: { RATE_LIMIT_PER_MINUTE: '5', LOGIN_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const client = new ApiClient(limited.publicUrl);
      const statuses: number[] = [];
      // Anonymous writes count per address (account creation has a stricter budget of its own: test/security/limits.test.ts).
      for (let i = 0; i < 7; i++) statuses.push((await client.post('/api/auth/refresh/', { refresh: 'not-a-token' })).status);
      expect(statuses.slice(0, 5).every((s) => s !== 429)).toBe(true);
      expect(statuses.slice(5)).toEqual([429, 429]);
      const throttled = await client.post('/api/auth/refresh/', { refresh: 'not-a-token' });
      expect(throttled.body).toEqual({ detail: 'Request was throttled.' });
      const logins: number[] = [];
      for (let i = 0; i < 4; i++) logins.push((await client.post('/api/auth/login/', { username: 'nobody', password: 'x' })).status);
      expect(logins).toEqual([401, 401, 401, 429]);
      expect((await client.get('/api/health/live')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('transport', () => {
  it('speaks HTTP/2 over TLS (and HTTP/1.1 for the other tests)', async () => {
    const session = connect(server.publicUrl, { rejectUnauthorized: false });
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const stream = session.request({ ':path': '/api/users/me/', authorization: `Bearer ${user.access}` });
      let status = 0;
      let body = '';
      stream.on('response', (headers) => { status = Number(headers[':status']); });
      stream.on('data', (chunk) => { body += chunk; });
      stream.on('end', () => resolve({ status, body }));
      stream.on('error', reject);
    });
    session.close();
    expect(status).toBe(200);
    expect(JSON.parse(body).id).toBe(user.id);
  });

  it('serves the OpenAPI document at /api/docs/json with every route', async () => {
    const res = await api.get('/api/docs/json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    for (const path of ['/api/auth/register/', '/api/auth/login/', '/api/auth/guest/', '/api/auth/refresh/', '/api/auth/register/guest/', '/api/users/me/', '/sse/users/']) {
      expect(res.body.paths, path).toHaveProperty([path]);
    }
    const ui = await api.get('/api/docs/');
    expect([200, 302]).toContain(ui.status);
  });

  it('reports readiness at /api/health', async () => {
    const health = (await api.get('/api/health')).body;
    expect(health).toEqual({ status: 'ok', database: 'ok', bus: 'ok', redis: server.config.redisUrl ? 'ok' : 'off', node: expect.any(String) });
    expect(nodeIdsOf(server)).toContain(health.node);
  });
});

describe('pagination links (absolute URLs)', () => {
  it('builds next/previous with every parameter sorted, and falls back on bad limit/offset', async () => {
    const app = Fastify();
    const items = Array.from({ length: 45 }, (_, i) => i);
    app.get('/api/items/', async (request) => paginateArray(request, items));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const client = new ApiClient(`http://127.0.0.1:${port}`);
    try {
      const first = await client.get('/api/items/?q=bob');
      expect(first.body.count).toBe(45);
      expect(first.body.results).toEqual(items.slice(0, 20));
      expect(first.body.previous).toBeNull();
      expect(first.body.next).toBe(`http://127.0.0.1:${port}/api/items/?limit=20&offset=20&q=bob`);
      const middle = await client.get('/api/items/?limit=10&offset=15');
      expect(middle.body.results).toEqual(items.slice(15, 25));
      expect(middle.body.previous).toBe(`http://127.0.0.1:${port}/api/items/?limit=10&offset=5`);
      expect(middle.body.next).toBe(`http://127.0.0.1:${port}/api/items/?limit=10&offset=25`);
      const second = await client.get('/api/items/?limit=10&offset=10');
      expect(second.body.previous).toBe(`http://127.0.0.1:${port}/api/items/?limit=10`);
      const last = await client.get('/api/items/?limit=10&offset=40');
      expect(last.body.next).toBeNull();
      expect(last.body.results).toEqual(items.slice(40));
      const beyond = await client.get('/api/items/?offset=100');
      expect(beyond.body).toMatchObject({ count: 45, results: [] });
      const bad = await client.get('/api/items/?limit=0&offset=-3');
      expect(bad.body.results).toEqual(items.slice(0, 20));
      const junk = await client.get('/api/items/?limit=abc&offset=1.5');
      expect(junk.body.results).toEqual(items.slice(0, 20));
    } finally {
      await app.close();
    }
  });
});

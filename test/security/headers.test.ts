import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_ROOT } from '../../src/features/web/routes.js';
import { ApiClient, insecureAgent, registerUser, type ApiResponse, type TestUser } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { SseClient } from '../support/sse.js';

let server: TestServer;
let api: ApiClient;
let internal: ApiClient;
let user: TestUser;

beforeAll(async () => {
  server = await startTestServer({ env: { BODY_LIMIT_BYTES: String(32 * 1024) } });
  api = new ApiClient(server.publicUrl);
  internal = new ApiClient(server.internalUrl!);
  user = await registerUser(api);
});
afterAll(async () => server.close());

function expectSecurityHeaders(res: { headers: ApiResponse['headers'] }, label: string, options: { hsts: boolean } = { hsts: true }) {
  expect(res.headers['x-content-type-options'], label).toBe('nosniff');
  expect(res.headers['referrer-policy'], label).toBe('no-referrer');
  expect(res.headers['x-frame-options'], label).toBe('DENY');
  expect(res.headers['x-powered-by'], label).toBeUndefined();
  if (options.hsts) expect(res.headers['strict-transport-security'], label).toMatch(/^max-age=\d{7,}/);
  else expect(res.headers['strict-transport-security'], label).toBeUndefined();
  for (const name of Object.keys(res.headers)) expect(name.startsWith('access-control-'), `${label}: ${name}`).toBe(false);
}

describe('security headers', () => {
  it('are on every kind of answer of the public app: JSON, errors, docs, files, the event stream', async () => {
    const answers: Array<[string, ApiResponse]> = [
      ['me', await api.get('/api/users/me/', { token: user.access })],
      ['401', await api.get('/api/users/me/')],
      ['404', await api.get('/api/nothing/')],
      ['405', await api.request('PUT', '/api/auth/login/')],
      ['415', await api.request('POST', '/api/auth/login/', { rawBody: 'a=1', headers: { 'content-type': 'text/plain' } })],
      ['400', await api.request('POST', '/api/auth/login/', { rawBody: '{' })],
      ['413', await api.request('POST', '/api/auth/login/', { rawBody: JSON.stringify({ username: 'x'.repeat(40 * 1024) }) })],
      ['health', await api.get('/api/health')],
      ['docs', await api.get('/api/docs/json')],
      ['config', await api.get('/gameConfig.json')],
    ];
    for (const [label, res] of answers) expectSecurityHeaders(res, label);
    const stream = await SseClient.open(server.publicUrl, user.access);
    const raw = await undiciRequest(`${server.publicUrl}/sse/users/?token=${user.access}`, { dispatcher: insecureAgent, headers: { accept: 'text/event-stream' } });
    expectSecurityHeaders({ headers: raw.headers }, 'sse');
    raw.body.destroy();
    stream.close();
  });

  it.skipIf(!existsSync(join(WEB_ROOT, "index.html")))('the web client pages carry a strict Content-Security-Policy', async () => {
    for (const path of ['/', '/profile', '/play/lobby']) {
      const page = await api.get(path, { headers: { accept: 'text/html' }, noContentType: true });
      expect(page.status).toBe(200);
      expectSecurityHeaders(page, path);
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
    }
  });

  it('the internal app has them too, without HSTS (plain HTTP on loopback)', async () => {
    expectSecurityHeaders(await internal.get('/metrics'), 'internal', { hsts: false });
  });
});

describe('CORS is closed by default', () => {
  it('gives foreign origins no Access-Control-Allow-Origin, and refuses preflights', async () => {
    const origin = 'https://evil.example';
    const simple = await api.get('/api/users/me/', { token: user.access, headers: { origin } });
    expect(simple.status).toBe(200);
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    for (const path of ['/api/auth/login/', '/api/users/me/', '/api/chat/', '/api/nothing/']) {
      const preflight = await api.request('OPTIONS', path, {
        noContentType: true,
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
      expect(preflight.status, path).toBeGreaterThanOrEqual(400);
      expect(preflight.status, path).toBeLessThan(500);
      expectSecurityHeaders(preflight, `preflight ${path}`);
    }
    // Credentials cannot ride on a cross-site form post either: a non-JSON body is 415 before anything runs.
    const form = await api.request('POST', '/api/auth/login/', { rawBody: 'username=a&password=b', headers: { origin, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
  });
});

describe('the internal API', () => {
  it('listens on 127.0.0.1 only: not on any other address of the machine', async () => {
    const address = server.internalApp!.server.address() as { address: string; port: number };
    expect(address.address).toBe('127.0.0.1');
    const others = Object.values(networkInterfaces()).flat()
      .filter((i): i is NonNullable<typeof i> => !!i && i.address !== '127.0.0.1' && !i.address.startsWith('fe80'));
    for (const other of others) {
      const reached = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: other.address, port: address.port, family: other.family === 'IPv6' ? 6 : 4 });
        socket.setTimeout(2000, () => { socket.destroy(); resolve(false); });
        socket.once('connect', () => { socket.destroy(); resolve(true); });
        socket.once('error', () => resolve(false));
      });
      expect([other.address, reached]).toEqual([other.address, false]);
    }
  });

  it('is not served on the public port', async () => {
    const publish = await api.post('/api/private/users/events/', { users_id: [user.id], event_code: 'lobby-update', data: {} });
    expect(publish.status).toBe(404);
    const verify = await api.get('/api/private/auth/verify/', { token: user.access });
    expect(verify.status).toBe(404);
  });

  it('needs no token when INTERNAL_TOKEN is unset', async () => {
    expect((await internal.get('/api/private/auth/verify/', { token: user.access })).status).toBe(200);
  });

  it('requires x-internal-token on every path, before anything else, when INTERNAL_TOKEN is set', async () => {
    const guarded = await startTestServer({ env: { INTERNAL_TOKEN: 's3cret-internal-token' } });
    try {
      const client = new ApiClient(guarded.internalUrl!);
      const owner = await registerUser(new ApiClient(guarded.publicUrl));
      const paths: Array<[string, string, unknown?]> = [
        ['GET', '/metrics'],
        ['GET', '/api/private/auth/verify/'],
        ['POST', '/api/private/users/events/', { users_id: [owner.id], event_code: 'lobby-update', data: {} }],
        ['POST', '/api/private/match/create/', {}],
        ['GET', '/api/private/nothing/'],
      ];
      for (const [method, path, body] of paths) {
        const attempts: Array<Record<string, string>> = [{}, { 'x-internal-token': 'wrong' }, { 'x-internal-token': 's3cret-internal-tokenX' }, { 'x-internal-token': '' }];
        for (const headers of attempts) {
          const res = await client.request(method, path, { body, headers, token: owner.access });
          expect([method, path, res.status, res.body]).toEqual([method, path, 403, { detail: 'Invalid internal token.' }]);
        }
      }
      const ok = await client.get('/api/private/auth/verify/', { token: owner.access, headers: { 'x-internal-token': 's3cret-internal-token' } });
      expect([ok.status, ok.body.id]).toEqual([200, owner.id]);
      expect((await client.get('/metrics', { headers: { 'x-internal-token': 's3cret-internal-token' } })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});

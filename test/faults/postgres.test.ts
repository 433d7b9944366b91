import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, registerUser, type ApiResponse, type TestUser } from '../support/http.js';
import { eventually } from '../support/cluster.js';
import { createPostgresDatabase, startTestServer, testDatabase, type TestServer } from '../support/server.js';
import { TcpProxy } from '../support/tcp-proxy.js';

/**
 * PostgreSQL stopped or unreachable, simulated by a TCP proxy in front of the
 * real server (which the other tests keep using): endpoints that need the
 * database answer 503 {"detail"} in bounded time, readiness reports it, and
 * the node serves again by itself once the proxy is restored.
 */
describe.skipIf(testDatabase() !== 'postgres')('PostgreSQL outage', () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let api: ApiClient;
  let drop: () => Promise<void>;
  let alice: TestUser;
  let bob: TestUser;

  /** Generous bound for "quickly": connect timeout 1 s, query timeout 2 s, slow CI. */
  const BOUND_MS = 8000;

  beforeAll(async () => {
    const created = await createPostgresDatabase();
    drop = created.drop;
    const real = new URL(created.url);
    proxy = await TcpProxy.start({ host: real.hostname, port: Number(real.port || 5432) });
    server = await startTestServer({
      databaseUrl: proxy.urlFor(created.url),
      env: { DB_CONNECT_TIMEOUT_MS: '1000', DB_QUERY_TIMEOUT_MS: '2000' },
    });
    api = new ApiClient(server.publicUrl);
    alice = await registerUser(api);
    bob = await registerUser(api);
  });
  afterAll(async () => {
    // Silenced connections still idle in the pool are released first: closing one waits for its peer.
    await proxy?.close();
    await server?.close();
    await drop?.();
  });

  async function timed(work: () => Promise<ApiResponse>): Promise<{ res: ApiResponse; ms: number }> {
    const started = Date.now();
    const res = await work();
    return { res, ms: Date.now() - started };
  }

  async function expectUnavailable() {
    const attempts = [
      () => api.get('/api/users/me/', { token: alice.access }),
      () => api.post('/api/users/me/friend_requests/', { username: bob.username }, { token: alice.access }),
      () => api.post('/api/auth/login/', { username: alice.username, password: alice.password }),
      () => api.get('/api/chat/', { token: alice.access }),
    ];
    for (const attempt of attempts) {
      const { res, ms } = await timed(attempt);
      expect([res.status, typeof res.body?.detail]).toEqual([503, 'string']);
      expect(res.body.detail).toMatch(/^Failed to connect to \w[\w-]* service\.$/);
      expect(ms).toBeLessThan(BOUND_MS);
    }
    const health = await timed(() => api.get('/api/health'));
    expect(health.res.status).toBe(503);
    expect(health.res.body).toMatchObject({ status: 'degraded', database: 'down' });
    expect(health.ms).toBeLessThan(BOUND_MS);
    expect((await api.get('/api/health/live')).status).toBe(200);
  }

  async function expectRecovered() {
    await eventually(async () => (await api.get('/api/health')).status === 200, 20_000, 'readiness back');
    await eventually(async () => (await api.get('/api/users/me/', { token: alice.access })).status === 200, 20_000, 'GET me back');
    const res = await api.get('/api/users/me/', { token: bob.access });
    expect(res.status).toBe(200);
  }

  it('stopped (connections reset, new ones refused): 503 quickly, health degraded, back by itself', async () => {
    expect((await api.get('/api/users/me/', { token: alice.access })).status).toBe(200);
    await proxy.stop();
    await expectUnavailable();
    await proxy.restore();
    await expectRecovered();
    // A write after recovery is durable and visible.
    const sent = await api.post('/api/users/me/friend_requests/', { username: bob.username }, { token: alice.access });
    expect(sent.status).toBe(201);
    expect((await api.get(`/api/users/me/friend_requests/${sent.body.id}/`, { token: bob.access })).status).toBe(200);
  });

  it('unreachable (packets dropped, connections hang): 503 within the timeouts, no hang, back by itself', async () => {
    expect((await api.get('/api/users/me/', { token: alice.access })).status).toBe(200);
    await proxy.blackhole();
    await expectUnavailable();
    // Many requests at once while it is down: all answered, none hangs, none is a 500.
    const burst = await Promise.all(Array.from({ length: 30 }, () => api.get('/api/users/me/', { token: bob.access })));
    expect(new Set(burst.map((r) => r.status))).toEqual(new Set([503]));
    await proxy.restore();
    await expectRecovered();
    const chat = await api.post('/api/chat/', { username: bob.username }, { token: alice.access });
    expect(chat.status).toBeLessThan(500);
  });
});

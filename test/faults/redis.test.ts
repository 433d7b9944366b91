import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, registerUser, type ApiResponse, type TestUser } from '../support/http.js';
import { eventually } from '../support/cluster.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream, befriend } from '../support/social.js';
import type { SseClient } from '../support/sse.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const redisUrl = process.env.TEST_REDIS_URL;

/**
 * Redis stopped or unreachable behind a TCP proxy (the real Redis keeps
 * serving the other tests): publishing answers 503 "Failed to connect to
 * event-queue service." in bounded time, readiness reports it, writes that
 * do not need the bus still succeed, and events flow again by themselves
 * once the proxy is restored (no restart).
 */
describe.skipIf(!redisUrl)('Redis outage', () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let api: ApiClient;
  let internal: ApiClient;
  let alice: TestUser;
  let bob: TestUser;
  let bobStream: SseClient;
  let chatId: number;
  const BOUND_MS = 8000;

  beforeAll(async () => {
    const real = new URL(redisUrl!);
    proxy = await TcpProxy.start({ host: real.hostname, port: Number(real.port || 6379) });
    server = await startTestServer({ redisUrl: proxy.urlFor(redisUrl!) });
    api = new ApiClient(server.publicUrl);
    internal = new ApiClient(server.internalUrl!);
    alice = await registerUser(api);
    bob = await registerUser(api);
    await befriend(api, alice, bob);
    bobStream = await openStream(server, api, bob);
    const chat = await api.post('/api/chat/', { username: bob.username }, { token: alice.access });
    expect(chat.status).toBe(201);
    chatId = chat.body.id;
  });
  afterAll(async () => {
    bobStream?.close();
    await proxy?.close();
    await server?.close();
  });

  const publish = (n: number) => internal.post('/api/private/users/events/', { users_id: [bob.id], event_code: 'lobby-update', data: { n } });

  async function timed(work: () => Promise<ApiResponse>): Promise<{ res: ApiResponse; ms: number }> {
    const started = Date.now();
    const res = await work();
    return { res, ms: Date.now() - started };
  }

  async function expectDown() {
    const published = await timed(() => publish(-1));
    expect([published.res.status, published.res.body]).toEqual([503, { detail: 'Failed to connect to event-queue service.' }]);
    expect(published.ms).toBeLessThan(BOUND_MS);
    const health = await timed(() => api.get('/api/health'));
    expect(health.res.status).toBe(503);
    expect(health.res.body).toMatchObject({ status: 'degraded', redis: 'down' });
    expect(health.ms).toBeLessThan(BOUND_MS);
    // What needs only the database keeps working: reads, and writes whose notification is best effort.
    expect((await api.get('/api/users/me/', { token: alice.access })).status).toBe(200);
    const message = await timed(() => api.post(`/api/chat/${chatId}/messages/`, { content: 'while redis is down' }, { token: alice.access }));
    expect(message.res.status).toBe(201);
    expect(message.ms).toBeLessThan(BOUND_MS);
  }

  async function expectBack(n: number) {
    await eventually(async () => (await api.get('/api/health')).status === 200, 20_000, 'readiness back');
    await eventually(async () => (await publish(n)).status === 201, 20_000, 'publishing back');
    // The stream that stayed open through the outage receives the events again (re-subscribed by itself).
    await bobStream.waitFor((events) => events.some((e) => e.event === 'lobby-update' && e.envelope.data?.n === n), 10_000);
  }

  it('stopped: 503 event-queue quickly, health degraded, events flow again after the restore', async () => {
    expect((await publish(0)).status).toBe(201);
    await bobStream.waitFor((events) => events.some((e) => e.event === 'lobby-update' && e.envelope.data?.n === 0));
    await proxy.stop();
    await expectDown();
    await proxy.restore();
    await expectBack(1);
  });

  it('unreachable (black hole): the same, with no request hanging', async () => {
    await proxy.blackhole();
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => timed(() => publish(100 + i))));
    for (const { res, ms } of burst) {
      expect(res.status).toBe(503);
      expect(ms).toBeLessThan(BOUND_MS);
    }
    await expectDown();
    await proxy.restore();
    await expectBack(2);
  });
});

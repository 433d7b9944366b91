import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, registerUser } from '../support/http.js';
import { createMatch, GameSocket } from '../support/game.js';
import { SseClient } from '../support/sse.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { MetricsRegistry } from '../../src/platform/metrics.js';

const redisUrl = process.env.TEST_REDIS_URL;

/** The value of one sample line of the exposition. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('the metrics registry', () => {
  it('renders counters, gauges (also collected asynchronously) and histograms in the Prometheus text format', async () => {
    const registry = new MetricsRegistry({ defaultMetrics: false });
    const c = registry.counter('jobs_total', 'Jobs.', { labelNames: ['kind'] });
    c.inc({ kind: 'a"b' });
    c.inc({ kind: 'a"b' }, 2);
    let seen = 4;
    registry.counter('seen_total', 'Seen.', () => seen);
    registry.gauge('queue_entries', 'Queue entries.', {
      labelNames: ['mode'], collect: async () => [{ labels: { mode: 'duel' }, value: 3 }, { labels: { mode: 'ranked' }, value: 1 }],
    });
    registry.gauge('failing', 'A collector that fails.', async () => { throw new Error('database away'); });
    const h = registry.histogram('wait_seconds', 'Waits.', { buckets: [0.1, 1] });
    h.observe(0.05);
    h.observe(0.5);
    h.observe(5);
    expect(await registry.render()).toBe([
      '# HELP jobs_total Jobs.', '# TYPE jobs_total counter', 'jobs_total{kind="a\\"b"} 3', '',
      '# HELP seen_total Seen.', '# TYPE seen_total counter', 'seen_total 4', '',
      '# HELP queue_entries Queue entries.', '# TYPE queue_entries gauge', 'queue_entries{mode="duel"} 3', 'queue_entries{mode="ranked"} 1', '',
      // A failing collector drops its samples, not the scrape.
      '# HELP failing A collector that fails.', '# TYPE failing gauge', '',
      '# HELP wait_seconds Waits.', '# TYPE wait_seconds histogram',
      'wait_seconds_bucket{le="0.1"} 1', 'wait_seconds_bucket{le="1"} 2', 'wait_seconds_bucket{le="+Inf"} 3', 'wait_seconds_sum 5.55', 'wait_seconds_count 3',
      '',
    ].join('\n'));
    seen = 9;
    expect(await registry.render()).toContain('\nseen_total 9\n');
    expect(() => registry.counter('jobs_total', 'again')).toThrow();
    expect(() => registry.gauge('bad-name', 'no')).toThrow();
    expect(() => c.inc({ undeclared: 'x' })).toThrow();
  });
});

describe('/metrics and /api/health of a node', () => {
  let server: TestServer;
  let api: ApiClient;
  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.publicUrl);
  });
  afterAll(async () => server?.close());

  it('/metrics counts requests by route and status, times them, and shows streams, rooms and features\' gauges', async () => {
    const user = await registerUser(api);
    const other = await registerUser(api);
    await api.get('/api/users/me/', { token: user.access });
    await api.get('/api/users/me/');
    const stream = await SseClient.open(server.publicUrl, user.access);
    await stream.next('ping');
    await createMatch(new ApiClient(server.internalUrl!), 'duel', [user], [other]);
    const socket = await GameSocket.open(server.publicUrl, user.access);
    await new Promise((r) => setTimeout(r, 100));
    server.platform.metrics.gauge('play_queue_entries', 'Players waiting in a queue.', {
      labelNames: ['game_mode'], collect: () => [{ labels: { game_mode: 'duel' }, value: 2 }],
    });

    // The metrics are on the internal port only: the public one has no such path (unless METRICS_TOKEN is set).
    expect([(await api.get('/metrics')).status, (await api.get('/metrics')).body]).toEqual([404, { detail: 'Not found.' }]);
    const res = await new ApiClient(server.internalUrl!).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain; version=0.0.4');
    const text = res.text;
    expect(sample(text, 'http_requests_total{app="public",method="GET",route="/api/users/me/",status="200"}')).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'http_requests_total{app="public",method="GET",route="/api/users/me/",status="401"}')).toBe(1);
    expect(sample(text, 'http_requests_total{app="public",method="POST",route="/api/auth/register/",status="201"}')).toBe(2);
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(sample(text, 'http_request_duration_seconds_count{app="public",method="GET",route="/api/users/me/"}')).toBeGreaterThanOrEqual(4);
    // (prom-client writes `le` first; the order of labels carries no meaning.)
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="\+Inf",app="public",method="GET",route="\/api\/users\/me\/"\} \d+/);
    expect(sample(text, 'sse_open_streams')).toBe(1);
    expect(sample(text, 'sse_connected_users')).toBe(1);
    expect(sample(text, 'game_live_rooms')).toBe(1);
    expect(text).toContain('# TYPE game_tick_lateness_seconds histogram');
    expect(sample(text, 'node_draining')).toBe(0);
    expect(sample(text, `node_info{node_id="${server.config.nodeId}"}`)).toBe(1);
    expect(sample(text, 'play_queue_entries{game_mode="duel"}')).toBe(2);
    expect(text.endsWith('\n')).toBe(true);

    const internal = await new ApiClient(server.internalUrl!).get('/metrics');
    expect(internal.status).toBe(200);
    expect(internal.text).toContain('http_requests_total{app="internal",method="POST",route="/api/private/match/create/",status="201"} 1');
    stream.close();
    socket.close();
  });

  it('/api/health is readiness (database, bus, Redis, draining) and /api/health/live liveness', async () => {
    expect((await api.get('/api/health')).body).toEqual({ status: 'ok', database: 'ok', bus: 'ok', redis: 'off', node: server.config.nodeId });
    server.platform.status.draining = true;
    try {
      const draining = await api.get('/api/health');
      expect(draining.status).toBe(503);
      expect(draining.body.status).toBe('draining');
      expect((await api.get('/api/health/live')).status).toBe(200);
      expect(sample((await new ApiClient(server.internalUrl!).get('/metrics')).text, 'node_draining')).toBe(1);
    } finally {
      server.platform.status.draining = false;
    }
  });
});

describe.skipIf(!redisUrl)('/api/health with Redis', () => {
  it('reports Redis, and 503 when it is unreachable', async () => {
    const server = await startTestServer({ redisUrl });
    try {
      const api = new ApiClient(server.publicUrl);
      expect((await api.get('/api/health')).body).toEqual({ status: 'ok', database: 'ok', bus: 'ok', redis: 'ok', node: server.config.nodeId });
      server.platform.redis!.disconnect();
      const down = await api.get('/api/health');
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: 'degraded', redis: 'down' });
    } finally {
      await server.close();
    }
  });
});

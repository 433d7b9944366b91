import { register as promClientGlobalRegistry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, registerUser } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Every metric `/metrics` had before it moved to prom-client, with its type
 * and help text: dashboards and alerts read these names. Only the help of
 * `process_resident_memory_bytes` changed ("Resident memory size." before):
 * prom-client's default metrics provide it now, with the same name, type and value.
 */
const METRICS_BEFORE_PROM_CLIENT: Record<string, [type: string, help: string]> = {
  http_requests_total: ['counter', 'HTTP requests answered, by app, method, route pattern and status.'],
  http_request_duration_seconds: ['histogram', 'Time to answer an HTTP request (streams and sockets excluded), by app, method and route pattern.'],
  http_open_connections: ['gauge', 'Connections open on the public port.'],
  http_connections_refused_total: ['counter', 'Connections of the public port closed by a limit: per_address, total (descriptor budget), deadline (no request head in time).'],
  sse_open_streams: ['gauge', 'Open SSE streams held by this node.'],
  sse_connected_users: ['gauge', 'Users with at least one SSE stream on this node.'],
  sse_delivered_events_total: ['counter', 'Events written live to streams of this node.'],
  sse_resumed_streams_total: ['counter', 'Streams opened with Last-Event-ID on this node.'],
  sse_replayed_events_total: ['counter', 'Missed events replayed to resumed streams.'],
  sse_log_bytes: ['gauge', 'Bytes held by the in-memory SSE resume log of this node (0 with Redis).'],
  sse_window_bytes: ['gauge', 'Bytes held by the window of recent deliveries of this node.'],
  sse_stream_buffered_bytes: ['gauge', 'Bytes written to SSE streams of this node and not yet taken by their clients.'],
  sse_streams_closed_for_lag_total: ['counter', 'SSE streams closed because their client did not read fast enough.'],
  game_live_rooms: ['gauge', 'Live game rooms refereed by this node.'],
  game_tick_lateness_seconds: ['histogram', 'How late each game tick ran after its planned instant.'],
  cluster_leader: ['gauge', '1 while this node is the cluster leader (matchmaker, deadlines).'],
  play_matchmaker_passes_total: ['counter', 'Matchmaker passes run by this node (the leader only).'],
  node_info: ['gauge', 'Constant 1, labelled with this node\'s id.'],
  node_draining: ['gauge', '1 while the node shuts down (readiness answers 503).'],
  nodejs_eventloop_delay_p99_seconds: ['gauge', 'Event-loop delay, 99th percentile since the last scrape.'],
  process_resident_memory_bytes: ['gauge', 'Resident memory size in bytes.'],
  nodejs_heap_used_bytes: ['gauge', 'V8 heap in use.'],
};

/** A few of prom-client's default process metrics (collectDefaultMetrics). */
const DEFAULT_PROCESS_METRICS: Record<string, string> = {
  process_cpu_seconds_total: 'counter',
  process_start_time_seconds: 'gauge',
  process_open_fds: 'gauge',
  nodejs_eventloop_lag_seconds: 'gauge',
  nodejs_eventloop_lag_p99_seconds: 'gauge',
  nodejs_heap_size_used_bytes: 'gauge',
  nodejs_heap_size_total_bytes: 'gauge',
  nodejs_gc_duration_seconds: 'histogram',
  nodejs_version_info: 'gauge',
};

/** name -> [type, help] of every metric family of an exposition. */
function families(text: string): Map<string, [string, string]> {
  const help = new Map<string, string>();
  const found = new Map<string, [string, string]>();
  for (const line of text.split('\n')) {
    const h = /^# HELP (\S+) (.*)$/.exec(line);
    if (h) help.set(h[1], h[2]);
    const t = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (t) found.set(t[1], [t[2], help.get(t[1]) ?? '']);
  }
  return found;
}

/** The label names of the samples of one series (`name` or `name_bucket` ...), sorted. */
function labelNamesOf(text: string, series: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`${series}{`));
  if (!line) return [];
  return [...line.slice(series.length).matchAll(/([a-zA-Z_]\w*)="/g)].map((m) => m[1]).sort();
}

describe('/metrics on prom-client', () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    // Two nodes in one process, as in many tests: each has its own registry.
    [first, second] = await Promise.all([startTestServer(), startTestServer()]);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
  });

  it('still exposes every metric of before, with its type, help and labels, and the default process metrics', async () => {
    const api = new ApiClient(first.publicUrl);
    await registerUser(api);
    const res = await new ApiClient(first.internalUrl!).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const found = families(res.text);

    const missing = Object.keys(METRICS_BEFORE_PROM_CLIENT).filter((name) => !found.has(name));
    expect(missing).toEqual([]);
    for (const [name, [type, help]] of Object.entries(METRICS_BEFORE_PROM_CLIENT)) expect([name, ...found.get(name)!]).toEqual([name, type, help]);
    for (const [name, type] of Object.entries(DEFAULT_PROCESS_METRICS)) expect([name, found.get(name)?.[0]]).toEqual([name, type]);

    expect(labelNamesOf(res.text, 'http_requests_total')).toEqual(['app', 'method', 'route', 'status']);
    expect(labelNamesOf(res.text, 'http_request_duration_seconds_bucket')).toEqual(['app', 'le', 'method', 'route']);
    expect(labelNamesOf(res.text, 'http_request_duration_seconds_count')).toEqual(['app', 'method', 'route']);
    expect(labelNamesOf(res.text, 'node_info')).toEqual(['node_id']);
    expect(res.text).toContain(`node_info{node_id="${first.config.nodeId}"} 1\n`);
    expect(res.text).toMatch(/^game_tick_lateness_seconds_bucket\{le="0\.001"\} \d+$/m);
    expect(res.text).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(res.text).toMatch(/^nodejs_eventloop_delay_p99_seconds [\d.e+-]+$/m);
  });

  it('keeps one registry per node, never prom-client\'s global one', async () => {
    await registerUser(new ApiClient(second.publicUrl));
    await registerUser(new ApiClient(second.publicUrl));
    const count = async (server: TestServer) => {
      const text = (await new ApiClient(server.internalUrl!).get('/metrics')).text;
      const line = text.split('\n').find((l) => l.startsWith('http_requests_total{app="public",method="POST",route="/api/auth/register/",status="201"} '));
      return Number(line?.split(' ')[1]);
    };
    expect(await count(first)).toBe(1);
    expect(await count(second)).toBe(2);
    expect(await second.platform.metrics.render()).toContain(`node_info{node_id="${second.config.nodeId}"} 1\n`);
    expect(await second.platform.metrics.render()).not.toContain(first.config.nodeId);
    expect(promClientGlobalRegistry.getMetricsAsArray()).toEqual([]);
  });
});

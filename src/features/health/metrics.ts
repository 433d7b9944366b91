import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { MetricsRegistry } from '../../platform/metrics.js';
import type { StreamHub } from '../events/stream-hub.js';
import type { RoomRegistry } from '../../game/rooms/registry.js';

const TICK_BUCKETS = [0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256];

/** `game_tick_lateness_seconds`: how late each simulation tick ran against its planned instant. */
export function tickLatenessObserver(metrics: MetricsRegistry): (latenessMs: number) => void {
  const histogram = metrics.histogram('game_tick_lateness_seconds', 'How late each game tick ran after its planned instant.', { buckets: TICK_BUCKETS });
  return (latenessMs) => histogram.observe(Math.max(0, latenessMs) / 1000);
}

/**
 * The node's own gauges: open streams, live rooms, SSE resume counters,
 * draining, event-loop delay (prom-client's default metrics add the rest of
 * the process: `process_resident_memory_bytes`, CPU, heap, GC). Features add
 * theirs (queue sizes, lobbies) with `platform.metrics.gauge(name, help, collect)`.
 */
export function registerNodeMetrics(metrics: MetricsRegistry, node: {
  hub: StreamHub;
  rooms: RoomRegistry;
  status: { draining: boolean };
  nodeId: string;
}): void {
  metrics.gauge('node_info', 'Constant 1, labelled with this node\'s id.', { labelNames: ['node_id'] }).set({ node_id: node.nodeId }, 1);
  metrics.gauge('node_draining', '1 while the node shuts down (readiness answers 503).', () => (node.status.draining ? 1 : 0));
  metrics.gauge('sse_open_streams', 'Open SSE streams held by this node.', () => node.hub.localStreamCount());
  metrics.gauge('sse_connected_users', 'Users with at least one SSE stream on this node.', () => node.hub.localUserIds().length);
  metrics.counter('sse_delivered_events_total', 'Events written live to streams of this node.', () => node.hub.stats.delivered);
  metrics.counter('sse_resumed_streams_total', 'Streams opened with Last-Event-ID on this node.', () => node.hub.stats.resumed);
  metrics.counter('sse_replayed_events_total', 'Missed events replayed to resumed streams.', () => node.hub.stats.replayed);
  metrics.gauge('sse_log_bytes', 'Bytes held by the in-memory SSE resume log of this node (0 with Redis).', () => node.hub.logBytes);
  metrics.gauge('sse_window_bytes', 'Bytes held by the window of recent deliveries of this node.', () => node.hub.windowBytes);
  metrics.gauge('sse_stream_buffered_bytes', 'Bytes written to SSE streams of this node and not yet taken by their clients.', () => node.hub.writeBudget.bufferedBytes);
  metrics.counter('sse_streams_closed_for_lag_total', 'SSE streams closed because their client did not read fast enough.', () => node.hub.writeBudget.closedForLag);
  metrics.gauge('game_live_rooms', 'Live game rooms refereed by this node.', () => node.rooms.size);
  const loop = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();
  metrics.gauge('nodejs_eventloop_delay_p99_seconds', 'Event-loop delay, 99th percentile since the last scrape.', () => {
    const p99 = loop.percentile(99) / 1e9;
    loop.reset();
    return p99;
  });
  metrics.gauge('nodejs_heap_used_bytes', 'V8 heap in use.', () => process.memoryUsage().heapUsed);
}

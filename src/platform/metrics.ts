import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The Prometheus registry of one node, on prom-client (text exposition
 * format 0.0.4): prom-client's default process metrics (CPU, memory, heap,
 * event-loop lag, GC, handles) and what the features add through
 * `platform.metrics` (e.g. `metrics.gauge('play_queue_entries', '...', () => n)`);
 * `GET /metrics` renders them all. Every node has its own registry, never
 * prom-client's global one: the tests run several nodes in one process.
 * The methods return prom-client's own metrics (`inc`, `set`, `observe`).
 */
export type { Counter, Gauge, Histogram };
export type Labels = Record<string, string | number>;

export type GaugeSample = { labels?: Labels; value: number };
/** Read at scrape time; may be async (a count from the database), and failing only drops the samples. */
export type GaugeCollector = () => number | GaugeSample[] | Promise<number | GaugeSample[]>;

/** Label names are declared up front: a sample with another label is refused. */
interface Labelled {
  labelNames?: readonly string[];
}

export class MetricsRegistry {
  readonly registry = new Registry();

  /** `defaultMetrics: false`: only what is added here (unit tests). */
  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** `text/plain; version=0.0.4; charset=utf-8` */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** With `collect`, the total is read at every scrape from a count its owner keeps. */
  counter(name: string, help: string, options: (() => number) | (Labelled & { collect?: () => number }) = {}): Counter {
    const { labelNames = [], collect: read } = typeof options === 'function' ? { collect: options } : options;
    return new Counter({
      name, help, labelNames, registers: [this.registry],
      ...(read ? { collect(this: Counter) { this.reset(); this.inc(read()); } } : {}),
    });
  }

  /** With `collect`, the samples are read at every scrape (sizes of queues, rooms, streams) and replace the previous ones. */
  gauge(name: string, help: string, options: GaugeCollector | (Labelled & { collect?: GaugeCollector }) = {}): Gauge {
    const { labelNames = [], collect: read } = typeof options === 'function' ? { collect: options } : options;
    return new Gauge({
      name, help, labelNames, registers: [this.registry],
      ...(read
        ? {
          async collect(this: Gauge) {
            this.reset();
            try {
              const collected = await read();
              for (const { labels, value } of typeof collected === 'number' ? [{ value: collected }] : collected) this.set(labels ?? {}, value);
            } catch {
              // A failing collector (the database away, a label not declared) drops its samples, not the whole scrape.
              this.reset();
              this.remove({});
            }
          },
        }
        : {}),
    });
  }

  histogram(name: string, help: string, options: Labelled & { buckets: number[] }): Histogram {
    return new Histogram({ name, help, buckets: options.buckets, labelNames: options.labelNames ?? [], registers: [this.registry] });
  }

  /** The exposition of every metric of this node. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}

export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Routes whose "duration" is the life of a stream or a socket, not a latency. */
const LONG_LIVED = new Set(['/sse/users/', '/ws/game/']);

const httpMetrics = new WeakMap<MetricsRegistry, { requests: Counter; latency: Histogram }>();

/** Counts every answered request by route pattern and status, and times the short-lived ones. */
export function installHttpMetrics(app: FastifyInstance, registry: MetricsRegistry, appName: string): void {
  let metrics = httpMetrics.get(registry);
  if (!metrics) {
    metrics = {
      requests: registry.counter('http_requests_total', 'HTTP requests answered, by app, method, route pattern and status.', {
        labelNames: ['app', 'method', 'route', 'status'],
      }),
      latency: registry.histogram('http_request_duration_seconds', 'Time to answer an HTTP request (streams and sockets excluded), by app, method and route pattern.', {
        buckets: LATENCY_BUCKETS, labelNames: ['app', 'method', 'route'],
      }),
    };
    httpMetrics.set(registry, metrics);
  }
  const { requests, latency } = metrics;
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ app: appName, method: request.method, route, status: reply.statusCode });
    if (!LONG_LIVED.has(route)) latency.observe({ app: appName, method: request.method, route }, reply.elapsedTime / 1000);
  });
}

import type { FastifyInstance } from 'fastify';

/**
 * A small Prometheus registry (text exposition format 0.0.4): counters,
 * gauges and histograms with labels. Any feature adds its own through
 * `platform.metrics` (e.g. `metrics.gauge('play_queue_entries', '...', () => n)`);
 * `GET /metrics` renders them all.
 */
export type Labels = Record<string, string | number>;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels | undefined, extra?: [string, string]): string {
  const parts = Object.entries(labels ?? {}).map(([k, v]) => `${k}="${escapeLabel(String(v))}"`);
  if (extra) parts.push(`${extra[0]}="${escapeLabel(extra[1])}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function keyOf(labels: Labels | undefined): string {
  if (!labels) return '';
  return Object.keys(labels).sort().map((k) => `${k}\u0000${labels[k]}`).join('\u0001');
}

function num(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

interface Metric {
  readonly name: string;
  render(): string | Promise<string>;
}

export class Counter implements Metric {
  private values = new Map<string, { labels?: Labels; value: number }>();
  constructor(readonly name: string, private readonly help: string, private readonly collect?: () => number) {}

  inc(labels?: Labels, by = 1): void {
    const key = keyOf(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }

  get(labels?: Labels): number {
    return this.values.get(keyOf(labels))?.value ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.collect) lines.push(`${this.name} ${num(this.collect())}`);
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${labelText(labels)} ${num(value)}`);
    return lines.join('\n');
  }
}

export type GaugeSample = { labels?: Labels; value: number };
/** Read at scrape time; may be async (a count from the database), and failing only drops the samples. */
export type GaugeCollector = () => number | GaugeSample[] | Promise<number | GaugeSample[]>;

/** A gauge either set by its owner or read from `collect` at scrape time. */
export class Gauge implements Metric {
  private values = new Map<string, GaugeSample>();
  constructor(readonly name: string, private readonly help: string, private readonly collect?: GaugeCollector) {}

  set(value: number, labels?: Labels): void {
    this.values.set(keyOf(labels), { labels, value });
  }

  async render(): Promise<string> {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    let samples: GaugeSample[] = [...this.values.values()];
    if (this.collect) {
      try {
        const collected = await this.collect();
        samples = typeof collected === 'number' ? [{ value: collected }] : collected;
      } catch {
        samples = [];
      }
    }
    for (const { labels, value } of samples) lines.push(`${this.name}${labelText(labels)} ${num(value)}`);
    return lines.join('\n');
  }
}

export class Histogram implements Metric {
  private series = new Map<string, { labels?: Labels; counts: number[]; sum: number; count: number }>();
  constructor(readonly name: string, private readonly help: string, readonly buckets: number[]) {
    this.buckets = [...buckets].sort((a, b) => a - b);
  }

  observe(value: number, labels?: Labels): void {
    const key = keyOf(labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) s.counts[i] += 1;
    s.sum += value;
    s.count += 1;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.series.values()) {
      this.buckets.forEach((bound, i) => lines.push(`${this.name}_bucket${labelText(s.labels, ['le', num(bound)])} ${s.counts[i]}`));
      lines.push(`${this.name}_bucket${labelText(s.labels, ['le', '+Inf'])} ${s.count}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${num(s.sum)}`);
      lines.push(`${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return lines.join('\n');
  }
}

export class MetricsRegistry {
  private metrics = new Map<string, Metric>();

  private add<M extends Metric>(metric: M): M {
    if (!NAME.test(metric.name)) throw new Error(`invalid metric name ${metric.name}`);
    if (this.metrics.has(metric.name)) throw new Error(`metric ${metric.name} already registered`);
    this.metrics.set(metric.name, metric);
    return metric;
  }

  /** With `collect`, the total is read at every scrape from a count its owner keeps. */
  counter(name: string, help: string, collect?: () => number): Counter {
    return this.add(new Counter(name, help, collect));
  }

  /** With `collect`, the value is read at every scrape (sizes of queues, rooms, streams). */
  gauge(name: string, help: string, collect?: GaugeCollector): Gauge {
    return this.add(new Gauge(name, help, collect));
  }

  histogram(name: string, help: string, buckets: number[]): Histogram {
    return this.add(new Histogram(name, help, buckets));
  }

  async render(): Promise<string> {
    const parts = await Promise.all([...this.metrics.values()].map((m) => m.render()));
    return `${parts.join('\n')}\n`;
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
      requests: registry.counter('http_requests_total', 'HTTP requests answered, by app, method, route pattern and status.'),
      latency: registry.histogram(
        'http_request_duration_seconds', 'Time to answer an HTTP request (streams and sockets excluded), by app, method and route pattern.', LATENCY_BUCKETS,
      ),
    };
    httpMetrics.set(registry, metrics);
  }
  const { requests, latency } = metrics;
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ app: appName, method: request.method, route, status: reply.statusCode });
    if (!LONG_LIVED.has(route)) latency.observe(reply.elapsedTime / 1000, { app: appName, method: request.method, route });
  });
}

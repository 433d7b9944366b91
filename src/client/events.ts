import { createParser } from 'eventsource-parser';
import type { EventCode, Target } from '../features/events/catalogue.js';
import { networkReason, type ApiClient } from './http.js';

export { EVENT_CODES, type EventCode, type Target } from '../features/events/catalogue.js';

/**
 * The live stream (`GET /sse/users/`, docs/events.md) with the bearer header, read with
 * eventsource-parser. It counts as up once the server's first `ping` (or any event) arrives. When it
 * drops it says why and reconnects by itself with a growing delay, resuming with `Last-Event-ID` so that
 * an event sent meanwhile (a `game-start`) is not lost; `retryNow()` skips the wait. A refused session
 * (401 after one refresh) is not retried.
 */

/** One event as the server sends it (docs/events.md, Wire format). */
export interface Envelope<D = any> {
  service: string;
  event_code: EventCode;
  type: 'event' | 'notification';
  message: string | null;
  target: Target[] | null;
  data: D;
  kwargs?: Record<string, unknown> | null;
}

export interface LiveEvent {
  /** The SSE event name (the event code). */
  event: string;
  id?: string;
  envelope: Envelope;
}

export type StreamStatus = 'off' | 'connecting' | 'up' | 'down';

export interface StreamState {
  status: StreamStatus;
  /** Why the stream is down, in a few words (`connection refused`). */
  error: string | null;
  /** When the next automatic attempt starts (epoch ms) while down; null while down means none follows. */
  retryAt: number | null;
  /** Connections made so far (reconnections included). */
  connections: number;
  /** While down because the server refused the stream: its own words (the answer's `detail`), to show people. */
  serverSays?: string | null;
}

export interface LiveStreamOptions {
  api: ApiClient;
  onEvent(event: LiveEvent): void;
  onState?(state: StreamState): void;
  /** Delays between attempts; the last one repeats. */
  retryDelaysMs?: number[];
  /** No byte for this long (pings come every few seconds) means the connection is dead; 0 disables. */
  idleTimeoutMs?: number;
  /** The `fetch` that reaches the server (Node's accepts a self-signed certificate when asked: see node.ts). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

type Timer = ReturnType<typeof setTimeout>;
const unref = (timer: Timer) => (timer as { unref?: () => void }).unref?.();

class StreamRefused extends Error {
  constructor(readonly status: number, readonly detail: string, readonly code: string | null) {
    super(detail);
  }
}

export class LiveStream {
  private state: StreamState = { status: 'off', error: null, retryAt: null, connections: 0, serverSays: null };
  private abort: AbortController | null = null;
  private retryTimer: Timer | null = null;
  private idleTimer: Timer | null = null;
  private idleFired = false;
  private failures = 0;
  private lastEventId: string | null = null;
  private stopped = true;
  private generation = 0;
  private upWaiters: Array<() => void> = [];

  constructor(private readonly options: LiveStreamOptions) {}

  get current(): StreamState {
    return this.state;
  }

  /** The id of the last event received: a new stream resumes after it. */
  get lastId(): string | null {
    return this.lastEventId;
  }

  /** `resumeAfter`: the last event id a previous stream of this session received (its later events are replayed). */
  start(resumeAfter: string | null = null): void {
    this.stopped = false;
    this.failures = 0;
    this.lastEventId = resumeAfter;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.generation += 1;
    this.clearTimers();
    this.abort?.abort();
    this.abort = null;
    this.set({ status: 'off', error: null, retryAt: null, serverSays: null });
    this.releaseWaiters();
  }

  /** Reconnects at once, whatever the pending delay. */
  retryNow(): void {
    if (this.stopped || this.state.status === 'up' || this.state.status === 'connecting') return;
    this.clearTimers();
    void this.connect();
  }

  /** Resolves once the stream is up (or has stopped, or was refused). */
  whenUp(): Promise<void> {
    if (this.state.status === 'up' || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.upWaiters.push(resolve));
  }

  private releaseWaiters(): void {
    const waiters = this.upWaiters;
    this.upWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private set(change: Partial<StreamState>): void {
    this.state = { ...this.state, ...change };
    this.options.onState?.(this.state);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.retryTimer = null;
    this.idleTimer = null;
  }

  private async open(token: string, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { accept: 'text/event-stream', authorization: `Bearer ${token}` };
    if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
    const send = this.options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
    return send(this.options.api.url('/sse/users/'), { headers, signal, cache: 'no-store' });
  }

  private async connect(refreshed = false): Promise<void> {
    const generation = ++this.generation;
    const abort = new AbortController();
    this.abort?.abort();
    this.abort = abort;
    this.idleFired = false;
    this.set({ status: 'connecting', retryAt: null });
    const alive = () => generation === this.generation && !this.stopped;
    try {
      const token = refreshed ? ((await this.options.api.refresh()) ? this.options.api.tokens?.access : null) : await this.options.api.freshAccess();
      if (!alive()) return;
      if (!token) {
        // The refresh got no answer: the server is unreachable, which the next attempt may find otherwise.
        const unanswered = this.options.api.tokens ? this.options.api.refreshFailure : null;
        if (unanswered) throw new Error(unanswered);
        throw new StreamRefused(401, 'not logged in', 'not_authenticated');
      }
      const response = await this.open(token, abort.signal);
      if (!alive()) {
        abort.abort();
        return;
      }
      if (response.status !== 200 || !response.body) {
        const body = (await response.json().catch(() => null)) as { code?: string; detail?: string } | null;
        const code = body?.code ?? null;
        if (response.status === 401 && code === 'token_not_valid' && !refreshed) return this.connect(true);
        throw new StreamRefused(response.status, body?.detail ?? `HTTP ${response.status}`, code);
      }
      const parser = createParser({ onEvent: (message) => {
        if (!alive()) return;
        if (message.id) this.lastEventId = message.id;
        if (this.state.status !== 'up') {
          this.failures = 0;
          this.set({ status: 'up', error: null, serverSays: null, connections: this.state.connections + 1 });
          this.releaseWaiters();
        }
        const event = message.event ?? 'message';
        if (event === 'ping') return;
        let envelope: Envelope;
        try {
          envelope = JSON.parse(message.data) as Envelope;
        } catch {
          return;
        }
        this.options.onEvent({ event, ...(message.id ? { id: message.id } : {}), envelope });
      } });
      this.armIdle(abort);
      // Decoded as a stream: a character split between two chunks stays whole.
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done || !alive()) break;
        this.armIdle(abort);
        parser.feed(value);
      }
      if (alive()) this.lost('the server closed the live stream');
    } catch (error) {
      if (!alive()) return;
      if (error instanceof StreamRefused) {
        if (error.status === 401) {
          // A refused session cannot get better by retrying.
          this.stopped = true;
          this.clearTimers();
          this.set({ status: 'down', error: `the server refused this session (${error.detail})`, serverSays: error.detail, retryAt: null });
          this.releaseWaiters();
          return;
        }
        this.lost(`the server answered “${error.detail}” (HTTP ${error.status})`, error.detail);
      } else if (this.idleFired) {
        this.lost('no news from the server');
      } else {
        this.lost(networkReason(error));
      }
    }
  }

  private armIdle(abort: AbortController): void {
    const idle = this.options.idleTimeoutMs ?? 30_000;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (idle <= 0) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      this.idleFired = true;
      abort.abort();
    }, idle);
    unref(this.idleTimer);
  }

  private lost(reason: string, serverSays: string | null = null): void {
    if (this.stopped) return;
    this.clearTimers();
    const delays = this.options.retryDelaysMs ?? [1000, 2000, 4000, 8000];
    const delay = delays[Math.min(this.failures, delays.length - 1)] ?? 5000;
    this.failures += 1;
    this.set({ status: 'down', error: reason, serverSays, retryAt: Date.now() + delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
    unref(this.retryTimer);
  }
}

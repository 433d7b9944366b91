import { createParser } from 'eventsource-parser';
import { ApiError, networkReason } from './api.js';
import type { HttpClient } from './http.js';

/**
 * The live stream (`GET /sse/users/`, docs/events.md) with the
 * bearer header, read with eventsource-parser (event names, ids, multi-line
 * data, comments, any line ending, chunks split anywhere). It counts as
 * connected once the server's first `ping` arrives. When it drops it says
 * why and reconnects by itself with a growing delay, resuming with
 * `Last-Event-ID` so that an event sent meanwhile (a `game-start`) is not
 * lost; `retryNow()` skips the wait.
 */

export interface Envelope {
  service?: string;
  event_code?: string;
  type?: string;
  message?: string;
  target?: Array<{ url: string; type: string; method: string | null; display_name: string | null }> | null;
  data?: any;
  kwargs?: unknown;
}

export interface LiveEvent {
  event: string;
  id?: string;
  envelope: Envelope;
}

export type StreamStatus = 'off' | 'connecting' | 'up' | 'down';

export interface StreamState {
  status: StreamStatus;
  /** Why the stream is down, in a few words (`connection refused`). */
  error: string | null;
  /**
   * When the next automatic attempt starts (epoch ms), while down; null while
   * down means no attempt follows (the server refused the session).
   */
  retryAt: number | null;
  /** Connections made so far (reconnections included). */
  connections: number;
}

export interface LiveStreamOptions {
  http: HttpClient;
  /** A valid access token (refreshed by the caller when needed). */
  token(forceRefresh: boolean): Promise<string>;
  onEvent(event: LiveEvent): void;
  onState(state: StreamState): void;
  /** Delays between attempts; the last one repeats. */
  retryDelaysMs?: number[];
  /** No byte for this long (pings come every 2 s) means the connection is dead; 0 disables. */
  idleTimeoutMs?: number;
}

export class LiveStream {
  private state: StreamState = { status: 'off', error: null, retryAt: null, connections: 0 };
  private abort: AbortController | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private lastEventId: string | null = null;
  private stopped = true;
  private generation = 0;

  constructor(private readonly options: LiveStreamOptions) {}

  get current(): StreamState {
    return this.state;
  }

  start(): void {
    this.stopped = false;
    this.failures = 0;
    this.lastEventId = null;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.generation += 1;
    this.clearTimers();
    this.abort?.abort();
    this.abort = null;
    this.set({ status: 'off', error: null, retryAt: null });
  }

  /** Reconnects at once (the `r` key), whatever the pending delay. */
  retryNow(): void {
    if (this.stopped || this.state.status === 'up' || this.state.status === 'connecting') return;
    this.clearTimers();
    void this.connect();
  }

  private set(change: Partial<StreamState>): void {
    this.state = { ...this.state, ...change };
    this.options.onState(this.state);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.retryTimer = null;
    this.idleTimer = null;
  }

  private async connect(forceRefresh = false): Promise<void> {
    const generation = ++this.generation;
    const abort = new AbortController();
    this.abort?.abort();
    this.abort = abort;
    this.set({ status: 'connecting', retryAt: null });
    const alive = () => generation === this.generation && !this.stopped;
    try {
      const token = await this.options.token(forceRefresh);
      if (!alive()) return;
      const headers: Record<string, string> = { accept: 'text/event-stream', authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
      const response = await this.options.http.open('GET', '/sse/users/', { headers, signal: abort.signal, timeoutMs: 0 });
      if (!alive()) {
        response.destroy();
        return;
      }
      if (response.statusCode !== 200) {
        const text = await new Promise<string>((resolve) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => { body += chunk; });
          response.on('end', () => resolve(body));
          response.on('error', () => resolve(body));
        });
        let code: string | null = null;
        let detail = `HTTP ${response.statusCode}`;
        try {
          const body = JSON.parse(text) as { code?: string; detail?: string };
          code = body.code ?? null;
          detail = body.detail ?? detail;
        } catch {
          // Not JSON.
        }
        if (response.statusCode === 401 && code === 'token_not_valid' && !forceRefresh) return this.connect(true);
        throw new ApiError(response.statusCode ?? 0, detail, code);
      }
      const parser = createParser({ onEvent: (message) => {
        if (!alive()) return;
        if (message.id) this.lastEventId = message.id;
        const event = message.event ?? 'message';
        if (event === 'ping') {
          if (this.state.status !== 'up') {
            this.failures = 0;
            this.set({ status: 'up', error: null, connections: this.state.connections + 1 });
          }
          return;
        }
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
      response.setEncoding('utf8');
      for await (const chunk of response as AsyncIterable<string>) {
        if (!alive()) break;
        this.armIdle(abort);
        parser.feed(chunk);
      }
      if (alive()) this.lost('the server closed the live stream');
    } catch (error) {
      if (!alive()) return;
      if (error instanceof ApiError) {
        // A refused session cannot get better by retrying.
        if (error.status === 401) {
          this.stopped = true;
          this.clearTimers();
          this.set({ status: 'down', error: `the server refused this session (${error.detail})`, retryAt: null });
          return;
        }
        this.lost(error.status === 0 ? error.detail : `the server answered “${error.detail}” (HTTP ${error.status})`);
      } else if ((error as { name?: string })?.name === 'AbortError' && this.idleTimer === null && abort.signal.aborted) {
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
      abort.abort();
    }, idle);
    this.idleTimer.unref?.();
  }

  private lost(reason: string): void {
    if (this.stopped) return;
    this.clearTimers();
    const delays = this.options.retryDelaysMs ?? [1000, 2000, 4000, 8000];
    const delay = delays[Math.min(this.failures, delays.length - 1)] ?? 5000;
    this.failures += 1;
    this.set({ status: 'down', error: reason, retryAt: Date.now() + delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
    this.retryTimer.unref?.();
  }
}

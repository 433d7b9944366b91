import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { request as undiciRequest } from 'undici';
import { insecureAgent, nodeUrlFor } from './http.js';

/** What every stream receives whoever its user is: pings and the `activity-update` pulse. */
export const BROADCASTS = new Set(['ping', 'activity-update']);

export interface ReceivedEvent {
  event: string;
  id?: string;
  envelope: any;
}

/**
 * A real SSE client: opens `GET /sse/users/`, parses the stream with
 * eventsource-parser and keeps every event in arrival order.
 */
export class SseClient {
  readonly events: ReceivedEvent[] = [];
  status = 0;
  contentType = '';
  closed = false;
  private waiters: Array<() => void> = [];
  private abort = new AbortController();

  static async open(baseUrl: string, token: string, options: { viaQuery?: boolean; headers?: Record<string, string> } = {}): Promise<SseClient> {
    const client = new SseClient();
    await client.connect(baseUrl, token, options);
    return client;
  }

  private async connect(baseUrl: string, token: string, options: { viaQuery?: boolean; headers?: Record<string, string> }) {
    baseUrl = nodeUrlFor(baseUrl);
    const url = options.viaQuery ? `${baseUrl}/sse/users/?token=${encodeURIComponent(token)}` : `${baseUrl}/sse/users/`;
    const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
    if (!options.viaQuery) headers.authorization = `Bearer ${token}`;
    const response = await undiciRequest(url, { method: 'GET', headers, dispatcher: insecureAgent, signal: this.abort.signal });
    this.status = response.statusCode;
    this.contentType = String(response.headers['content-type'] ?? '');
    if (this.status !== 200) {
      this.errorBody = await response.body.text();
      this.closed = true;
      return;
    }
    const parser = createParser({
      onEvent: (message: EventSourceMessage) => {
        this.events.push({ event: message.event ?? 'message', id: message.id, envelope: JSON.parse(message.data) });
        this.wake();
      },
    });
    (async () => {
      try {
        for await (const chunk of response.body) parser.feed(chunk.toString());
      } catch {
        // Aborted by close() or by the server.
      }
      this.closed = true;
      this.wake();
    })();
  }

  errorBody = '';

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Events addressed to the user: not the pings nor the activity pulse every stream gets (docs/events.md). */
  get notifications(): ReceivedEvent[] {
    return this.events.filter((e) => !BROADCASTS.has(e.event));
  }

  /** Waits until `predicate` holds on the events received so far. */
  async waitFor(predicate: (events: ReceivedEvent[]) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (this.closed && !predicate(this.events)) throw new Error(`stream closed; got ${this.events.map((e) => e.event).join(',')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${this.events.map((e) => e.event).join(',')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  /** The next event with this code not yet taken by `next`. */
  async next(code: string, timeoutMs = 5000): Promise<ReceivedEvent> {
    const taken = this.taken.get(code) ?? 0;
    await this.waitFor((events) => events.filter((e) => e.event === code).length > taken, timeoutMs);
    this.taken.set(code, taken + 1);
    return this.events.filter((e) => e.event === code)[taken];
  }

  private taken = new Map<string, number>();

  async waitClosed(timeoutMs = 5000): Promise<void> {
    await this.waitFor(() => this.closed, timeoutMs);
  }

  close(): void {
    this.abort.abort();
  }
}

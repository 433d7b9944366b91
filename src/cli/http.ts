import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';

/**
 * HTTP(S) requests on Node's own modules, with one keep-alive agent per
 * server (which accepts a self-signed certificate when asked): the terminal
 * client needs no HTTP library at run time.
 */

export interface HttpOptions {
  insecure?: boolean;
  /** Milliseconds without an answer before a plain request fails. */
  timeoutMs?: number;
}

export interface RequestInit {
  headers?: Record<string, string>;
  body?: string;
  /** Aborts the request (and a streamed body). */
  signal?: AbortSignal;
  /** Overrides the client's timeout; 0 = none (a stream). */
  timeoutMs?: number;
}

export class HttpClient {
  private readonly agent: http.Agent;
  private readonly secure: boolean;

  constructor(readonly baseUrl: string, private readonly options: HttpOptions = {}) {
    this.secure = baseUrl.startsWith('https:');
    this.agent = this.secure
      ? new https.Agent({ keepAlive: true, rejectUnauthorized: !options.insecure, maxSockets: 16 })
      : new http.Agent({ keepAlive: true, maxSockets: 16 });
  }

  /** Resolves with the response once its headers arrive; the caller reads or destroys the body. */
  open(method: string, path: string, init: RequestInit = {}): Promise<IncomingMessage> {
    const url = new URL(path, this.baseUrl);
    const send = this.secure ? https.request : http.request;
    const timeout = init.timeoutMs ?? this.options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const request = send(url, { method, headers: init.headers, agent: this.agent, signal: init.signal }, (response) => {
        if (timeout > 0) request.setTimeout(0);
        resolve(response);
      });
      if (timeout > 0) {
        request.setTimeout(timeout, () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      }
      request.on('error', reject);
      request.end(init.body);
    });
  }

  /** A whole request: status and body text. */
  async text(method: string, path: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
    const response = await this.open(method, path, init);
    const chunks: Buffer[] = [];
    const timeout = init.timeoutMs ?? this.options.timeoutMs ?? 10_000;
    await new Promise<void>((resolve, reject) => {
      const timer = timeout > 0 ? setTimeout(() => response.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), timeout) : null;
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => { if (timer) clearTimeout(timer); resolve(); });
      response.on('error', (error) => { if (timer) clearTimeout(timer); reject(error); });
      response.on('aborted', () => { if (timer) clearTimeout(timer); reject(Object.assign(new Error('connection lost'), { code: 'ECONNRESET' })); });
    });
    return { status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') };
  }

  close(): void {
    this.agent.destroy();
  }
}

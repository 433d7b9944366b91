import type { Writable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { throttled } from '../../platform/http/errors.js';
import { callerOf } from '../../platform/http/request-context.js';
import type { StreamHub } from './stream-hub.js';
import type { StreamWriteBudget } from './write-budget.js';

export const TOO_MANY_STREAMS = 'Too many live streams are open for this account: close one (another tab or client) first.';

/**
 * The id a reconnecting client last saw: the `Last-Event-ID` header that
 * EventSource sends by itself, or `?last_event_id=` (clients that cannot set
 * headers on a fresh connection). Anything that is not an id means "no resume".
 */
export function lastEventIdOf(request: FastifyRequest): number | null {
  const header = request.headers['last-event-id'];
  const query = (request.query as Record<string, unknown> | undefined)?.last_event_id;
  const raw = typeof header === 'string' && header.trim() !== '' ? header.trim() : typeof query === 'string' ? query.trim() : '';
  if (!/^\d{1,16}$/.test(raw)) return null;
  return Number(raw);
}

/**
 * `GET /sse/users/` (see docs/events.md). Streams whose client stopped
 * reading are closed rather than buffered without bound (`budget`).
 */
export function eventStreamRoutes(hub: StreamHub, options: { streamsPerUser: number }, budget: StreamWriteBudget = hub.writeBudget) {
  return async function routes(app: FastifyInstance) {
    app.get('/sse/users/', {
      config: { auth: 'required', queryToken: true },
      schema: {
        tags: ['events'],
        summary: 'Open the live event stream (text/event-stream)',
        security: [{ bearer: [] }],
        querystring: { type: 'object', properties: { token: { type: 'string' }, last_event_id: { type: 'string' } } },
      },
    }, async (request, reply) => {
      const user = callerOf(request);
      // Each stream of an account costs a socket, its buffer and every event written once more: one account cannot hold many.
      if (options.streamsPerUser > 0 && hub.localStreamCount(user.id) >= options.streamsPerUser) throw throttled(TOO_MANY_STREAMS);
      reply.hijack();
      const raw = reply.raw;
      const headers: Record<string, string> = {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      };
      if (request.raw.httpVersionMajor === 1) headers.connection = 'keep-alive';
      raw.writeHead(200, headers);
      raw.flushHeaders?.();
      // HTTP/2: the stream itself, not the compatibility response around it (one layer less on each of 10,000 writes).
      const out: Writable = (request.raw as { stream?: Writable }).stream ?? raw;
      const sink = budget.sink(out);
      raw.on('close', () => void hub.close(user.id, sink).catch((error) => request.log.warn({ err: error }, 'stream close failed')));
      raw.on('error', () => {});
      await hub.open(user.id, sink, lastEventIdOf(request));
    });
  };
}

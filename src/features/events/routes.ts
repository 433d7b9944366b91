import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../platform/http/request-context.js';
import type { StreamHub, StreamSink } from './stream-hub.js';

/** Streams whose client stopped reading are dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 1 << 20;

/** `GET /sse/users/` (accounts-chat-sse.md §18). */
export function eventStreamRoutes(hub: StreamHub) {
  return async function routes(app: FastifyInstance) {
    app.get('/sse/users/', {
      config: { auth: 'required', queryToken: true },
      schema: {
        tags: ['events'],
        summary: 'Open the live event stream (text/event-stream)',
        security: [{ bearer: [] }],
        querystring: { type: 'object', properties: { token: { type: 'string' } } },
      },
    }, async (request, reply) => {
      const user = callerOf(request);
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
      const sink: StreamSink = {
        write(frame) {
          if (raw.destroyed || raw.writableEnded) return;
          if (raw.writableLength > MAX_BUFFERED_BYTES) {
            raw.destroy();
            return;
          }
          raw.write(frame);
        },
        end() {
          if (!raw.writableEnded) raw.end();
        },
      };
      raw.on('close', () => void hub.close(user.id, sink).catch((error) => request.log.warn({ err: error }, 'stream close failed')));
      raw.on('error', () => {});
      await hub.open(user.id, sink);
    });
  };
}

import { LiveStream, type LiveStreamOptions } from '../client/events.js';
import type { Api } from './api.js';

export { LiveStream, type Envelope, type LiveEvent, type StreamState, type StreamStatus } from '../client/events.js';

/**
 * The session's live stream (the shared one, docs/events.md) on the Api's own connection pool, which accepts the
 * server's self-signed certificate when the client was started with --insecure.
 */
export function sessionStream(api: Api, options: Omit<LiveStreamOptions, 'api' | 'fetch'>): LiveStream {
  return new LiveStream({ ...options, api: api.client, fetch: api.transport.fetchUrl });
}

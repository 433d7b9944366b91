import { afterAll, beforeAll } from 'vitest';
import { ApiClient } from './http.js';
import { startTestServer, type TestServer, type TestServerOptions } from './server.js';

export interface ServerFixture {
  server: TestServer;
  /** The public HTTPS API. */
  api: ApiClient;
  /** The loopback-only internal API. */
  internal: ApiClient;
}

/** One real server for the whole test file: started before its tests, stopped after them. */
export function useTestServer(options?: TestServerOptions): ServerFixture {
  const fixture = {} as ServerFixture;
  beforeAll(async () => {
    fixture.server = await startTestServer(options);
    fixture.api = new ApiClient(fixture.server.publicUrl);
    fixture.internal = new ApiClient(fixture.server.internalUrl!);
  });
  afterAll(async () => fixture.server?.close());
  return fixture;
}

import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient as SharedClient, memoryTokens } from '../../src/client/http.js';
import { LiveStream, type LiveEvent, type StreamState } from '../../src/client/events.js';
import { nodeApiClient, nodeTransport } from '../../src/client/node.js';
import { useTestServer } from '../support/fixture.js';
import { registerUser, uniqueName } from '../support/http.js';
import { TcpProxy } from '../support/tcp-proxy.js';

/** The shared client (src/client/) against a real node: typed calls, refresh-and-replay, the live stream and its resume. */
describe('shared client', () => {
  const fixture = useTestServer();
  const transports: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => { await Promise.all(transports.map((t) => t.close())); });

  function client(baseUrl = fixture.server.publicUrl, onSessionLost?: () => void) {
    const made = nodeApiClient({ baseUrl, insecure: true, onSessionLost });
    transports.push(made.transport);
    return made;
  }

  const waitFor = async (check: () => boolean, what: string, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('registers and reads the caller through the typed routes', async () => {
    const { api } = client();
    const username = uniqueName('typed');
    const registered = await api.typed.POST('/api/auth/register/', { body: { username, password: 'Str0ng-Passw0rd!' } });
    expect(registered.response.status).toBe(201);
    api.setTokens(registered.data!);
    const me = await api.typed.GET('/api/users/me/');
    expect(me.data?.username).toBe(username);
    const refused = await api.typed.POST('/api/auth/login/', { body: { username, password: 'wrong-password-1' } });
    expect(refused.response.status).toBe(401);
    expect(refused.data).toBeUndefined();
  });

  it('refreshes an expired access token once and replays the call', async () => {
    const user = await registerUser(fixture.api);
    const { api } = client();
    api.setTokens({ access: user.access, refresh: user.refresh });
    fixture.server.clock.advance((fixture.server.config.accessTokenTtlSeconds + 5) * 1000);
    const me = await api.request<{ username: string }>('GET', '/api/users/me/');
    expect(me.status).toBe(200);
    expect(me.data.username).toBe(user.username);
    expect(api.tokens?.access).not.toBe(user.access);
  });

  it('tells the session is lost when the refresh token is refused too', async () => {
    const user = await registerUser(fixture.api);
    let lost = 0;
    const { api } = client(undefined, () => { lost += 1; });
    api.setTokens({ access: user.access, refresh: 'not-a-token' });
    fixture.server.clock.advance((fixture.server.config.accessTokenTtlSeconds + 5) * 1000);
    const me = await api.request('GET', '/api/users/me/');
    expect(me.status).toBe(401);
    expect(lost).toBe(1);
  });

  it('answers status 0 with a reason when the server cannot be reached', async () => {
    const closed = await TcpProxy.start({ host: '127.0.0.1', port: 9 });
    const url = `https://127.0.0.1:${closed.port}`;
    await closed.stop();
    const { api } = client(url);
    const result = await api.request('GET', '/api/users/me/');
    expect(result.status).toBe(0);
    expect(result.failure).toBe('connection refused');
  });

  it('receives live events and resumes after a dropped connection without losing one', async () => {
    const alice = await registerUser(fixture.api);
    const bob = await registerUser(fixture.api);
    const target = new URL(fixture.server.publicUrl);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port) });
    const transport = nodeTransport({ insecure: true });
    transports.push(transport);
    const api = new SharedClient({
      baseUrl: `https://127.0.0.1:${proxy.port}`, tokens: memoryTokens({ access: alice.access, refresh: alice.refresh }),
      fetch: transport.fetch, Request: transport.Request,
    });
    const events: LiveEvent[] = [];
    const states: StreamState[] = [];
    const stream = new LiveStream({ api, fetch: transport.fetchUrl, retryDelaysMs: [100], onEvent: (e) => events.push(e), onState: (s) => states.push(s) });
    stream.start();
    await stream.whenUp();
    expect(stream.current.status).toBe('up');

    const first = await fixture.api.post('/api/users/me/friend_requests/', { username: alice.username }, { token: bob.access });
    expect(first.status).toBe(201);
    await waitFor(() => events.some((e) => e.event === 'receive-friend-request'), 'the first friend request');
    expect(events.find((e) => e.event === 'receive-friend-request')!.envelope.data.id).toBe(first.body.id);

    await proxy.stop();
    await waitFor(() => stream.current.status === 'down', 'the stream to notice the drop');
    const cancelled = await fixture.api.delete(`/api/users/me/friend_requests/${first.body.id}/`, undefined, { token: bob.access });
    expect(cancelled.status).toBeLessThan(300);
    await proxy.restore();
    await waitFor(() => events.some((e) => e.event === 'cancel-friend-request'), 'the event sent while the stream was down');
    expect(stream.current.connections).toBe(2);
    expect(states.some((s) => s.status === 'down' && s.error)).toBe(true);
    stream.stop();
    await proxy.stop();
  });
});

import { connect as h2connect } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, registerUser } from '../support/http.js';
import { createMatch, GameSocket } from '../support/game.js';
import { SseClient } from '../support/sse.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ClientFrom, idleTcp, idleTls, rawHttp1, sleep, until, type HeldSocket } from './abuse-support.js';

/** Opens `count` idle TCP connections from one address; each either stays open or is closed by the server. */
async function holdIdle(url: string, localAddress: string, count: number): Promise<HeldSocket[]> {
  const held = await Promise.all(Array.from({ length: count }, () => idleTcp(url, localAddress).catch(() => null)));
  // A refused connection is closed at once: give the refusals time to arrive.
  await sleep(300);
  return held.filter((h): h is HeldSocket => h !== null);
}

const stillOpen = (held: HeldSocket[]) => held.filter((h) => h.closedAt === null);
const release = (held: HeldSocket[]) => held.forEach((h) => h.socket.destroy());

async function health(url: string, from: string): Promise<number> {
  const client = new ClientFrom(url, from);
  try {
    return (await client.get('/api/health')).status;
  } finally {
    await client.close();
  }
}

describe('idle connections are bounded per address (MAX_CONNECTIONS_PER_ADDRESS)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { MAX_CONNECTIONS_PER_ADDRESS: '20', TLS_HANDSHAKE_TIMEOUT_MS: '60000', HEADERS_TIMEOUT_MS: '60000' } });
  });
  afterAll(async () => server.close());

  it('closes the connections of one address beyond the cap at once, while another address is served', async () => {
    const attacker = await holdIdle(server.publicUrl, '127.0.0.3', 30);
    expect(stillOpen(attacker)).toHaveLength(20);
    expect(attacker.filter((h) => h.closedAt !== null).every((h) => h.closedAt! < 1000)).toBe(true);

    // Another address: a fresh client and readiness answer.
    expect(await health(server.publicUrl, '127.0.0.2')).toBe(200);
    // The attacker's address gets nothing more while it holds its 20.
    const more = await holdIdle(server.publicUrl, '127.0.0.3', 3);
    expect(stillOpen(more)).toHaveLength(0);

    const metrics = await new ApiClient(server.internalUrl!).get('/metrics');
    expect(metrics.text).toMatch(/http_connections_refused_total\{reason="per_address"\} 13/);
    release(attacker);
    await until(() => attacker.every((h) => h.closedAt !== null));
    await sleep(100);
    // Released: the address is served again.
    expect(await health(server.publicUrl, '127.0.0.3')).toBe(200);
  });
});

describe('the process-wide cap (MAX_CONNECTIONS) keeps room for newcomers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      env: { MAX_CONNECTIONS: '40', MAX_CONNECTIONS_PER_ADDRESS: '1000', TLS_HANDSHAKE_TIMEOUT_MS: '60000', HEADERS_TIMEOUT_MS: '60000' },
    });
  });
  afterAll(async () => server.close());

  it('never holds more than the cap, and the last slots go to addresses that hold almost nothing', async () => {
    // 40 slots, the last 16 kept for addresses holding fewer than 4 connections.
    const first = await holdIdle(server.publicUrl, '127.0.0.3', 60);
    expect(stillOpen(first)).toHaveLength(24);
    const others = [];
    for (const address of ['127.0.0.4', '127.0.0.5', '127.0.0.6']) others.push(...stillOpen(await holdIdle(server.publicUrl, address, 10)));
    expect(others).toHaveLength(12);
    // 36 held: a fresh client still gets in.
    expect(await health(server.publicUrl, '127.0.0.2')).toBe(200);
    // Many addresses with 4 each reach the cap; beyond it every connection is closed before a byte is read.
    const flood = [];
    for (let i = 10; i < 20; i++) flood.push(...await holdIdle(server.publicUrl, `127.0.0.${i}`, 4));
    await sleep(200);
    const held = [...stillOpen(first), ...others, ...stillOpen(flood)];
    expect(held.length).toBeLessThanOrEqual(40);
    expect(held.length).toBeGreaterThanOrEqual(38);
    release([...first, ...others, ...flood]);
    await sleep(200);
    expect(await health(server.publicUrl, '127.0.0.2')).toBe(200);
  });
});

describe('behind a trusted proxy (TRUST_PROXY) the forwarded address counts', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      env: { TRUST_PROXY: '127.0.0.1', MAX_CONNECTIONS_PER_ADDRESS: '3', TLS_HANDSHAKE_TIMEOUT_MS: '60000', HEADERS_TIMEOUT_MS: '60000' },
    });
  });
  afterAll(async () => server.close());

  it('does not cap the proxy\'s own connections, caps what one forwarded client holds open, and caps other peers by socket', async () => {
    // The proxy (127.0.0.1) carries many clients: its connections are not counted per address.
    const proxied = await holdIdle(server.publicUrl, '127.0.0.1', 10);
    expect(stillOpen(proxied)).toHaveLength(10);
    // A peer that is not a trusted proxy is capped by its socket address.
    const direct = await holdIdle(server.publicUrl, '127.0.0.3', 6);
    expect(stillOpen(direct)).toHaveLength(3);

    // What a forwarded client holds open (event streams here) is capped by its forwarded address.
    const api = new ApiClient(server.publicUrl);
    const user = await registerUser(api);
    const streams = [];
    for (let i = 0; i < 3; i++) {
      const stream = await SseClient.open(server.publicUrl, user.access, { headers: { 'x-forwarded-for': '203.0.113.7' } });
      expect(stream.status).toBe(200);
      streams.push(stream);
    }
    const fourth = await SseClient.open(server.publicUrl, user.access, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect([fourth.status, JSON.parse(fourth.errorBody)]).toEqual([429, { detail: 'Request was throttled.' }]);
    const other = await api.get('/api/health', { headers: { 'x-forwarded-for': '203.0.113.8' } });
    expect(other.status).toBe(200);
    // A closed stream gives its place back.
    streams.pop()!.close();
    await until(() => server.platform.hub.localStreamCount(user.id) === 2, 5000, 'the stream to close');
    await sleep(50);
    const again = await SseClient.open(server.publicUrl, user.access, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(again.status).toBe(200);
    streams.push(again);
    for (const stream of streams) stream.close();
    release([...proxied, ...direct]);
  });
});

describe('deadlines: TLS handshake and request head (TLS_HANDSHAKE_TIMEOUT_MS, HEADERS_TIMEOUT_MS)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { TLS_HANDSHAKE_TIMEOUT_MS: '300', HEADERS_TIMEOUT_MS: '400' } });
  });
  afterAll(async () => server.close());

  it('closes a connection that never starts TLS after the handshake deadline', async () => {
    const idle = await idleTcp(server.publicUrl, '127.0.0.3');
    await until(() => idle.closedAt !== null, 5000, 'the server to close the connection');
    expect(idle.closedAt!).toBeGreaterThanOrEqual(250);
    expect(idle.closedAt!).toBeLessThan(2000);
  });

  it('closes a TLS connection that sends no request (HTTP/1.1 and HTTP/2) after the head deadline', async () => {
    const h1 = await idleTls(server.publicUrl, '127.0.0.3', 'http/1.1');
    const h2 = await idleTls(server.publicUrl, '127.0.0.3', 'h2');
    await until(() => h1.closedAt !== null && h2.closedAt !== null, 5000, 'the server to close both');
    for (const held of [h1, h2]) {
      expect(held.closedAt!).toBeGreaterThanOrEqual(350);
      expect(held.closedAt!).toBeLessThan(2500);
    }
  });

  it('closes an HTTP/1.1 connection that sends its head too slowly, and one idle between two requests', async () => {
    const slow = await idleTls(server.publicUrl, '127.0.0.3', 'http/1.1');
    const { host } = new URL(server.publicUrl);
    slow.socket.write(`GET /api/health HTTP/1.1\r\nHost: ${host}\r\n`);
    const drip = setInterval(() => slow.socket.write('x-drip: 1\r\n'), 100);
    try {
      await until(() => slow.closedAt !== null, 5000, 'the server to close the slow head');
    } finally {
      clearInterval(drip);
    }
    expect(slow.closedAt!).toBeLessThan(3000);

    // A kept-alive connection: the first request is answered, the second head never completes.
    const kept = await idleTls(server.publicUrl, '127.0.0.3', 'http/1.1');
    let answer = '';
    kept.socket.on('data', (data) => { answer += data.toString(); });
    kept.socket.write(`GET /api/health/live HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    await until(() => answer.includes('"status":"ok"'), 5000, 'the first answer');
    kept.socket.write(`GET /api/health/live HTTP/1.1\r\nHost: ${host}\r\n`);
    await until(() => kept.closedAt !== null, 5000, 'the server to close the unfinished second head');
  });

  it('leaves working connections alone: kept-alive HTTP/1.1, an HTTP/2 session, an event stream, a game socket', async () => {
    const api = new ApiClient(server.publicUrl);
    for (let i = 0; i < 3; i++) {
      expect((await api.get('/api/health/live')).status).toBe(200);
      await sleep(300);
    }

    const [a, b] = [await registerUser(api), await registerUser(api)];
    const match = await createMatch(new ApiClient(server.internalUrl!), 'duel', [a], [b]);
    const stream = await SseClient.open(server.publicUrl, a.access);
    // Both players connect, so that the match runs (a room nobody plays in is closed after 5 s, which a slow machine reaches).
    const spectator = await GameSocket.open(server.publicUrl, b.access, { matchCode: match.code });
    const players = [await GameSocket.open(server.publicUrl, a.access), await GameSocket.open(server.publicUrl, b.access)];
    // Opened last and used at once: an HTTP/2 session that sends nothing within the head deadline is closed, by design.
    const session = h2connect(server.publicUrl, { rejectUnauthorized: false });
    session.on('error', () => {});
    const get = () => new Promise<number>((resolve, reject) => {
      const stream = session.request({ ':path': '/api/health/live' });
      let status = 0;
      stream.on('response', (headers) => { status = Number(headers[':status']); });
      stream.resume();
      stream.on('end', () => resolve(status));
      stream.on('error', reject);
    });
    try {
      expect(await get()).toBe(200);
      // Well past the 700 ms within which a connection must send its first request head.
      await sleep(1500);
      expect(await get()).toBe(200);
      expect(session.closed || session.destroyed).toBe(false);
      expect(stream.closed).toBe(false);
      expect(spectator.closeCode).toBeNull();
      expect(players.map((p) => p.closeCode)).toEqual([null, null]);
    } finally {
      session.close();
      stream.close();
      spectator.close();
      for (const p of players) p.close();
    }
  });
});

describe('TLS=off: the plain HTTP port has the same limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { TLS: 'off', MAX_CONNECTIONS_PER_ADDRESS: '10', HEADERS_TIMEOUT_MS: '400' } });
  });
  afterAll(async () => server.close());

  it('caps an address and closes idle connections after the head deadline', async () => {
    expect(server.publicUrl).toMatch(/^http:/);
    const attacker = await holdIdle(server.publicUrl, '127.0.0.3', 15);
    expect(stillOpen(attacker)).toHaveLength(10);
    expect(await health(server.publicUrl, '127.0.0.2')).toBe(200);
    await until(() => attacker.every((h) => h.closedAt !== null), 5000, 'the deadline');
    expect(Math.max(...attacker.map((h) => h.closedAt!))).toBeLessThan(2500);
  });

  it('answers an over-long URL with 414', async () => {
    const res = await rawHttp1(server.publicUrl, `GET /api/health?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(res).toEqual({ status: 414, body: JSON.stringify({ detail: 'Request-URI too long.' }) });
  });
});

describe('an over-long URL is 414 {"detail": "Request-URI too long."} (limit 8 KB)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  const TOO_LONG = { detail: 'Request-URI too long.' };

  it('over HTTP/1.1 (a raw socket), whatever the size', async () => {
    for (const size of [9_000, 20_000, 100_000]) {
      const res = await rawHttp1(server.publicUrl, `GET /api/health?q=${'a'.repeat(size)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect([size, res.status, JSON.parse(res.body)]).toEqual([size, 414, TOO_LONG]);
    }
    // Below the limit: served as usual.
    const fine = await rawHttp1(server.publicUrl, `GET /api/health/live?q=${'a'.repeat(8_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(fine.status).toBe(200);
  });

  it('over HTTP/2 (node:http2), and the session stays usable', async () => {
    const session = h2connect(server.publicUrl, { rejectUnauthorized: false });
    session.on('error', () => {});
    const get = (path: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
      const stream = session.request({ ':path': path });
      let status = 0;
      let body = '';
      stream.on('response', (headers) => { status = Number(headers[':status']); });
      stream.on('data', (chunk) => { body += chunk; });
      stream.on('end', () => resolve({ status, body }));
      stream.on('error', reject);
    });
    try {
      const long = await get(`/api/health?q=${'a'.repeat(20_000)}`);
      expect([long.status, JSON.parse(long.body)]).toEqual([414, TOO_LONG]);
      const authenticated = await get(`/api/users/me/?q=${'a'.repeat(9_000)}`);
      expect([authenticated.status, JSON.parse(authenticated.body)]).toEqual([414, TOO_LONG]);
      expect((await get('/api/health/live')).status).toBe(200);
    } finally {
      session.close();
    }
  });
});

describe('/metrics is not on the public port', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('answers 404 on the public port, the metrics on the internal one', async () => {
    const pub = await new ApiClient(server.publicUrl).get('/metrics');
    expect([pub.status, pub.body]).toEqual([404, { detail: 'Not found.' }]);
    const internal = await new ApiClient(server.internalUrl!).get('/metrics');
    expect(internal.status).toBe(200);
    expect(internal.text).toContain('# TYPE http_requests_total counter');
    expect(internal.text).toContain('# TYPE http_open_connections gauge');
    expect(server.internalUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('with METRICS_TOKEN, the public port serves them to that bearer only', async () => {
    const withToken = await startTestServer({ env: { METRICS_TOKEN: 'scrape-me-0123456789' } });
    try {
      const api = new ApiClient(withToken.publicUrl);
      const ok = await api.get('/metrics', { token: 'scrape-me-0123456789' });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('# TYPE http_requests_total counter');
      for (const token of [undefined, 'scrape-me', 'scrape-me-0123456789x']) {
        const refused = await api.get('/metrics', { token });
        expect([token, refused.status, refused.body]).toEqual([token, 404, { detail: 'Not found.' }]);
      }
      const docs = await api.get('/api/docs/json');
      expect(Object.keys(docs.body.paths)).not.toContain('/metrics');
    } finally {
      await withToken.close();
    }
  });
});

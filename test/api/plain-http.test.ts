import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../src/game/bot/index.js';
import { ApiClient, registerUser } from '../support/http.js';
import { createMatch, pump } from '../support/game.js';
import { SseClient } from '../support/sse.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** TLS=off: a node behind a proxy that terminates TLS serves plain HTTP/1.1, WebSocket upgrades included. */
describe('a node with TLS=off', () => {
  let server: TestServer;
  let api: ApiClient;
  let internal: ApiClient;
  beforeAll(async () => {
    server = await startTestServer({ env: { TLS: 'off' } });
    api = new ApiClient(server.publicUrl);
    internal = new ApiClient(server.internalUrl!);
  });
  afterAll(async () => server?.close());

  it('answers plain HTTP/1.1 on the public port', async () => {
    expect(server.publicUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.peerUrl).toMatch(/^http:\/\//);
    const { port } = new URL(server.publicUrl);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('GET /api/health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => { text += chunk.toString(); });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('serves the API and the event stream over plain HTTP', async () => {
    const user = await registerUser(api);
    const me = await api.get('/api/users/me/', { token: user.access });
    expect(me.status).toBe(200);
    expect(me.body.username).toBe(user.username);
    const stream = await SseClient.open(server.publicUrl, user.access);
    await stream.next('ping');
    await server.platform.events.send([user.id], 'lobby-update', { over: 'http' });
    expect((await stream.next('lobby-update')).envelope.data).toEqual({ over: 'http' });
    stream.close();
  });

  it('plays a whole duel over ws:// game sockets', { timeout: 120_000 }, async () => {
    const a = await registerUser(api);
    const b = await registerUser(api);
    await createMatch(internal, 'duel', [a], [b]);
    const bots = [a, b].map((u, i) => startBot(server.publicUrl, u.access, { skill: i ? 'easy' : 'hard', clock: server.clock }));
    let done = 0;
    const overs = bots.map((bot) => bot.gameOver.then((over) => { done += 1; return over; }));
    await pump(server.clock, 600_000, { until: () => done === 2 });
    const [overA, overB] = await Promise.all(overs);
    expect(overA).toEqual(overB);
    expect(overA!.reason).toBe('normal-end');
    expect(Math.max(overA!.team_a, overA!.team_b)).toBe(3);
    expect(bots[0].received.get('game_state')).toBeGreaterThan(10);
  });
});

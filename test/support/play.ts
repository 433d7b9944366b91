import { expect } from 'vitest';
import { ApiClient, createGuest, registerUser, type TestUser } from './http.js';
import type { TestServer } from './server.js';
import { openStream } from './social.js';
import { BROADCASTS, type SseClient } from './sse.js';

/** A user with an open SSE stream (every play endpoint needs one). */
export interface Player extends TestUser {
  stream: SseClient;
}

export async function player(server: TestServer, api: ApiClient, options: { guest?: boolean; trophies?: number } = {}): Promise<Player> {
  const user = options.guest ? await createGuest(api) : await registerUser(api);
  if (options.trophies !== undefined) await setTrophies(server, user.id, options.trophies);
  return { ...user, stream: await openStream(server, api, user) };
}

export async function setTrophies(server: TestServer, userId: number, trophies: number): Promise<void> {
  await server.platform.db.updateTable('users').set({ trophies }).where('id', '=', userId).execute();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for at least `codes.length` notifications, then checks that exactly these arrived, in this order. */
export async function expectSequence(p: Player, codes: string[], quietMs = 150): Promise<void> {
  await p.stream.waitFor((events) => events.filter((e) => !BROADCASTS.has(e.event)).length >= codes.length).catch(() => {});
  await sleep(quietMs);
  expect(p.stream.notifications.map((e) => e.event), `events of ${p.username}`).toEqual(codes);
}

/** The n-th notification (0-based) with this code, as an envelope. */
export function nth(p: Player, code: string, n = 0): any {
  return p.stream.notifications.filter((e) => e.event === code)[n]?.envelope;
}

/** Lets the matchmaker finish every pass and match creation it started. */
export async function matchmakerSettled(server: TestServer): Promise<void> {
  await server.platform.play.queues.settled();
  await sleep(20);
  await server.platform.play.queues.settled();
}

/** Moves the manual clock by `ms` in matchmaker ticks, letting each pass finish. */
export async function tick(server: TestServer, ms: number, step = 250): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    server.clock.advance(Math.min(step, ms - done));
    await matchmakerSettled(server);
  }
}

export const lobbyEvent = (code: string, data: unknown, kwargs: unknown = null, message = '') =>
  ({ service: 'lobby', event_code: code, type: 'event', message, target: null, data, kwargs });

export async function closeAll(...players: Player[]): Promise<void> {
  for (const p of players) p.stream.close();
}

/**
 * Closes the player's stream and waits until no node holds it any more: the
 * reconnection grace (STREAM_GRACE_MS) runs on the clock from there.
 */
export async function dropStream(server: TestServer, p: Player): Promise<void> {
  p.stream.close();
  const held = () => [server, server.second].some((node) => node && node.platform.hub.localStreamCount(p.id) > 0);
  for (let i = 0; i < 500 && held(); i++) await sleep(10);
  expect(held(), `the server never saw the stream of ${p.username} close`).toBe(false);
}

/** Moves the clock to the end of the reconnection grace and waits for the offline effects it let through (queue, lobby, tournament). */
export async function pastGrace(server: TestServer): Promise<void> {
  server.clock.advance(server.config.streamGraceMs);
  for (const node of [server, server.second]) await node?.platform.streamGrace.settled();
}

import { expect } from 'vitest';
import type { ApiClient, TestUser } from './http.js';
import { SseClient, type ReceivedEvent } from './sse.js';
import type { TestServer } from './server.js';

/** Opens a stream for the user and waits until the server counts him online. */
export async function openStream(server: TestServer, api: ApiClient, user: TestUser): Promise<SseClient> {
  const stream = await SseClient.open(server.publicUrl, user.access);
  expect(stream.status).toBe(200);
  await stream.next('ping');
  for (let i = 0; i < 200; i++) {
    const me = await api.get('/api/users/me/', { token: user.access });
    if (me.body.is_online === true) return stream;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('stream never brought the user online');
}

/** `a` sends a friend request to `b`, `b` accepts it; returns the friendship id. */
export async function befriend(api: ApiClient, a: TestUser, b: TestUser): Promise<number> {
  const sent = await api.post('/api/users/me/friend_requests/', { username: b.username }, { token: a.access });
  if (sent.status !== 201) throw new Error(`friend request: ${sent.status} ${sent.text}`);
  const accepted = await api.post(`/api/users/me/friend_requests/${sent.body.id}/`, undefined, { token: b.access });
  if (accepted.status !== 201) throw new Error(`accept: ${accepted.status} ${accepted.text}`);
  return accepted.body.id;
}

/** Sets a user's `game_playing` as a relayed `game-start` would. */
export async function setPlaying(server: TestServer, userId: number, code: string | null): Promise<void> {
  await server.platform.db.updateTable('users').set({ game_playing: code }).where('id', '=', userId).execute();
}

/** Notifications (no pings) with the given code received so far. */
export function received(stream: SseClient, code: string): ReceivedEvent[] {
  return stream.events.filter((e) => e.event === code);
}

/** Waits a little and checks that no event with this code arrived. */
export async function expectNoEvent(stream: SseClient, code: string, waitMs = 150): Promise<void> {
  await new Promise((r) => setTimeout(r, waitMs));
  expect(received(stream, code).map((e) => e.envelope)).toEqual([]);
}

/** The profile-picture-unlocked envelope for a picture, as the event catalogue builds it. */
export function unlockEnvelope(picture: { id: number; name: string; unlock_reason: string; stem: string }, equipped = false) {
  const base = `/assets/profile_pictures/${picture.stem}`;
  return {
    service: 'user',
    event_code: 'profile-picture-unlocked',
    type: 'notification',
    message: 'You have unlocked new profile pictures!',
    target: [
      { url: `api/users/profile-picture/${picture.id}/`, type: 'api', method: 'PUT', display_name: 'use', display_icon: null },
      { url: '/profile/pictures', type: 'api', method: 'PUT', display_name: 'see all', display_icon: null },
    ],
    data: {
      id: picture.id, name: picture.name, unlock_reason: picture.unlock_reason, unlock: true, is_equiped: equipped,
      url: `${base}.png`, small: `${base}_small.png`, medium: `${base}_medium.png`, large: `${base}_large.png`,
    },
    kwargs: null,
  };
}

/** A simple friends/requests event envelope (`{"id"}` data, no template). */
export function idEvent(code: string, id: number) {
  return { service: 'friends', event_code: code, type: 'event', message: '', target: null, data: { id }, kwargs: null };
}

import type { LiveEvent } from '../api/types';
import { showAlert } from '../ui/alerts';

/**
 * The one live stream of the tab (docs/events.md): an EventSource on
 * `/sse/users/?token=`, its events dispatched to handlers by event code.
 */
export const EVENT_CODES = [
  'delete-user', 'profile-picture-unlocked', 'receive-message',
  'accept-friend-request', 'receive-friend-request', 'reject-friend-request', 'cancel-friend-request', 'delete-friend',
  'game-start', 'invite-1v1', 'invite-3v3', 'invite-clash', 'invite-tournament',
  'lobby-join', 'lobby-leave', 'lobby-banned', 'lobby-message', 'lobby-update', 'lobby-update-participant', 'lobby-spectate-game', 'lobby-destroy',
  'tournament-join', 'tournament-leave', 'tournament-banned', 'tournament-message', 'tournament-start', 'tournament-start-at',
  'tournament-start-cancel', 'tournament-match-finish', 'tournament-available-spectate-matches', 'tournament-finish',
] as const;

export type EventCode = (typeof EVENT_CODES)[number];
type Handler = (event: LiveEvent) => void;

const handlers = new Map<string, Set<Handler>>();
let source: EventSource | null = null;
let opened: Promise<void> = Promise.resolve();
let tokenProvider: (() => Promise<string | null>) | null = null;
let reopenTimer: ReturnType<typeof setTimeout> | null = null;
const recentLobbyEvents = new Map<string, number>();
/** The last `id:` seen, to resume after a reconnection we make ourselves (the browser's own retries send it). */
let lastEventId: string | null = null;

export function on(code: EventCode, handler: Handler): () => void {
  let set = handlers.get(code);
  if (!set) handlers.set(code, (set = new Set()));
  set.add(handler);
  return () => set!.delete(handler);
}


/** The same lobby event twice within 100 ms is ignored (except a move to the bench). */
function isDuplicate(event: LiveEvent): boolean {
  if (!event.event_code.startsWith('lobby-')) return false;
  if (event.data?.team === 'Spectator' || event.data?.team === 'spectator') return false;
  const key = `${event.event_code}:${JSON.stringify(event.data)}:${event.message}`;
  const now = Date.now();
  const last = recentLobbyEvents.get(key);
  recentLobbyEvents.set(key, now);
  for (const [other, at] of recentLobbyEvents) if (now - at > 1000) recentLobbyEvents.delete(other);
  return last !== undefined && now - last < 100;
}

function dispatch(code: string, message: MessageEvent): void {
  if (message.lastEventId) lastEventId = message.lastEventId;
  const raw = message.data as string;
  let event: LiveEvent;
  try {
    event = JSON.parse(raw) as LiveEvent;
  } catch {
    return;
  }
  event.event_code ??= code;
  if (isDuplicate(event)) return;
  for (const handler of [...(handlers.get(code) ?? [])]) handler(event);
}

/** Opens (or reopens) the stream with a fresh token; resolves once connected. */
export function openStream(provider: () => Promise<string | null>): Promise<void> {
  tokenProvider = provider;
  lastEventId = null;
  closeStream();
  opened = connect();
  return opened;
}

async function connect(): Promise<void> {
  const token = await tokenProvider?.();
  if (!token) return;
  const resume = lastEventId ? `&last_event_id=${encodeURIComponent(lastEventId)}` : '';
  const stream = new EventSource(`/sse/users/?token=${encodeURIComponent(token)}${resume}`);
  source = stream;
  for (const code of EVENT_CODES) stream.addEventListener(code, (message) => dispatch(code, message as MessageEvent));
  let lostShown = false;
  await new Promise<void>((resolve) => {
    stream.onopen = () => {
      lostShown = false;
      resolve();
    };
    stream.onerror = () => {
      if (source !== stream) return;
      if (!lostShown) showAlert('Connection with server lost.', 'error');
      lostShown = true;
      // A refused stream (e.g. an expired token) is not retried by the browser: reopen with a new token.
      if (stream.readyState === EventSource.CLOSED) {
        resolve();
        reopenTimer = setTimeout(() => {
          if (source === stream) opened = connect();
        }, 1500);
      }
    };
  });
}

export function closeStream(): void {
  if (reopenTimer) clearTimeout(reopenTimer);
  reopenTimer = null;
  source?.close();
  source = null;
}

/** Resolves when the stream is open (matchmaking refuses users without one). */
export function streamReady(): Promise<void> {
  return opened;
}

export function isStreamOpen(): boolean {
  return source?.readyState === EventSource.OPEN;
}

import { LiveStream, type Envelope } from '@client/events.js';
import { client } from '../api/client';
import { dismissAlert, showAlert } from '../ui/alerts';

/**
 * The one live stream of the tab (docs/events.md): the shared client's stream (bearer header, resume
 * with Last-Event-ID after a drop), its events dispatched to handlers by event code.
 */
export { EVENT_CODES, type EventCode } from '@client/events.js';
import type { EventCode } from '@client/events.js';

type Handler = (event: Envelope) => void;

const handlers = new Map<string, Set<Handler>>();
let stream: LiveStream | null = null;
let opened: Promise<void> = Promise.resolve();
let reopenTimer: ReturnType<typeof setTimeout> | null = null;
const recentLobbyEvents = new Map<string, number>();

export function on(code: EventCode, handler: Handler): () => void {
  let set = handlers.get(code);
  if (!set) handlers.set(code, (set = new Set()));
  set.add(handler);
  return () => set!.delete(handler);
}

/** The same lobby event twice within 100 ms is ignored (except a move to the bench). */
function isDuplicate(event: Envelope): boolean {
  if (!event.event_code.startsWith('lobby-')) return false;
  if (event.data?.team === 'Spectator' || event.data?.team === 'spectator') return false;
  const key = `${event.event_code}:${JSON.stringify(event.data)}:${event.message}`;
  const now = Date.now();
  const last = recentLobbyEvents.get(key);
  recentLobbyEvents.set(key, now);
  for (const [other, at] of recentLobbyEvents) if (now - at > 1000) recentLobbyEvents.delete(other);
  return last !== undefined && now - last < 100;
}

function dispatch(code: string, event: Envelope): void {
  if (isDuplicate(event)) return;
  for (const handler of [...(handlers.get(code) ?? [])]) handler(event);
}

/**
 * Opens (or reopens) the stream; resolves once connected. `tokenCheck` runs first: it renews the
 * session (or replaces it with a new guest) when the access token is about to expire.
 */
export function openStream(tokenCheck: () => Promise<string | null>): Promise<void> {
  closeStream();
  opened = connect(tokenCheck);
  return opened;
}

/** How long a refusal stays on screen at most (it goes as soon as the stream is up). */
const REFUSAL_SHOWN_MS = 120_000;

async function connect(tokenCheck: () => Promise<string | null>, resumeAfter: string | null = null): Promise<void> {
  if (!(await tokenCheck())) return;
  let lostShown = false;
  let refusalAlert: number | null = null;
  const current: LiveStream = new LiveStream({
    api: client,
    onEvent: ({ event, envelope }) => dispatch(event, envelope),
    onState: (state) => {
      if (stream !== current) return;
      if (state.status === 'up') {
        lostShown = false;
        if (refusalAlert !== null) dismissAlert(refusalAlert);
        refusalAlert = null;
      }
      if (state.status !== 'down') return;
      if (!lostShown) {
        // A refusal (too many streams open for this account, say) is told in the server's words, and stays
        // until the stream is up again: it does not go away by itself.
        if (state.serverSays) refusalAlert = showAlert(state.serverSays, 'error', REFUSAL_SHOWN_MS);
        else showAlert('Connection with server lost.', 'error');
      }
      lostShown = true;
      // A refused session is not retried by the stream itself: try again with a renewed token.
      if (state.retryAt === null) {
        reopenTimer = setTimeout(() => {
          if (stream === current) opened = connect(tokenCheck, current.lastId);
        }, 1500);
      }
    },
  });
  stream = current;
  current.start(resumeAfter);
  await current.whenUp();
}

export function closeStream(): void {
  if (reopenTimer) clearTimeout(reopenTimer);
  reopenTimer = null;
  stream?.stop();
  stream = null;
}

/** Resolves when the stream is open (matchmaking refuses users without one). */
export function streamReady(): Promise<void> {
  // While the stream reconnects on its own, `opened` (its first opening) is long resolved.
  return stream ? opened.then(() => stream?.whenUp()) : opened;
}

export function isStreamOpen(): boolean {
  return stream?.current.status === 'up';
}

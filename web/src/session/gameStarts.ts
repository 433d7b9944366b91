import type { LiveEvent, MatchObject } from '../api/types';
import { navigate, pendingLeave } from '../lib/router';
import { playingTab, storedGameEvent } from '../lib/storage';
import { createStore } from '../lib/store';
import { claimComputerGame, computerGameOf } from '../play/computer';
import { on } from './events';

declare global {
  interface Window {
    /** Set by the browser tests only: when each `game-start` arrived and each game socket opened. */
    __pongTrace?: Array<{ kind: 'game-start' | 'game-open'; matchId: number; at: number }>;
  }
}

/**
 * The one `game-start` handler of the tab. A player must reach his game page
 * whatever page, dialog or timer he is on when his next match is created
 * (a tournament final starts 3 s after the last semi-final ends), so the
 * event is routed here rather than by the page that happens to be mounted:
 * the event is stored (for a reload), any "Leave the game?" dialog is
 * dropped, and the tab goes to the match's game page. A game page already
 * showing that path picks the new match up from `latestGameStart`.
 */
export const latestGameStart = createStore<LiveEvent<MatchObject> | null>(null);

export function gamePathOf(match: Pick<MatchObject, 'id' | 'game_mode' | 'match_type'>): string {
  // A game against the computer is played on the page that asked for it (play/computer.ts).
  const computer = computerGameOf(match);
  if (computer) return computer.host;
  if (match.game_mode === 'duel' || match.game_mode === 'ranked' || match.game_mode === 'tournament') return `/game/${match.game_mode}`;
  return match.match_type === '3v3' ? '/game/3v3' : '/game/1v1';
}

/** A stored game older than this is over for sure: it is forgotten rather than resumed. */
const RESUME_WITHIN_MS = 30 * 60_000;

/**
 * A person who closed the tab mid-game and opens the site again is taken
 * back to his game: still running, he plays on (his seat waits 10 s); over,
 * the game page shows how it was recorded.
 */
export function resumeStoredGame(): void {
  if (location.pathname.startsWith('/game/') || location.pathname.startsWith('/spectate/')) return;
  const match = resumableGame();
  if (match) navigate(gamePathOf(match), { replace: true });
}

/** A playing tab's heartbeat; one older than this is a tab closed (or asleep in the background). */
const HEARTBEAT_MS = 1000;
const HEARTBEAT_FRESH_MS = 3000;

/**
 * Says, every second until the answer is called, that this tab plays `matchId`: another tab opened
 * meanwhile does not take the game over (its seat would move there, and this tab's socket close).
 */
export function notePlayingHere(matchId: number): () => void {
  const beat = () => playingTab.save({ matchId, at: Date.now() });
  const stop = () => {
    clearInterval(timer);
    window.removeEventListener('pagehide', stop);
    if (playingTab.load()?.matchId === matchId) playingTab.clear();
  };
  beat();
  const timer = setInterval(beat, HEARTBEAT_MS);
  // A closed tab says so at once: the site opened again a moment later takes him back to his game.
  window.addEventListener('pagehide', stop);
  return stop;
}

/** Another tab of this browser plays a game now (`matchId`: that one). */
export function playedInAnotherTab(matchId?: number): boolean {
  const beat = playingTab.load();
  return beat !== null && (matchId === undefined || beat.matchId === matchId) && Date.now() - beat.at < HEARTBEAT_FRESH_MS;
}

/**
 * The stored game that opening the site takes the person back to, if any (one too old is forgotten);
 * none while another tab plays it.
 */
export function resumableGame(): MatchObject | null {
  const event = storedGameEvent.load() as LiveEvent<MatchObject> | null;
  const match = event?.data;
  if (!match?.teams) return null;
  if (playedInAnotherTab(match.id)) return null;
  if (Date.now() - Date.parse(match.created_at) < RESUME_WITHIN_MS) return match;
  storedGameEvent.clear();
  return null;
}

export function installGameStartRouting(): void {
  on('game-start', (event: LiveEvent<MatchObject>) => {
    if (!event.data?.teams) return;
    claimComputerGame(event.data);
    storedGameEvent.save(event);
    latestGameStart.set(event);
    window.__pongTrace?.push({ kind: 'game-start', matchId: event.data.id, at: Date.now() });
    pendingLeave.set(null);
    navigate(gamePathOf(event.data), { force: true });
  });
}

import type { Tokens } from '@client/types.js';

/** Client-side persistence: one typed accessor per item. */
function item<T>(key: string) {
  return {
    load(): T | null {
      try {
        const raw = localStorage.getItem(key);
        return raw === null ? null : (JSON.parse(raw) as T);
      } catch {
        return null;
      }
    },
    save(value: T): void {
      localStorage.setItem(key, JSON.stringify(value));
    },
    clear(): void {
      localStorage.removeItem(key);
    },
  };
}


export const storedTokens = item<Tokens>('pong.tokens');
/** The last `game-start` envelope, kept until `game_over` to reconnect after a reload. */
export const storedGameEvent = item<unknown>('pong.gameEvent');
/** The lobby path the user is in, to leave it when navigating elsewhere. */
export const storedLobbyCode = item<string>('pong.lobbyCode');
/** The tournament whose game the user went to play. */
export const storedTournamentCode = item<string>('pong.tournamentCode');
/** The tab playing a game says so every second, so that another tab opened meanwhile leaves the game to it. */
export const playingTab = item<{ matchId: number; at: number }>('pong.playingTab');

import type { PlayScreenName } from '../play/features.js';
import { liveScreen } from './live.js';
import { lobbyScreen } from './lobby.js';
import { playMenuScreen } from './play-menu.js';
import { localScreen, spectateScreen } from './spectate.js';
import { tournamentScreen } from './tournament.js';
import type { ScreenModule } from './types.js';

/** The screens of the play features (play/features.ts), for the app's table of screens. */
export const PLAY_SCREENS: Record<PlayScreenName, ScreenModule> = {
  play: playMenuScreen,
  lobby: lobbyScreen,
  tournament: tournamentScreen,
  live: liveScreen,
  spectate: spectateScreen,
  local: localScreen,
};

/** Redrawn every frame: the games, and the tournament's countdown. */
export const PLAY_ANIMATED: readonly PlayScreenName[] = ['spectate', 'local', 'tournament'];

import { Canvas } from './canvas.js';
import type { Controller, ScreenName } from './controller.js';
import { HeldDirection } from './input.js';
import { isCtrl, type Key } from './keys.js';
import { drawChrome } from './screens/chrome.js';
import { endScreen } from './screens/end.js';
import { gameScreen } from './screens/game.js';
import { loginScreen, LoginFocus } from './screens/login.js';
import { historyScreen } from './screens/history.js';
import { MENU_SIZE, menuScreen } from './screens/menu.js';
import { profileScreen } from './screens/profile.js';
import { queueScreen } from './screens/queue.js';
import { replayScreen } from './screens/replay.js';
import { PLAY_ANIMATED, PLAY_SCREENS } from './screens/play-screens.js';
import { INBOX_FROM, SOCIAL_SCREENS } from './screens/social.js';
import { drawTooSmall, tooSmall } from './screens/too-small.js';
import type { ScreenHost, ScreenModule, UiState } from './screens/types.js';
import type { Terminal } from './terminal.js';

const SCREENS: Record<ScreenName, ScreenModule> = {
  login: loginScreen,
  menu: menuScreen,
  profile: profileScreen,
  queue: queueScreen,
  game: gameScreen,
  end: endScreen,
  history: historyScreen,
  replay: replayScreen,
  ...PLAY_SCREENS,
  ...SOCIAL_SCREENS,
};

/** Screens that move on their own (a spinner, the game, a replay) are redrawn every frame; the others on change. */
const ANIMATED: ReadonlySet<ScreenName> = new Set(['queue', 'game', 'replay', ...PLAY_ANIMATED]);

export interface AppOptions {
  fps: number;
  holdMs: number;
  username?: string;
  password?: string;
  /** Called once the user asked to quit and everything is closed. */
  onExit(): void;
}

/** The terminal front end: routes keys to the current screen and draws it at the frame rate. */
export class App implements ScreenHost {
  readonly ui: UiState;
  readonly held: HeldDirection;
  private timer: NodeJS.Timeout | null = null;
  private dirty = true;
  private lastScreen: ScreenName;
  private lastNoticeDraw = 0;
  private quitting = false;

  constructor(readonly controller: Controller, private readonly terminal: Terminal, private readonly options: AppOptions) {
    this.held = new HeldDirection(options.holdMs, Math.max(options.holdMs, 300));
    this.ui = {
      login: {
        server: controller.state.server,
        username: options.username ?? '',
        password: options.password ?? '',
        focus: options.username ? (options.password ? LoginFocus.login : LoginFocus.password) : LoginFocus.username,
      },
      menu: { index: 0 },
      confirmLeave: false,
    };
    this.lastScreen = controller.screen;
    controller.onChange(() => {
      this.dirty = true;
      // Logged out: the next session's menu starts on its first item (not on "Log out", where a stray Enter would log out again).
      if (!controller.state.user) this.ui.menu.index = 0;
    });
  }

  now(): number {
    return Date.now();
  }

  start(): void {
    this.terminal.onKey((key) => this.onKey(key));
    this.terminal.onResized(() => { this.dirty = true; this.draw(); });
    this.terminal.start();
    this.draw();
    this.timer = setInterval(() => this.frame(), Math.round(1000 / this.options.fps));
  }

  quit(): void {
    if (this.quitting) return;
    this.quitting = true;
    if (this.timer) clearInterval(this.timer);
    void this.controller.shutdown().finally(() => {
      this.terminal.stop();
      this.options.onExit();
    });
  }

  private onKey(key: Key): void {
    if (this.quitting) return;
    this.dirty = true;
    if (!key.release) {
      if (isCtrl(key, 'q') || isCtrl(key, 'c')) return this.quit();
      // Nothing is shown below the smallest size: no key acts on what cannot be seen.
      if (this.tooSmall()) return;
      if (isCtrl(key, 'l')) return void this.controller.logout();
      if (isCtrl(key, 'r')) return this.controller.retry();
      if (isCtrl(key, 'n')) {
        if (this.controller.state.user && INBOX_FROM.has(this.controller.screen)) this.controller.social.openInbox();
        return this.draw();
      }
    }
    // (A release still goes through: a paddle key held when the window shrank must not stay held.)
    if (this.tooSmall() && !key.release) return;
    SCREENS[this.controller.screen].key(key, this);
    this.draw();
  }

  private frame(): void {
    const screen = this.controller.screen;
    if (screen !== this.lastScreen) {
      // A new screen: no key is held over, no question stays open.
      this.held.stop();
      this.ui.confirmLeave = false;
      if (screen === 'login') this.ui.login.password = '';
      if (screen === 'menu') this.ui.menu.index = Math.min(this.ui.menu.index, MENU_SIZE - 1);
      this.lastScreen = screen;
      this.dirty = true;
    }
    if (screen === 'game') this.controller.setInput(this.held.direction(this.now()));
    // Notice ages tick once a second.
    if (this.now() - this.lastNoticeDraw > 1000) {
      this.lastNoticeDraw = this.now();
      this.dirty = true;
    }
    if (this.dirty || ANIMATED.has(screen)) this.draw();
  }

  /** Below the smallest size every screen works in (screens/too-small.ts). */
  private tooSmall(): boolean {
    return tooSmall(this.terminal.columns, this.terminal.rows);
  }

  private draw(): void {
    if (this.quitting) return;
    this.dirty = false;
    const canvas = new Canvas(this.terminal.columns, this.terminal.rows);
    if (this.tooSmall()) {
      drawTooSmall(canvas);
      this.terminal.draw(canvas.lines());
      return;
    }
    const module = SCREENS[this.controller.screen];
    module.render(canvas, this, { top: 2, height: canvas.height - 5, width: canvas.width });
    drawChrome(canvas, this.controller, module.hints(this));
    this.terminal.draw(canvas.lines());
  }
}

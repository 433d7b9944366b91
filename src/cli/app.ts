import { Canvas } from './canvas.js';
import type { Controller, ScreenName } from './controller.js';
import { HeldDirection } from './input.js';
import { isCtrl, type Key } from './keys.js';
import { drawChrome } from './screens/chrome.js';
import { endScreen } from './screens/end.js';
import { gameScreen } from './screens/game.js';
import { loginScreen, LoginFocus } from './screens/login.js';
import { menuScreen } from './screens/menu.js';
import { profileScreen } from './screens/profile.js';
import { queueScreen } from './screens/queue.js';
import type { ScreenHost, ScreenModule, UiState } from './screens/types.js';
import type { Terminal } from './terminal.js';

const SCREENS: Record<ScreenName, ScreenModule> = {
  login: loginScreen,
  menu: menuScreen,
  profile: profileScreen,
  queue: queueScreen,
  game: gameScreen,
  end: endScreen,
};

/** Screens that move on their own (a spinner, the game) are redrawn every frame; the others on change. */
const ANIMATED: ReadonlySet<ScreenName> = new Set(['queue', 'game']);

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
    controller.onChange(() => { this.dirty = true; });
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
      if (isCtrl(key, 'l')) return void this.controller.logout();
      if (isCtrl(key, 'r')) return this.controller.retry();
    }
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
      if (screen === 'menu') this.ui.menu.index = Math.min(this.ui.menu.index, 4);
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

  private draw(): void {
    if (this.quitting) return;
    this.dirty = false;
    const canvas = new Canvas(this.terminal.columns, this.terminal.rows);
    const module = SCREENS[this.controller.screen];
    module.render(canvas, this, { top: 2, height: canvas.height - 5, width: canvas.width });
    drawChrome(canvas, this.controller, module.hints(this));
    this.terminal.draw(canvas.lines());
  }
}

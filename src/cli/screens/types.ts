import type { Canvas } from '../canvas.js';
import type { Controller } from '../controller.js';
import type { HeldDirection } from '../input.js';
import type { Key } from '../keys.js';

/** What the screens share besides the controller: the terminal-side state (form fields, selections). */
export interface UiState {
  login: { server: string; username: string; password: string; focus: number };
  menu: { index: number };
  /** The "leave the game?" question is open. */
  confirmLeave: boolean;
}

export interface ScreenHost {
  readonly controller: Controller;
  readonly ui: UiState;
  readonly held: HeldDirection;
  now(): number;
  quit(): void;
}

/** The rows a screen may draw on (between the title bar and the notice and status lines). */
export interface Area {
  top: number;
  height: number;
  width: number;
}

export interface ScreenModule {
  render(canvas: Canvas, host: ScreenHost, area: Area): void;
  key(key: Key, host: ScreenHost): void;
  /** Key help shown in the status line when there is no status. */
  hints(host: ScreenHost): string;
}

import type { SoundName } from './sound';

/**
 * `window.__pongEffects`: cheap counters of what the canvas showed and
 * played, read by the browser tests (test/browser/game-feel.test.ts) and
 * handy in a console. Counting costs a few increments per event; `labels`
 * is the text drawn on the last frame, with its CSS size and colours, so
 * that a test can check sizes and contrast without reading pixels.
 */
export interface EffectCounters {
  /** Paddle hits, wall bounces and goals seen on the canvas. */
  hits: number;
  walls: number;
  goals: number;
  /** Goals shown with a screen shake, and flashes drawn (paddle hits, goals, wall sparks): none with reduced motion. */
  shakes: number;
  flashes: number;
  /** Countdowns that showed the serve cue. */
  serveCues: number;
  /** Sounds started, by name (none while muted or before a gesture). */
  sounds: Record<SoundName, number>;
  reducedMotion: boolean;
  /** The field is turned a quarter (a phone held upright). */
  rotated: boolean;
  /** The ball's top-left corner (field units) as last drawn, null when off the field. */
  ball: { x: number; y: number } | null;
  /** The y (field units) of the paddle that the touch controls drive, as last drawn. */
  controlled: number | null;
  /** Text on the last frame: CSS px size, colour and the colour behind it. */
  labels: Array<{ text: string; px: number; color: string; background: string }>;
}

declare global {
  interface Window {
    __pongEffects?: EffectCounters;
  }
}

export function effectCounters(): EffectCounters {
  window.__pongEffects ??= {
    hits: 0, walls: 0, goals: 0, shakes: 0, flashes: 0, serveCues: 0,
    sounds: { hit: 0, wall: 0, goal: 0, tick: 0, go: 0, win: 0, lose: 0 },
    reducedMotion: false, rotated: false, ball: null, controlled: null, labels: [],
  };
  return window.__pongEffects;
}

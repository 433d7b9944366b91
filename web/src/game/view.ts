import type { Layout } from '@shared/engine/index.js';

/** What the canvas draws, whatever the game (online, spectated, local). */
export interface PaddleView {
  x: number;
  y: number;
  side: 'left' | 'right';
  mine: boolean;
}

export interface FieldView {
  layout: Layout;
  ball: { x: number; y: number } | null;
  paddles: PaddleView[];
  /** 3, 2, 1 while counting down. */
  countdown: number | null;
  /** Scores drawn on the canvas (the local game); online games show a score bar instead. */
  scores?: { left: number; right: number; leftLabel: string; rightLabel: string } | null;
  overlay?: string | null;
}

export interface FieldSource {
  /** Advances to `now` (ms, performance clock) and returns what to draw. */
  frame(now: number): FieldView;
}

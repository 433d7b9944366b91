import type { FieldView as OnlineFieldView } from '@client/game-model.js';

export type { PaddleView } from '@client/game-model.js';

/** What the canvas draws, whatever the game (online, spectated, local). */
export interface FieldView extends OnlineFieldView {
  /** Scores drawn on the canvas (the local game); online games show a score bar instead. */
  scores?: { left: number; right: number; leftLabel: string; rightLabel: string } | null;
  overlay?: string | null;
}

export interface FieldSource {
  /** Advances to `now` (ms, performance clock) and returns what to draw. */
  frame(now: number): FieldView;
}

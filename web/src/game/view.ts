import type { FieldView as OnlineFieldView } from '@client/game-model.js';

export type { PaddleView } from '@client/game-model.js';

export type Side = 'left' | 'right';

/** A vector in field units per second. */
export interface Velocity {
  x: number;
  y: number;
}

/** What the canvas draws, whatever the game (online, spectated, local, replayed). */
export interface FieldView extends OnlineFieldView {
  /** Scores drawn on the canvas (the local game); online games show a score bar instead (on a phone, the canvas). */
  scores?: { left: number; right: number; leftLabel: string; rightLabel: string } | null;
  overlay?: string | null;
  /** The score by side when the source knows it: a change is a goal (flash, pop, sound). Without it a goal is read from the ball. */
  tally?: { left: number; right: number } | null;
  /** The ball's velocity when the source knows it; otherwise it is read from the ball's motion. */
  velocity?: Velocity | null;
  /** During a countdown: the velocity the ball will be served with, for the serve cue. */
  serve?: Velocity | null;
  /** The game just ended for this viewer: plays the win or lose jingle once per `key` (`over`: a spectator, no jingle). */
  ending?: { key: string; outcome: 'won' | 'lost' | 'over' } | null;
  /** No sounds: the local page's demo behind its dialog. */
  quiet?: boolean;
}

export interface FieldSource {
  /** Advances to `now` (ms, performance clock) and returns what to draw. */
  frame(now: number): FieldView;
}

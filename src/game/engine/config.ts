/**
 * The game configuration document. The web server publishes
 * exactly this JSON at `GET /gameConfig.json`; the server, the browser client
 * and the bots must all read the same numbers, so this is the single source.
 */

export type LayoutName = 'normal' | 'clash' | 'local';

export interface CanvasConfig {
  readonly width: number;
  readonly height: number;
}

export interface PaddleConfig {
  readonly width: number;
  readonly height: number;
  /** Units per second. */
  readonly speed: number;
  /** Distance from a goal line to the outer face of a team's first paddle. */
  readonly ledgeOffset: number;
  /** Distance between consecutive paddles of one team (3v3). */
  readonly paddleOffset: number;
}

export interface BallConfig {
  readonly size: number;
  readonly speed: number;
  readonly speedIncrement: number;
  readonly maxSpeed: number;
  /** Radians, used by every 1v1 layout. */
  readonly maxBounceAngle: number;
  /** Radians, used by the 3v3 layout. */
  readonly maxBounceAngle3v3: number;
}

export interface GameConfig {
  readonly server: { readonly tickRate: { readonly base: number; readonly safe: number } };
  readonly canvas: Readonly<Record<LayoutName, CanvasConfig>>;
  readonly paddle: Readonly<Record<LayoutName, PaddleConfig>>;
  readonly ball: BallConfig;
  readonly score: { readonly max: number };
}

export const GAME_CONFIG: GameConfig = {
  server: { tickRate: { base: 60, safe: 15 } },
  canvas: {
    normal: { width: 1000, height: 600 },
    clash: { width: 1800, height: 750 },
    local: { width: 1500, height: 750 },
  },
  paddle: {
    normal: { width: 30, height: 200, speed: 500, ledgeOffset: 100, paddleOffset: 200 },
    clash: { width: 30, height: 100, speed: 500, ledgeOffset: 100, paddleOffset: 200 },
    local: { width: 30, height: 200, speed: 500, ledgeOffset: 100, paddleOffset: 200 },
  },
  ball: {
    size: 20,
    speed: 350,
    speedIncrement: 60,
    maxSpeed: 1000,
    maxBounceAngle: 1.2566370614359172,
    maxBounceAngle3v3: 1.0471975511965976,
  },
  score: { max: 3 },
};

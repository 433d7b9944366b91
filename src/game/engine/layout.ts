import { GAME_CONFIG, type GameConfig, type LayoutName } from './config.js';

/**
 * Every number the simulation needs for one kind of field, flattened from the
 * configuration document so the physics never has to know which layout it
 * runs on.
 */
export interface Layout {
  readonly name: LayoutName;
  readonly width: number;
  readonly height: number;
  readonly paddleWidth: number;
  readonly paddleHeight: number;
  readonly paddleSpeed: number;
  readonly ledgeOffset: number;
  readonly paddleOffset: number;
  readonly paddlesPerTeam: number;
  readonly ballSize: number;
  readonly serveSpeed: number;
  readonly speedIncrement: number;
  readonly maxSpeed: number;
  readonly maxBounceAngle: number;
  /** Only online 1v1 games drop to the safe tick rate. */
  readonly slowsDownInSafeZone: boolean;
  readonly baseTickRate: number;
  readonly safeTickRate: number;
  readonly winningScore: number;
}

export type MatchType = '1v1' | '3v3';

export function layoutFor(name: LayoutName, config: GameConfig = GAME_CONFIG): Layout {
  const canvas = config.canvas[name];
  const paddle = config.paddle[name];
  const isClash = name === 'clash';
  return {
    name,
    width: canvas.width,
    height: canvas.height,
    paddleWidth: paddle.width,
    paddleHeight: paddle.height,
    paddleSpeed: paddle.speed,
    ledgeOffset: paddle.ledgeOffset,
    paddleOffset: paddle.paddleOffset,
    paddlesPerTeam: isClash ? 3 : 1,
    ballSize: config.ball.size,
    serveSpeed: config.ball.speed,
    speedIncrement: config.ball.speedIncrement,
    maxSpeed: config.ball.maxSpeed,
    maxBounceAngle: isClash ? config.ball.maxBounceAngle3v3 : config.ball.maxBounceAngle,
    slowsDownInSafeZone: name === 'normal',
    baseTickRate: config.server.tickRate.base,
    safeTickRate: config.server.tickRate.safe,
    winningScore: config.score.max,
  };
}

/** The 3v3 layout for every 3v3 match whatever its mode, 1v1 otherwise. */
export function layoutForMatchType(matchType: MatchType, config: GameConfig = GAME_CONFIG): Layout {
  return layoutFor(matchType === '3v3' ? 'clash' : 'normal', config);
}

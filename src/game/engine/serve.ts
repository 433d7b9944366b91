import type { Layout } from './layout.js';
import { centreSpot } from './positions.js';
import type { RandomSource } from './random.js';
import type { Ball } from './state.js';

const CONE_HALF_WIDTH = Math.PI / 3;
const CONE_WIDTH = 2 * CONE_HALF_WIDTH;

/**
 * The serve angle: uniform over the directions within 60° of the
 * horizontal (|cos φ| ≥ 0.5), either side equally likely. Redrawing until a
 * direction fits would get there; mapping one draw onto the two cones gives
 * the same distribution with exactly one draw, so a replay never depends on
 * how many redraws a given generator needs (and a bad generator cannot loop
 * forever).
 */
export function serveAngle(random: RandomSource): number {
  const along = random() * 2 * CONE_WIDTH;
  return along < CONE_WIDTH
    ? -CONE_HALF_WIDTH + along
    : Math.PI - CONE_HALF_WIDTH + (along - CONE_WIDTH);
}

export function serveBall(layout: Layout, random: RandomSource): Ball {
  const angle = serveAngle(random);
  const spot = centreSpot(layout);
  return {
    x: spot.x,
    y: spot.y,
    speedX: layout.serveSpeed * Math.cos(angle),
    speedY: layout.serveSpeed * Math.sin(angle),
    speed: layout.serveSpeed,
  };
}

/**
 * A source of uniform numbers in [0, 1). The engine never calls Math.random
 * itself so a seed replays a whole game; the browser's local game may still
 * pass `Math.random` when it does not care.
 */
export type RandomSource = () => number;

/** mulberry32: tiny, fast, and identical on every JavaScript runtime. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

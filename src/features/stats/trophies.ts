/**
 * Ranked trophies, with the design decision that a win never
 * costs trophies: the winner gains at least 1.
 */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** `w`, `l`: current totals of the winner and the loser. The winner records `+gain` (at least 1), the loser `-loss`. */
export function rankedTrophyChange(w: number, l: number): { gain: number; loss: number } {
  const base = 36 - ((w / 2000) * 10);
  const lossRaw = 20 + ((l / 2000) * 15);
  let bonus = Math.abs(w - l) / 10;
  if (w > l) bonus = -bonus;
  if (w > 1000 && w <= l) bonus = bonus / (w / 1000);
  const gain = Math.max(1, roundHalfEven(base + bonus));
  return { gain, loss: roundHalfEven(lossRaw) };
}

/** The smallest change a ranked win records. */
export const MIN_RANKED_WIN = 1;

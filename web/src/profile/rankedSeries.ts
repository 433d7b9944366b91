import type { RankedEntry } from '../api/types';

/** The ranked tab's trophy series of one period. */
export type Period = 'day' | 'week' | 'month' | 'year';
export const PERIOD_MS: Record<Period, number> = { day: 864e5, week: 7 * 864e5, month: 30 * 864e5, year: 365 * 864e5 };

export interface Point {
  t: number;
  value: number;
}

function bucketKey(t: number, period: Period): string {
  const d = new Date(t);
  if (period === 'year') return `${d.getFullYear()}-${d.getMonth()}`;
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

export function rankedSeries(entries: RankedEntry[], period: Period, now = Date.now()): Point[] {
  const start = now - PERIOD_MS[period];
  const timed = entries.map((e) => ({ t: Date.parse(e.at), value: e.total_trophies })).sort((a, b) => a.t - b.t);
  const before = timed.filter((p) => p.t < start).at(-1);
  let inside = timed.filter((p) => p.t >= start && p.t <= now);
  if (period !== 'day') {
    const last = new Map<string, Point>();
    for (const p of inside) last.set(bucketKey(p.t, period), p);
    inside = [...last.values()];
  }
  const series = before ? [{ t: start, value: before.value }, ...inside] : inside;
  if (series.length === 1) series.unshift({ t: start, value: 0 });
  return series;
}

export function pointLabel(t: number, period: Period): string {
  const d = new Date(t);
  const two = (n: number) => String(n).padStart(2, '0');
  if (period === 'day') return `${two(d.getHours())}:${two(d.getMinutes())}`;
  if (period === 'year') return `${two(d.getMonth() + 1)}/${d.getFullYear()}`;
  return `${two(d.getDate())}/${two(d.getMonth() + 1)}`;
}

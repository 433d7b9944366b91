import { useEffect, useRef } from 'react';
import uPlot from './uplot';
import 'uplot/dist/uPlot.min.css';
import './charts.css';

/**
 * One uPlot chart sized to its container (and resized with it). uPlot is loaded only with this
 * module, which only the profile's chart tabs import, lazily (../charts.tsx).
 */
export function UPlotChart({ options, data, height = 240 }: { options: Omit<uPlot.Options, 'width' | 'height'>; data: uPlot.AlignedData; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const plot = new uPlot({ ...options, width: Math.max(0, el.clientWidth), height }, data, el);
    let width = el.clientWidth;
    const observer = new ResizeObserver(() => {
      if (el.clientWidth === width) return;
      width = el.clientWidth;
      plot.setSize({ width, height });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [options, data, height]);
  // The numbers are in the figure's table: the canvas is decoration for screen readers.
  return <div ref={ref} className="pc-plot" aria-hidden="true" />;
}

// ------------------------------------------------------------------ theme

export interface Palette {
  text: string;
  muted: string;
  border: string;
  panel: string;
  accent: string;
  accent2: string;
  red: string;
  green: string;
  gold: string;
}

/** The site's dark-theme colours (styles.css custom properties), with the same values as fall-backs. */
export function palette(): Palette {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#e8ebf3'),
    muted: v('--muted', '#98a0b5'),
    border: v('--border', '#2e3448'),
    panel: v('--panel', '#181c28'),
    accent: v('--accent', '#4f9dff'),
    accent2: v('--accent-2', '#7cc4ff'),
    red: v('--red', '#ef5b5b'),
    green: v('--green', '#3ecf8e'),
    gold: v('--focus', '#ffd84d'),
  };
}

/** `#rrggbb` + alpha → `rgba()`. */
export function withAlpha(hex: string, alpha: number): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  return `rgba(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)}, ${alpha})`;
}

const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

export function axis(p: Palette, extra: uPlot.Axis = {}): uPlot.Axis {
  return {
    stroke: p.muted,
    font: FONT,
    labelFont: FONT,
    grid: { stroke: p.border, width: 1 },
    ticks: { stroke: p.border, width: 1, size: 4 },
    ...extra,
  };
}

const two = (n: number) => String(n).padStart(2, '0');

/** Time-axis labels in the site's day/month order: months, days, or hours (with the date under the first hour of a day). */
export const timeValues: uPlot.Axis.DynamicValues = (_u, splits, _axis, _space, incr) =>
  splits.map((s, i) => {
    const d = new Date(s * 1000);
    if (incr >= 28 * 86400) return `${two(d.getMonth() + 1)}/${d.getFullYear()}`;
    const date = `${two(d.getDate())}/${two(d.getMonth() + 1)}`;
    if (incr >= 86400) return date;
    const time = `${two(d.getHours())}:${two(d.getMinutes())}`;
    const previous = i > 0 ? new Date(splits[i - 1] * 1000) : null;
    return !previous || previous.toDateString() !== d.toDateString() ? `${time}\n${date}` : time;
  });

/** Tick steps for counts: whole numbers only. */
export const COUNT_INCRS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 50_000, 100_000];

/** A round top for a count axis starting at 0 (at least `floor`). */
export function niceMax(max: number, floor = 4): number {
  const m = Math.max(floor, max * 1.15);
  const step = COUNT_INCRS.find((s) => m / s <= 5) ?? 100_000;
  return Math.ceil(m / step) * step;
}

/** A count y axis from 0 with integer ticks. */
export function countY(p: Palette, label?: string): { scale: uPlot.Scale; axis: uPlot.Axis } {
  return {
    scale: { range: (_u, _min, max) => [0, niceMax(max ?? 0)] },
    axis: axis(p, { incrs: COUNT_INCRS, values: (_u, splits) => splits.map((v) => String(v)), label, size: 44 }),
  };
}

/** An x axis of named categories at 0, 1, 2…; labels thinned out when they would overlap. */
export function categoryX(p: Palette, labels: string[]): { scale: uPlot.Scale; axis: uPlot.Axis } {
  const longest = Math.max(1, ...labels.map((l) => l.length));
  return {
    scale: { time: false, range: () => [-0.5, labels.length - 0.5] },
    axis: axis(p, {
      grid: { show: false },
      splits: () => labels.map((_, i) => i),
      values: (u, splits) => {
        const width = u.bbox.width / (window.devicePixelRatio || 1);
        const every = Math.max(1, Math.ceil((labels.length * (longest * 7 + 14)) / Math.max(1, width)));
        return splits.map((i) => (i % every === 0 || (every > 1 && i === labels.length - 1 && (labels.length - 1) % every >= every / 2) ? labels[i] ?? '' : ''));
      },
    }),
  };
}

/** A bar series; `align` -1/1 puts two series side by side around each category. */
export function barSeries(label: string, color: string, align: -1 | 0 | 1 = 0, factor = align === 0 ? 0.6 : 0.36): uPlot.Series {
  return {
    label,
    stroke: color,
    fill: withAlpha(color, 0.85),
    width: 0,
    points: { show: false },
    paths: uPlot.paths.bars!({ size: [factor, 72], align, radius: 0.15, gap: 1 }),
  };
}

/**
 * Writes each bar's value above it (bars drawn by {@link barSeries} with the same align/factor).
 * `format` may return null to write nothing; a missing value gets `missing` (muted) on the baseline.
 */
export function barValuesPlugin(
  p: Palette,
  bars: Array<{ series: number; align: -1 | 0 | 1; factor: number }>,
  format: (v: number) => string | null = (v) => String(v),
  missing: string | null = null,
): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        const dpr = window.devicePixelRatio || 1;
        ctx.save();
        ctx.font = `${Math.round(11 * dpr)}px system-ui, sans-serif`;
        ctx.fillStyle = p.text;
        ctx.textAlign = 'center';
        ctx.textBaseline = 'bottom';
        const xs = u.data[0];
        const slot = xs.length > 1 ? Math.abs(u.valToPos(xs[1], 'x', true) - u.valToPos(xs[0], 'x', true)) : u.bbox.width / 2;
        for (const bar of bars) {
          if (!u.series[bar.series].show) continue;
          const width = Math.min(slot * bar.factor, 72 * dpr);
          const values = u.data[bar.series];
          values.forEach((value, i) => {
            const x = u.valToPos(xs[i], 'x', true) + (bar.align * width) / 2;
            if (value === null || value === undefined) {
              if (missing === null) return;
              ctx.fillStyle = p.muted;
              ctx.fillText(missing, x, u.valToPos(0, 'y', true) - 3 * dpr);
              ctx.fillStyle = p.text;
              return;
            }
            const text = format(value);
            if (text === null) return;
            ctx.fillText(text, x, u.valToPos(value, 'y', true) - 3 * dpr);
          });
        }
        ctx.restore();
      },
    },
  };
}

/** Options every chart shares: no cursor or drag-zoom, a static legend (the series' names and colours). */
export function baseOptions(): Pick<uPlot.Options, 'cursor' | 'legend' | 'padding'> {
  return {
    cursor: { show: false, drag: { x: false, y: false, setScale: false } },
    legend: { show: true, live: false },
    padding: [18, 12, 0, 0],
  };
}

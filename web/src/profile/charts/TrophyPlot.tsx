import { useMemo } from 'react';
import uPlot from './uplot';
import { axis, baseOptions, COUNT_INCRS, niceMax, palette, timeValues, UPlotChart, withAlpha } from './UPlotChart';

/**
 * A trophy total over time: a step line (the total holds until the next ranked match) with a dot
 * per entry, on a time axis; `range` (ms) fixes the axis to a period.
 */
export function TrophyPlot({ points, range, height = 240 }: { points: Array<{ t: number; total: number }>; range?: [number, number]; height?: number }) {
  const { options, data } = useMemo(() => {
    const p = palette();
    const xs = points.map((pt) => pt.t / 1000);
    const ys = points.map((pt) => pt.total);
    const [lo, hi] = range ? [range[0] / 1000, range[1] / 1000] : [Math.min(...xs), Math.max(...xs)];
    // A lone instant (or a few seconds) still gets an hour either side, so the axis has labels.
    const pad = hi - lo < 60 ? 3600 : (hi - lo) * 0.03;
    const options: Omit<uPlot.Options, 'width' | 'height'> = {
      ...baseOptions(),
      scales: {
        x: { time: true, range: () => [range ? lo : lo - pad, range ? hi : hi + pad] },
        y: { range: (_u, _min, max) => [0, niceMax(max ?? 0, 10)] },
      },
      axes: [
        axis(p, { space: 70, values: timeValues }),
        axis(p, { incrs: COUNT_INCRS, values: (_u, splits) => splits.map((v) => String(v)), size: 50 }),
      ],
      series: [
        {},
        {
          label: 'Trophies',
          stroke: p.gold,
          width: 2,
          // A gold wash fading towards the axis.
          fill: (u) => {
            if (!Number.isFinite(u.bbox.top) || !Number.isFinite(u.bbox.height)) return withAlpha(p.gold, 0.12);
            const gradient = u.ctx.createLinearGradient(0, u.bbox.top, 0, u.bbox.top + u.bbox.height);
            gradient.addColorStop(0, withAlpha(p.gold, 0.3));
            gradient.addColorStop(1, withAlpha(p.gold, 0.03));
            return gradient;
          },
          paths: uPlot.paths.stepped!({ align: 1 }),
          points: { show: true, size: 7, fill: p.gold, stroke: p.gold },
        },
      ],
    };
    return { options, data: [xs, ys] as uPlot.AlignedData };
  }, [points, range]);
  return <UPlotChart options={options} data={data} height={height} />;
}

/** Plain SVG charts (no chart library). */
export interface LinePoint {
  x: number;
  y: number;
  label: string;
}

const W = 640;
const H = 260;
const PAD = { left: 48, right: 16, top: 16, bottom: 36 };

export function LineChart({ points, title }: { points: LinePoint[]; title: string }) {
  if (points.length === 0) return <p className="empty">No ranked game in this period.</p>;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const sy = (y: number) => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
  const ticks = [y0, (y0 + y1) / 2, y1].map(Math.round);
  const labelEvery = Math.max(1, Math.ceil(points.length / 6));
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={W - PAD.right} y1={sy(t)} y2={sy(t)} className="grid" />
          <text x={PAD.left - 6} y={sy(t)} className="axis" textAnchor="end" dominantBaseline="middle">{t}</text>
        </g>
      ))}
      <path d={path} className="line" />
      {points.map((p, i) => (
        <g key={i}>
          <circle cx={sx(p.x)} cy={sy(p.y)} r={3.5} className="dot">
            <title>{`${p.label}: ${p.y}`}</title>
          </circle>
          {i % labelEvery === 0 && (
            <text x={sx(p.x)} y={H - 12} className="axis" textAnchor="middle">{p.label}</text>
          )}
        </g>
      ))}
    </svg>
  );
}

export function BarChart({ bars, title }: { bars: Array<{ label: string; value: number }>; title: string }) {
  const w = 320;
  const h = 170;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = (w - 30) / bars.length;
  const scale = (v: number) => (v / max) * (h - 50);
  return (
    <svg className="chart bars" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={title}>
      <line x1={24} x2={w} y1={h - 30} y2={h - 30} className="grid" />
      <text x={20} y={h - 30} className="axis" textAnchor="end">0</text>
      <text x={20} y={h - 30 - scale(max)} className="axis" textAnchor="end" dominantBaseline="middle">{max}</text>
      {bars.map((bar, i) => {
        const x = 30 + i * slot + slot * 0.15;
        const height = scale(bar.value);
        return (
          <g key={bar.label}>
            <rect x={x} y={h - 30 - height} width={slot * 0.7} height={height} className="bar" />
            <text x={x + slot * 0.35} y={h - 34 - height} className="axis" textAnchor="middle">{bar.value}</text>
            <text x={x + slot * 0.35} y={h - 12} className="axis small" textAnchor="middle">{bar.label}</text>
          </g>
        );
      })}
    </svg>
  );
}

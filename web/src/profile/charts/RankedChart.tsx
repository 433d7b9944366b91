import { ChartFigure, DataTable } from './ChartFigure';
import { TrophyPlot } from './TrophyPlot';

export interface RankedChartPoint {
  t: number;
  value: number;
  label: string;
}

/** Profile → Ranked: the trophy total of one period, with its table. Loaded lazily (../charts.tsx). */
export default function RankedChart({ title, points, range }: { title: string; points: RankedChartPoint[]; range: [number, number] }) {
  return (
    <ChartFigure
      name="ranked"
      title={title}
      chart={points.length > 0
        ? <TrophyPlot points={points.map((p) => ({ t: p.t, total: p.value }))} range={range} height={280} />
        : <p className="empty">No ranked game in this period.</p>}
      table={(
        <DataTable<RankedChartPoint>
          caption={title}
          empty="No ranked game in this period."
          rows={points}
          columns={[
            { header: 'When', cell: (p) => p.label },
            { header: 'Trophies', cell: (p) => p.value, numeric: true },
          ]}
        />
      )}
    />
  );
}

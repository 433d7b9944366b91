import { useMemo } from 'react';
import type uPlot from 'uplot';
import { ChartFigure, DataTable } from './ChartFigure';
import {
  dateTimeLabel, goalsPerMode, HISTORY_WINDOW, modeName, trophyPoints, winRates, winsLossesOverTime,
  type Bucket, type ModeGoals, type ModeWinRate, type TrophyPoint,
} from './data';
import type { StatsData } from './load';
import { TrophyPlot } from './TrophyPlot';
import { barSeries, barValuesPlugin, baseOptions, categoryX, countY, palette, UPlotChart, axis } from './UPlotChart';

type Options = Omit<uPlot.Options, 'width' | 'height'>;

const signed = (n: number | null) => (n === null ? 'start' : n > 0 ? `+${n}` : String(n));
const percent = (rate: number | null) => (rate === null ? 'no match' : `${rate}%`);

/** "your last 200 matches", "your 12 matches". */
function windowText(n: number): string {
  if (n >= HISTORY_WINDOW) return `your last ${HISTORY_WINDOW} matches`;
  return n === 1 ? 'your one match' : `your ${n} matches`;
}

function TrophiesFigure({ points }: { points: TrophyPoint[] }) {
  const played = points.filter((pt) => pt.change !== null).length;
  // The window starts after the account's starting entry: older matches were left out.
  const cut = points.length > 0 && points[0].change !== null;
  return (
    <ChartFigure
      name="trophies"
      title="Trophies over time (ranked)"
      note={played > 0 ? `Your trophy total after each ranked match (${cut ? 'the last ' : ''}${played === 1 ? '1 match' : `${played} matches`}).` : undefined}
      chart={played > 0 ? <TrophyPlot points={points} /> : <p className="empty">No ranked match yet.</p>}
      table={(
        <DataTable<TrophyPoint>
          caption="Trophies over time (ranked)"
          empty="No ranked match yet."
          rows={played > 0 ? points : []}
          columns={[
            { header: 'Date', cell: (r) => dateTimeLabel(r.t) },
            { header: 'Change', cell: (r) => signed(r.change), numeric: true },
            { header: 'Trophies', cell: (r) => r.total, numeric: true },
          ]}
        />
      )}
    />
  );
}

function WinsLossesFigure({ buckets, unit, count }: { buckets: Bucket[]; unit: string; count: number }) {
  const { options, data } = useMemo(() => {
    const p = palette();
    const x = categoryX(p, buckets.map((b) => (unit === 'month' ? b.label : b.label.replace(/^week of /, '').slice(5).split('-').reverse().join('/'))));
    const y = countY(p);
    const bars = [{ series: 1, align: -1 as const, factor: 0.36 }, { series: 2, align: 1 as const, factor: 0.36 }];
    const options: Options = {
      ...baseOptions(),
      scales: { x: x.scale, y: y.scale },
      axes: [x.axis, y.axis],
      series: [{}, barSeries('Wins', p.green, -1), barSeries('Losses', p.red, 1)],
      plugins: [barValuesPlugin(p, bars, (v) => (v > 0 ? String(v) : null))],
    };
    return { options, data: [buckets.map((_, i) => i), buckets.map((b) => b.wins), buckets.map((b) => b.losses)] as uPlot.AlignedData };
  }, [buckets, unit]);
  const played = buckets.filter((b) => b.wins + b.losses > 0);
  return (
    <ChartFigure
      name="wins-losses"
      title="Wins and losses over time"
      note={count > 0 ? `Per ${unit}, ${windowText(count)}, all modes.` : undefined}
      chart={count > 0 ? <UPlotChart options={options} data={data} /> : <p className="empty">No match played yet.</p>}
      table={(
        <DataTable<Bucket>
          caption={`Wins and losses per ${unit}`}
          empty="No match played yet."
          rows={played}
          columns={[
            { header: unit === 'day' ? 'Day' : unit === 'week' ? 'Week' : 'Month', cell: (r) => r.label },
            { header: 'Wins', cell: (r) => r.wins, numeric: true },
            { header: 'Losses', cell: (r) => r.losses, numeric: true },
          ]}
        />
      )}
    />
  );
}

function GoalsFigure({ rows, count }: { rows: ModeGoals[]; count: number }) {
  const { options, data } = useMemo(() => {
    const p = palette();
    const x = categoryX(p, rows.map((r) => modeName(r.mode)));
    const y = countY(p);
    const bars = [{ series: 1, align: -1 as const, factor: 0.36 }, { series: 2, align: 1 as const, factor: 0.36 }];
    const options: Options = {
      ...baseOptions(),
      scales: { x: x.scale, y: y.scale },
      axes: [x.axis, y.axis],
      series: [{}, barSeries('Goals for', p.accent, -1), barSeries('Goals against', p.red, 1)],
      plugins: [barValuesPlugin(p, bars)],
    };
    return { options, data: [rows.map((_, i) => i), rows.map((r) => r.goalsFor), rows.map((r) => r.goalsAgainst)] as uPlot.AlignedData };
  }, [rows]);
  return (
    <ChartFigure
      name="goals"
      title="Goals for and against per mode"
      note={count > 0 ? `Your team's goals and the other team's, ${windowText(count)}.` : undefined}
      chart={rows.length > 0 ? <UPlotChart options={options} data={data} /> : <p className="empty">No match played yet.</p>}
      table={(
        <DataTable<ModeGoals>
          caption="Goals for and against per mode"
          empty="No match played yet."
          rows={rows}
          columns={[
            { header: 'Mode', cell: (r) => modeName(r.mode) },
            { header: 'Matches', cell: (r) => r.matches, numeric: true },
            { header: 'Goals for', cell: (r) => r.goalsFor, numeric: true },
            { header: 'Goals against', cell: (r) => r.goalsAgainst, numeric: true },
          ]}
        />
      )}
    />
  );
}

function WinRateFigure({ rows }: { rows: ModeWinRate[] }) {
  const { options, data } = useMemo(() => {
    const p = palette();
    const x = categoryX(p, rows.map((r) => modeName(r.mode)));
    const options: Options = {
      ...baseOptions(),
      scales: { x: x.scale, y: { range: [0, 100] } },
      axes: [x.axis, axis(p, { incrs: [10, 20, 25, 50], values: (_u, splits) => splits.map((v) => `${v}%`), size: 50 })],
      series: [{}, barSeries('Win rate', p.accent)],
      plugins: [barValuesPlugin(p, [{ series: 1, align: 0, factor: 0.6 }], (v) => `${v}%`, 'no match')],
    };
    return { options, data: [rows.map((_, i) => i), rows.map((r) => r.rate)] as uPlot.AlignedData };
  }, [rows]);
  const any = rows.some((r) => r.played > 0);
  return (
    <ChartFigure
      name="win-rate"
      title="Win rate per mode"
      note={any ? 'Wins out of matches played, since you joined (custom games are not counted).' : undefined}
      chart={any ? <UPlotChart options={options} data={data} /> : <p className="empty">No match played yet.</p>}
      table={(
        <DataTable<ModeWinRate>
          caption="Win rate per mode"
          rows={rows}
          columns={[
            { header: 'Mode', cell: (r) => modeName(r.mode) },
            { header: 'Played', cell: (r) => r.played, numeric: true },
            { header: 'Wins', cell: (r) => r.wins, numeric: true },
            { header: 'Losses', cell: (r) => r.losses, numeric: true },
            { header: 'Win rate', cell: (r) => percent(r.rate), numeric: true },
          ]}
        />
      )}
    />
  );
}

/** The all-time figures that are single numbers, not series: shown as tiles, not charted. */
function Figures({ data }: { data: StatsData }) {
  const row = (mode: string) => data.rows.find((r) => r.game_mode === mode);
  const global = row('global');
  if (!global) return null;
  const tiles: Array<[string, number | string]> = [
    ['Matches played', global.game_played],
    ['Wins', global.wins],
    ['Goals scored', global.scored],
    ['Current streak', global.current_win_streak],
    ['Best streak', global.longest_win_streak],
    ['Tournaments won', row('tournament')?.tournament_wins ?? global.tournament_wins ?? 0],
    ['Own goals', row('clash')?.own_goals ?? global.own_goals ?? 0],
  ];
  return (
    <dl className="pc-figures" aria-label="All-time figures">
      {tiles.map(([label, value]) => (
        <div key={label} className="pc-figure">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Profile → Statistics: figures and four charts, each with its table. Loaded lazily (../charts.tsx). */
export default function StatsCharts({ data, myId }: { data: StatsData; myId: number }) {
  const computed = useMemo(() => ({
    trophies: trophyPoints(data.ranked),
    over: winsLossesOverTime(data.matches, myId),
    goals: goalsPerMode(data.matches, myId),
    rates: winRates(data.rows),
    finished: data.matches.filter((m) => m.finished && m.winner).length,
  }), [data, myId]);
  return (
    <div className="pc-stats">
      <Figures data={data} />
      <div className="pc-grid">
        <TrophiesFigure points={computed.trophies} />
        <WinsLossesFigure buckets={computed.over.buckets} unit={computed.over.unit} count={computed.finished} />
        <GoalsFigure rows={computed.goals} count={computed.finished} />
        <WinRateFigure rows={computed.rates} />
      </div>
    </div>
  );
}

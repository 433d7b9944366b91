import { useEffect, useMemo, useState } from 'react';
import { fetchAllPages } from '../api/client';
import type { RankedEntry } from '../api/types';
import { RankedChart } from './charts';
import { PERIOD_MS, pointLabel, rankedSeries, type Period } from './rankedSeries';

/** Profile → Ranked (registered only): the trophy total over a chosen period. */
export function RankedTab() {
  const [entries, setEntries] = useState<RankedEntry[] | null>(null);
  const [period, setPeriod] = useState<Period>('day');
  useEffect(() => {
    void fetchAllPages<RankedEntry>('/api/users/me/stats/ranked/?limit=100&offset=0').then(setEntries);
  }, []);
  const chart = useMemo(() => {
    if (!entries) return null;
    const now = Date.now();
    const points = rankedSeries(entries, period, now).map((p) => ({ t: p.t, value: p.value, label: pointLabel(p.t, period) }));
    return { points, range: [now - PERIOD_MS[period], now] as [number, number] };
  }, [entries, period]);
  if (!chart) return <p role="status">Loading…</p>;
  return (
    <div>
      <div className="segmented" role="group" aria-label="Period">
        {(['day', 'week', 'month', 'year'] as const).map((p) => (
          <button key={p} type="button" aria-pressed={period === p} onClick={() => setPeriod(p)}>
            Last {p}
          </button>
        ))}
      </div>
      <RankedChart title={`Trophies over the last ${period}`} range={chart.range} points={chart.points} />
    </div>
  );
}

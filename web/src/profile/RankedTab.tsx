import { useEffect, useState } from 'react';
import { fetchAllPages } from '../api/client';
import type { RankedEntry } from '../api/types';
import { LineChart } from './charts';
import { pointLabel, rankedSeries, type Period } from './rankedSeries';

/** Profile → Ranked (registered only). */
export function RankedTab() {
  const [entries, setEntries] = useState<RankedEntry[] | null>(null);
  const [period, setPeriod] = useState<Period>('day');
  useEffect(() => {
    void fetchAllPages<RankedEntry>('/api/users/me/stats/ranked/?limit=100&offset=0').then(setEntries);
  }, []);
  if (!entries) return <p>Loading…</p>;
  const series = rankedSeries(entries, period);
  return (
    <div>
      <div className="segmented" role="group" aria-label="Period">
        {(['day', 'week', 'month', 'year'] as const).map((p) => (
          <button key={p} type="button" aria-pressed={period === p} onClick={() => setPeriod(p)}>
            Last {p}
          </button>
        ))}
      </div>
      <LineChart title={`Trophies over the last ${period}`} points={series.map((p) => ({ x: p.t, y: p.value, label: pointLabel(p.t, period) }))} />
    </div>
  );
}

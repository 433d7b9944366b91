import { useEffect, useState } from 'react';
import { useStore } from '../lib/store';
import { me } from '../session/session';
import { preloadCharts, StatsCharts } from './charts';
import { loadStatsData, type StatsData } from './charts/load';

/**
 * Profile → Statistics (registered only): all-time figures, then trophies over time, wins and
 * losses over time, goals for/against per mode and win rate per mode, each chart with its table.
 * The data is read here while the chart code (uPlot) loads: both in parallel.
 */
export function StatsTab() {
  const user = useStore(me);
  const [data, setData] = useState<StatsData | null>(null);
  const myId = user?.id ?? null;
  useEffect(() => {
    if (myId === null) return;
    let live = true;
    preloadCharts();
    void loadStatsData(myId).then((loaded) => live && setData(loaded));
    return () => {
      live = false;
    };
  }, [myId]);
  if (!data || myId === null) return <p role="status">Loading…</p>;
  return <StatsCharts data={data} myId={myId} />;
}

import { Component, lazy, Suspense, type ComponentProps, type ReactNode } from 'react';

/**
 * The profile's charts, split off the initial bundle: uPlot, its CSS and the chart code
 * (./charts/) are fetched the first time the Ranked or Statistics tab shows a chart.
 */
const StatsChartsLazy = lazy(() => import('./charts/StatsCharts'));
const RankedChartLazy = lazy(() => import('./charts/RankedChart'));

/** Starts fetching the chart code early (e.g. while the tab's data loads). */
export function preloadCharts(): void {
  void import('./charts/StatsCharts');
}

/** A chart that fails to load or draw takes the tab's content, not the whole page, with it. */
class ChartBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    return this.state.failed ? <p className="empty" role="alert">The charts could not be shown. Reload the page to try again.</p> : this.props.children;
  }
}

const loading = <p className="muted" role="status">Loading the charts…</p>;

export function StatsCharts(props: ComponentProps<typeof StatsChartsLazy>) {
  return <ChartBoundary><Suspense fallback={loading}><StatsChartsLazy {...props} /></Suspense></ChartBoundary>;
}

export function RankedChart(props: ComponentProps<typeof RankedChartLazy>) {
  return <ChartBoundary><Suspense fallback={loading}><RankedChartLazy {...props} /></Suspense></ChartBoundary>;
}

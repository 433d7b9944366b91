import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { StatsRow } from '../api/types';
import { BarChart } from './charts';

/** Profile → Statistics (registered only). */
export function StatsTab() {
  const [rows, setRows] = useState<StatsRow[] | null>(null);
  useEffect(() => {
    void api<StatsRow[]>('GET', '/api/users/me/stats/').then((result) => setRows(result.ok ? result.data : []));
  }, []);
  if (!rows) return <p>Loading…</p>;
  return (
    <div className="stats-grid">
      {rows.map((row) => (
        <figure key={row.game_mode} className="stat-card">
          <figcaption>
            <strong className="capitalize">{row.game_mode}</strong> <span className="muted">scored {row.scored}</span>
            {row.own_goals !== undefined && <span className="muted"> · own goals {row.own_goals}</span>}
            {row.tournament_wins !== undefined && <span className="muted"> · tournaments won {row.tournament_wins}</span>}
          </figcaption>
          <BarChart
            title={`${row.game_mode} statistics`}
            bars={[
              { label: 'streak', value: row.current_win_streak },
              { label: 'played', value: row.game_played },
              { label: 'best streak', value: row.longest_win_streak },
              { label: 'wins', value: row.wins },
            ]}
          />
        </figure>
      ))}
    </div>
  );
}

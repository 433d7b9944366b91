import type { ActivityFigures as Figures } from '../../api/types';

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** "12 online · 6 playing · 3 live matches · 1 open tournament". */
export function ActivityFigures({ figures }: { figures: Figures | null }) {
  if (!figures) return <p className="activity-figures muted" aria-busy="true">Counting who is around…</p>;
  const parts = [
    { key: 'online', text: `${figures.online} online` },
    { key: 'playing', text: `${figures.playing} playing` },
    { key: 'live', text: plural(figures.live_matches, 'live match', 'live matches') },
    { key: 'tournaments', text: plural(figures.open_tournaments, 'open tournament', 'open tournaments') },
  ];
  return (
    <ul className="activity-figures" aria-label="Right now" data-testid="activity-figures">
      {parts.map((part) => (
        <li key={part.key} data-testid={`figure-${part.key}`}>{part.text}</li>
      ))}
    </ul>
  );
}

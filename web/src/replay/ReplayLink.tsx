import { Link } from '../lib/router';

/**
 * "Replay" of a finished match (`label` for another wording); `of` names the match for screen readers when
 * several links sit side by side.
 */
export function ReplayLink({ matchId, of, label = 'Replay' }: { matchId: number; of?: string; label?: string }) {
  return (
    <Link href={`/replay/${matchId}`} className="button replay-link">
      {label}{of && <span className="visually-hidden"> {of}</span>}
    </Link>
  );
}

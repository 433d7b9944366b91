import { Link } from '../lib/router';

/**
 * "Replay" of a finished match (`label` for another wording); `of` names the match for screen readers when
 * several links sit side by side.
 */
/** `replace`: from a page that is over once left (a finished game): Back from the replay goes to the page before it. */
export function ReplayLink({ matchId, of, label = 'Replay', replace }: { matchId: number; of?: string; label?: string; replace?: boolean }) {
  return (
    <Link href={`/replay/${matchId}`} className="button replay-link" replace={replace}>
      {label}{of && <span className="visually-hidden"> {of}</span>}
    </Link>
  );
}

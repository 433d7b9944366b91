import { Link } from '../lib/router';

/** "Replay" of a finished match; `of` names the match for screen readers when several links sit side by side. */
export function ReplayLink({ matchId, of }: { matchId: number; of?: string }) {
  return (
    <Link href={`/replay/${matchId}`} className="button replay-link">
      Replay{of && <span className="visually-hidden"> {of}</span>}
    </Link>
  );
}

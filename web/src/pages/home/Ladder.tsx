import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { LadderEntry, Page } from '../../api/types';
import { useStore } from '../../lib/store';
import { identity, me } from '../../session/session';
import { PlayerLink } from '../../profile/PlayerLink';

const TOP = 10;
const AROUND = 5;

interface LadderView {
  top: LadderEntry[];
  /** The page around the caller when he is below the top; null when he is in it or not on the ladder. */
  around: LadderEntry[] | null;
  /** A registered user the ladder does not show yet (docs/api.md: it may be a second behind). */
  missing: boolean;
}

async function loadLadder(myId: number | null): Promise<LadderView | null> {
  const top = await api<Page<LadderEntry>>('GET', `/api/users/leaderboard/?limit=${TOP}`);
  if (!top.ok) return null;
  const inTop = myId !== null && top.data.results.some((entry) => entry.id === myId);
  if (myId === null || inTop) return { top: top.data.results, around: null, missing: false };
  const around = await api<Page<LadderEntry>>('GET', `/api/users/leaderboard/?around=me&limit=${AROUND}`);
  if (!around.ok) return { top: top.data.results, around: null, missing: around.status === 404 };
  const found = around.data.results.some((entry) => entry.id === myId);
  return { top: top.data.results, around: found ? around.data.results : null, missing: !found };
}

function LadderRows({ entries, myId, label }: { entries: LadderEntry[]; myId: number | null; label: string }) {
  return (
    <ol className="list ladder-list" aria-label={label}>
      {entries.map((entry) => (
        <li key={entry.id} className={`ladder-row ${entry.id === myId ? 'mine' : ''}`} data-testid={entry.id === myId ? 'ladder-me' : undefined} aria-current={entry.id === myId ? 'true' : undefined}>
          <span className="ladder-rank">#{entry.rank}</span>
          <PlayerLink player={entry} viewerId={myId} />
          <span className="ladder-trophies">{entry.trophies} trophies</span>
        </li>
      ))}
    </ol>
  );
}

/** The ladder's top, and a registered user's own place; read on load and when the identity changes. */
export function Ladder() {
  const user = useStore(me);
  const session = useStore(identity);
  const myId = user && !user.is_guest ? user.id : null;
  const [view, setView] = useState<LadderView | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let alive = true;
    setView(null);
    setFailed(false);
    void loadLadder(myId).then((loaded) => {
      if (!alive) return;
      if (loaded) setView(loaded);
      else setFailed(true);
    });
    return () => {
      alive = false;
    };
  }, [myId, session]);

  const mine = view && myId !== null ? [...view.top, ...(view.around ?? [])].find((entry) => entry.id === myId) : undefined;
  return (
    <section className="home-panel ladder" aria-labelledby="ladder-title">
      <h2 id="ladder-title">Ladder</h2>
      {failed ? (
        <p className="empty">The ladder cannot be shown right now.</p>
      ) : !view ? (
        <p className="muted" aria-busy="true">Loading the ladder…</p>
      ) : (
        <>
          {view.top.length === 0 ? <p className="empty">Nobody is on the ladder yet: win a ranked game to be the first.</p> : <LadderRows entries={view.top} myId={myId} label="Top players" />}
          {myId === null && <p className="muted" data-testid="ladder-guest">Guests are not on the ladder: register to join it.</p>}
          {mine && <p data-testid="ladder-place">You are <strong>#{mine.rank}</strong> with {mine.trophies} trophies.</p>}
          {view.around && (
            <>
              <h3>Your place</h3>
              <LadderRows entries={view.around} myId={myId} label="Around you" />
            </>
          )}
          {view.missing && <p className="muted">You will appear on the ladder in a moment.</p>}
        </>
      )}
    </section>
  );
}

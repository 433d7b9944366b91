import { useEffect, useRef, useState } from 'react';
import { CloseCodes } from '@shared/protocol.js';
import { navigate } from '../lib/router';
import { storedLobbyCode, storedTournamentCode } from '../lib/storage';
import { useStore } from '../lib/store';
import { EndModal } from '../game/EndModal';
import { OnlineMatch, type EndSummary, type GameOver } from '../game/OnlineMatch';
import { BACK_AFTER_MS } from './GamePage';
import { on } from '../session/events';
import { me } from '../session/session';
import { showAlert } from '../ui/alerts';

/** A match that was just created may take a moment to be served; a code that stays unknown is refused for good. */
const NOT_FOUND_RETRIES = 3;
const RETRY_DELAY_MS = 600;

/** Where a spectator came from: the lobby's bench, the tournament's bracket, or nowhere in particular. */
const origin = () => (storedTournamentCode.load() ? '/tournament' : storedLobbyCode.load() ? '/lobby' : '/');

/** Watching a match (`/spectate/<code>`). */
export function SpectatePage({ code }: { code: string }) {
  const user = useStore(me);
  const [over, setOver] = useState<{ over: GameOver; summary: EndSummary } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const timers = useRef<Array<ReturnType<typeof setTimeout>>>([]);
  const later = (fn: () => void, ms: number) => timers.current.push(setTimeout(fn, ms));
  useEffect(() => {
    // The end of the tournament whose match this is (its final) goes to `/` (the toast comes from the notifications).
    const off = on('tournament-finish', () => {
      if (!storedTournamentCode.load()) return;
      storedTournamentCode.clear();
      // The final's `game_over` may still be on its way: leave once it has had time to be seen.
      later(() => navigate('/'), BACK_AFTER_MS + 2000);
    });
    return () => {
      off();
      for (const timer of timers.current) clearTimeout(timer);
    };
  }, []);
  if (!user) return null;
  const back = () => navigate(origin());
  return (
    <section className="page">
      <OnlineMatch
        key={`${code}:${attempt}`}
        match={null}
        myId={user.id}
        spectateCode={code}
        onOver={(payload, _won, summary) => {
          setOver({ over: payload, summary });
          if (origin() !== '/') later(back, BACK_AFTER_MS);
        }}
        onRefused={(reason, closeCode) => {
          if (closeCode === CloseCodes.notFound && attempt < NOT_FOUND_RETRIES) {
            later(() => setAttempt((n) => n + 1), RETRY_DELAY_MS);
            return;
          }
          showAlert(`Unable to spectate match ${code}${reason ? `: ${reason.replace(/\.$/, '')}` : ''}.`, 'error');
          back();
        }}
        onDropped={back}
      />
      {over && (
        <EndModal over={over.over} summary={over.summary} matchId={over.over.match_id}>
          <button type="button" className="primary" onClick={back}>{origin() === '/' ? 'Quit' : 'Back'}</button>
        </EndModal>
      )}
    </section>
  );
}

import { useEffect, useRef, useState } from 'react';
import { navigate } from '../lib/router';
import { storedLobbyCode, storedTournamentCode } from '../lib/storage';
import { useStore } from '../lib/store';
import { EndModal } from '../game/EndModal';
import { OnlineMatch, type GameOver } from '../game/OnlineMatch';
import { on } from '../session/events';
import { me } from '../session/session';
import { showAlert } from '../ui/alerts';

/** web-client.md §14. */
export function SpectatePage({ code }: { code: string }) {
  const user = useStore(me);
  const [over, setOver] = useState<GameOver | null>(null);
  const backTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    // §15.4: the end of the tournament whose match this is (its final) goes to `/` (the toast comes from the notifications).
    const off = on('tournament-finish', () => {
      if (!storedTournamentCode.load()) return;
      storedTournamentCode.clear();
      navigate('/');
    });
    return () => {
      off();
      if (backTimer.current) clearTimeout(backTimer.current);
    };
  }, []);
  if (!user) return null;
  const back = () => navigate(storedTournamentCode.load() ? '/tournament' : storedLobbyCode.load() ? '/lobby' : '/');
  return (
    <section className="page">
      <OnlineMatch
        key={code}
        match={null}
        myId={user.id}
        spectateCode={code}
        onOver={(payload) => {
          setOver(payload);
          if (storedTournamentCode.load() || storedLobbyCode.load()) backTimer.current = setTimeout(back, 3000);
        }}
        onRefused={(reason) => {
          showAlert(`Unable to spectate match ${code}${reason ? `: ${reason}` : ''}.`, 'error');
          navigate('/');
        }}
        onDropped={() => navigate('/')}
      />
      {over && (
        <EndModal over={over} won={false} match={null} spectator>
          <button type="button" className="primary" onClick={back}>Quit</button>
        </EndModal>
      )}
    </section>
  );
}

import { useState } from 'react';
import { navigate } from '../lib/router';
import { storedLobbyCode, storedTournamentCode } from '../lib/storage';
import { useStore } from '../lib/store';
import { EndModal } from '../game/EndModal';
import { OnlineMatch, type GameOver } from '../game/OnlineMatch';
import { me } from '../session/session';
import { showAlert } from '../ui/alerts';

/** web-client.md §14. */
export function SpectatePage({ code }: { code: string }) {
  const user = useStore(me);
  const [over, setOver] = useState<GameOver | null>(null);
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
          if (storedTournamentCode.load() || storedLobbyCode.load()) setTimeout(back, 3000);
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

import { useId, useState, type FormEvent } from 'react';
import { api, errorText } from '../api/client';
import { useSingleFlight } from '../lib/useSingleFlight';
import { navigate } from '../lib/router';
import { useStore } from '../lib/store';
import { PlayComputer } from '../play/PlayComputer';
import { me } from '../session/session';
import { Modal } from '../ui/Modal';
import { ActivityFigures } from './home/ActivityFigures';
import { Ladder } from './home/Ladder';
import { LiveMatches } from './home/LiveMatches';
import { useActivity } from './home/useActivity';

type Mode = 'local' | 'duel' | 'ranked' | 'clash' | 'custom_game' | 'tournament';

const MODES: Array<{ value: Mode; label: string; description: string }> = [
  { value: 'local', label: 'Local', description: 'Two players on one keyboard, or you against the bot.' },
  { value: 'duel', label: 'Duel', description: 'A 1v1 against the next player looking for a game.' },
  { value: 'ranked', label: 'Ranked', description: 'A 1v1 for trophies against a player of your level.' },
  { value: 'clash', label: 'Clash', description: 'A 3v3 battle: bring two friends.' },
  { value: 'custom_game', label: 'Custom Game', description: 'Your own 1v1 or 3v3 with friends and spectators.' },
  { value: 'tournament', label: 'Tournament', description: 'Create or join a 4 or 8 player tournament.' },
];

const isCode = (code: string) => /^\d{4}$/.test(code);
const touchOnly = () => window.matchMedia?.('(hover: none) and (pointer: coarse)').matches ?? false;

/** Guests cannot create lobbies: they type the code of one. */
function LobbyCodeDialog({ onClose }: { onClose: () => void }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!isCode(code)) setError('The lobby code is 4 digits.');
    else navigate(`/lobby/${code}`);
  };
  return (
    <Modal title="Join a lobby" onClose={onClose}>
      <form onSubmit={submit} className="inline-form">
        <label htmlFor={id}>Lobby code</label>
        <input id={id} inputMode="numeric" maxLength={4} value={code} onChange={(event) => setCode(event.target.value)} autoFocus />
        {error && <p className="field-error">{error}</p>}
        <button type="submit" className="primary">Join</button>
      </form>
    </Modal>
  );
}

/** A code entry to watch a running 1v1 match. */
function SpectateForm() {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  return (
    <form
      className="inline-form spectate-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!isCode(code)) setError('A match code is 4 digits.');
        else navigate(`/spectate/${code}`);
      }}
    >
      <label htmlFor={id}>Watch a match (match code)</label>
      <div className="row">
        <input id={id} inputMode="numeric" maxLength={4} value={code} onChange={(event) => setCode(event.target.value)} />
        <button type="submit">Spectate</button>
      </div>
      {error && <p className="field-error">{error}</p>}
    </form>
  );
}

/** The home page (`/`). */
export function HomePage() {
  const user = useStore(me);
  const [mode, setMode] = useState<Mode>('duel');
  const [askCode, setAskCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const activity = useActivity();
  const name = useId();
  const guest = user?.is_guest !== false;
  const hideLobbies = touchOnly();
  const modes = MODES.filter((m) => !(guest && m.value === 'ranked') && !(hideLobbies && (m.value === 'clash' || m.value === 'custom_game')));

  const once = useSingleFlight();
  async function play(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (mode === 'local') return navigate('/game/local');
    if (mode === 'duel' || mode === 'ranked') return navigate(`/game/${mode}`);
    if (mode === 'tournament') return navigate('/tournament');
    if (guest) return setAskCode(true);
    // A double click creates one lobby, not two.
    await once(async () => {
      const result = await api<{ code: string }>('POST', '/api/play/lobby/', { game_mode: mode });
      if (result.ok && result.data?.code) navigate(`/lobby/${result.data.code}`);
      else setError(errorText(result, ['game_mode'], 'Unable to create the lobby.'));
    });
  }

  return (
    <section className="page home">
      <div className="home-main">
        <h1>Play Pong</h1>
        <ActivityFigures figures={activity.figures} />
        <form onSubmit={play} className="mode-form">
          <fieldset className="modes">
            <legend>Game mode</legend>
            {modes.map((m) => (
              <label key={m.value} className={`mode-card ${mode === m.value ? 'selected' : ''}`}>
                <input type="radio" name={name} value={m.value} checked={mode === m.value} onChange={() => setMode(m.value)} />
                <span className="mode-title">{m.label}</span>
                <span className="mode-text">{m.description}</span>
              </label>
            ))}
          </fieldset>
          {error && <p className="field-error">{error}</p>}
          <button type="submit" className="primary big" data-testid="play">
            Play
          </button>
        </form>
        <PlayComputer />
        <SpectateForm />
      </div>
      {/* What is going on: beside the play actions on a wide screen, below them on a narrow one. */}
      <aside className="home-side" aria-label="On Pong now">
        <LiveMatches live={activity.live} liveCount={activity.figures?.live_matches ?? 0} />
        <Ladder />
      </aside>
      {askCode && <LobbyCodeDialog onClose={() => setAskCode(false)} />}
    </section>
  );
}

import { useEffect, useRef, useState } from 'react';
import { api, errorText } from '../api/client';
import type { LiveEvent, MatchObject } from '../api/types';
import { navigate, setLeaveGuard } from '../lib/router';
import { storedGameEvent, storedTournamentCode } from '../lib/storage';
import { useStore } from '../lib/store';
import { EndModal } from '../game/EndModal';
import { OnlineMatch, type GameOver } from '../game/OnlineMatch';
import { on, setGameStartHandler, streamReady } from '../session/events';
import { me, reloadMe } from '../session/session';
import { showAlert } from '../ui/alerts';
import { Spinner } from '../ui/bits';

export type OnlineMode = 'duel' | 'ranked' | 'tournament' | '1v1' | '3v3';

/** Which stored `game-start` events a game page may resume (§12.5). */
export function eventFitsMode(match: MatchObject, mode: OnlineMode): boolean {
  switch (mode) {
    case 'duel':
    case 'ranked':
    case 'tournament':
      return match.game_mode === mode;
    case '1v1':
      return match.game_mode === 'custom_game' && match.match_type === '1v1';
    case '3v3':
      return match.match_type === '3v3';
  }
}

const queued = (mode: OnlineMode): mode is 'duel' | 'ranked' => mode === 'duel' || mode === 'ranked';
const homeOf = (mode: OnlineMode) =>
  mode === 'tournament' ? `/tournament/${storedTournamentCode.load() ?? ''}`.replace(/\/$/, '') : mode === '1v1' || mode === '3v3' ? '/lobby' : '/';

function storedMatch(mode: OnlineMode): MatchObject | null {
  const event = storedGameEvent.load() as LiveEvent<MatchObject> | null;
  return event?.data && eventFitsMode(event.data, mode) ? event.data : null;
}

type Phase =
  | { kind: 'searching' }
  | { kind: 'waiting' }
  | { kind: 'error'; text: string }
  | { kind: 'playing'; match: MatchObject }
  | { kind: 'over'; match: MatchObject; over: GameOver; won: boolean };

/** Matchmaking then the game (web-client.md §11, §12, §13), or the game of a lobby or tournament. */
function OnlineGame({ mode, myId, onPlayAgain }: { mode: OnlineMode; myId: number; onPlayAgain: () => void }) {
  const [phase, setPhase] = useState<Phase>(() => {
    const match = storedMatch(mode);
    if (match) return { kind: 'playing', match };
    return queued(mode) ? { kind: 'searching' } : { kind: 'waiting' };
  });

  useEffect(() => {
    const release = setGameStartHandler((event: LiveEvent<MatchObject>) => {
      if (!eventFitsMode(event.data, mode)) return;
      storedGameEvent.save(event);
      setPhase({ kind: 'playing', match: event.data });
    });
    let cancelled = false;
    if (queued(mode) && phase.kind === 'searching') {
      void (async () => {
        await streamReady();
        if (cancelled) return;
        const result = await api('POST', `/api/play/${mode}/`);
        if (cancelled || result.ok) return;
        const resumable = storedMatch(mode);
        setPhase(resumable ? { kind: 'playing', match: resumable } : { kind: 'error', text: errorText(result, [], 'Unable to join the queue.') });
      })();
    } else if (!queued(mode) && phase.kind === 'waiting' && mode !== '3v3') {
      showAlert('Not allowed: this game can only be reached from its lobby or tournament.', 'error');
      navigate(homeOf(mode), { replace: true });
    }
    return () => {
      cancelled = true;
      release();
      if (queued(mode)) void api('DELETE', `/api/play/${mode}/`);
    };
    // The queue is joined once per mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode]);

  // The way back after the end screen; cancelled when the page goes away first.
  const backTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (backTimer.current) clearTimeout(backTimer.current);
  }, []);
  // §12.7: `tournament-finish` on /game/tournament goes to `/` (the toast comes from the notifications).
  useEffect(() => {
    if (mode !== 'tournament') return;
    return on('tournament-finish', () => {
      storedTournamentCode.clear();
      storedGameEvent.clear();
      setLeaveGuard(null);
      navigate('/', { force: true });
    });
  }, [mode]);

  const playing = phase.kind === 'playing';
  useEffect(() => {
    setLeaveGuard(playing ? 'Leaving now abandons the current game.' : null);
    return () => setLeaveGuard(null);
  }, [playing]);

  if (phase.kind === 'searching' || phase.kind === 'waiting' || phase.kind === 'error') {
    return (
      <section className="page center">
        <h1>{mode === 'ranked' ? 'Ranked' : mode === 'duel' ? 'Duel' : 'Game'}</h1>
        {phase.kind === 'error' ? (
          <p className="field-error" data-testid="queue-error">{phase.text}</p>
        ) : (
          <Spinner label={phase.kind === 'searching' ? 'Waiting for an opponent…' : 'Waiting for the game to start…'} />
        )}
        <button type="button" onClick={() => navigate(homeOf(mode))}>
          Cancel
        </button>
      </section>
    );
  }

  const match = phase.match;
  const finish = (over: GameOver, won: boolean) => {
    storedGameEvent.clear();
    setLeaveGuard(null);
    setPhase({ kind: 'over', match, over, won });
    if (mode === 'ranked') void reloadMe();
    if (!queued(mode)) backTimer.current = setTimeout(() => navigate(homeOf(mode)), 3000);
  };
  return (
    <section className="page">
      <OnlineMatch
        key={match.id}
        match={match}
        myId={myId}
        onOver={finish}
        onRefused={() => {
          storedGameEvent.clear();
          setLeaveGuard(null);
          if (queued(mode)) onPlayAgain();
          else navigate(homeOf(mode), { force: true });
        }}
        onDropped={(reason) => {
          setLeaveGuard(null);
          if (!queued(mode)) navigate(homeOf(mode), { force: true });
          else finish({ reason: reason || 'connection lost', winner: null, team_a: 0, team_b: 0 }, false);
        }}
      />
      {phase.kind === 'over' && (
        <EndModal over={phase.over} won={phase.won} match={match}>
          {queued(mode) && (
            <>
              <button type="button" onClick={() => navigate('/')}>Quit</button>
              <button type="button" className="primary" onClick={onPlayAgain}>Play again</button>
            </>
          )}
        </EndModal>
      )}
    </section>
  );
}

export function GamePage({ mode }: { mode: OnlineMode }) {
  const user = useStore(me);
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (user?.is_guest && mode === 'ranked') {
      showAlert('Not allowed: guests cannot play ranked games.', 'error');
      navigate('/', { replace: true });
    }
  }, [user, mode]);
  if (!user || (user.is_guest && mode === 'ranked')) return null;
  return <OnlineGame key={`${mode}:${round}:${user.id}`} mode={mode} myId={user.id} onPlayAgain={() => setRound((n) => n + 1)} />;
}

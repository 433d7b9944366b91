import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { api, errorText } from '../api/client';
import type { LiveEvent, MatchObject } from '../api/types';
import { navigate, setLeaveGuard } from '../lib/router';
import { storedGameEvent, storedTournamentCode } from '../lib/storage';
import { useStore } from '../lib/store';
import { gameOverOf, recordedMatch, tournamentNextStep, trophyLine } from '../game/afterMatch';
import { EndModal } from '../game/EndModal';
import { OnlineMatch, type EndSummary, type GameOver } from '../game/OnlineMatch';
import { on, streamReady } from '../session/events';
import { latestGameStart } from '../session/gameStarts';
import { me, reloadMe } from '../session/session';
import { computerGameOf, computerIdOf, preferredLevel, startComputerGame, withComputerName, type ComputerLevel } from '../play/computer';
import { ComputerOffer } from '../play/ComputerOffer';
import { showAlert } from '../ui/alerts';
import { Spinner } from '../ui/bits';

export type OnlineMode = 'duel' | 'ranked' | 'tournament' | '1v1' | '3v3' | 'computer';

/** How long the end screen of a lobby or tournament game stays before going back there. */
export const BACK_AFTER_MS = 3000;
/** After `tournament-finish`, how long the final's page waits for its `game_over` before going home anyway. */
const FINAL_RESULT_WAIT_MS = 5000;

/** Which stored `game-start` events a game page may resume. */
export function eventFitsMode(match: MatchObject, mode: OnlineMode): boolean {
  // A game against the computer belongs to the page that asked for it (the duel page plays one while it searches).
  const computer = computerGameOf(match);
  if (computer) return computer.host === `/game/${mode}`;
  switch (mode) {
    case 'duel':
    case 'ranked':
    case 'tournament':
      return match.game_mode === mode;
    case '1v1':
      return match.game_mode === 'custom_game' && match.match_type === '1v1';
    case '3v3':
      return match.match_type === '3v3';
    case 'computer':
      return false;
  }
}

const queued = (mode: OnlineMode): mode is 'duel' | 'ranked' => mode === 'duel' || mode === 'ranked';
/** The pages that start their game themselves (a queue, or the computer), and offer to play again. */
const ownGame = (mode: OnlineMode) => queued(mode) || mode === 'computer';
const homeOf = (mode: OnlineMode) =>
  mode === 'tournament' ? `/tournament/${storedTournamentCode.load() ?? ''}`.replace(/\/$/, '') : mode === '1v1' || mode === '3v3' ? '/lobby' : '/';
const TITLES: Record<OnlineMode, string> = { duel: 'Duel', ranked: 'Ranked', computer: 'Computer', tournament: 'Game', '1v1': 'Game', '3v3': 'Game' };

function storedMatch(mode: OnlineMode): MatchObject | null {
  const event = storedGameEvent.load() as LiveEvent<MatchObject> | null;
  return event?.data && eventFitsMode(event.data, mode) ? event.data : null;
}

type Phase =
  | { kind: 'searching' }
  | { kind: 'waiting' }
  | { kind: 'error'; text: string }
  | { kind: 'playing'; match: MatchObject }
  | { kind: 'over'; match: MatchObject; over: GameOver; won: boolean; summary: EndSummary };

/** The summary of a match read back from the API (a player who returns after it ended). */
function summaryOf(match: MatchObject, myId: number): EndSummary {
  const names = { a: match.teams.a.players.map((p) => p.username ?? 'a player'), b: match.teams.b.players.map((p) => p.username ?? 'a player') };
  const all = [...match.teams.a.players, ...match.teams.b.players];
  const teamOf = (id: number) => (match.teams.a.players.some((p) => p.id === id) ? 'a' : match.teams.b.players.some((p) => p.id === id) ? 'b' : null);
  return {
    names,
    myTeam: teamOf(myId),
    myId,
    teamOf,
    // As the live game names everybody (playerNames.ts): the end texts say "you" themselves, and the score line leaves his name out by it.
    nameOf: (id) => all.find((p) => p.id === id)?.username ?? 'a player',
    scoreWhenLeft: match.field_score ?? null,
  };
}

/** The line under the result: the trophy change in ranked, the next step in a tournament, the way back from a lobby. */
function useAfterword(phase: Phase, mode: OnlineMode, myId: number): ReactNode {
  const [text, setText] = useState<string | null>(null);
  const overId = phase.kind === 'over' ? phase.match.id : null;
  const won = phase.kind === 'over' && phase.won;
  const over = phase.kind === 'over' ? phase.over : null;
  const computerLeft = phase.kind === 'over' && over?.forfeited_by != null && over.forfeited_by === computerIdOf(phase.match, myId);
  useEffect(() => {
    setText(null);
    if (overId === null) return;
    let live = true;
    if (mode === 'duel' && phase.kind === 'over' && computerGameOf(phase.match)) {
      setText(computerLeft ? 'Somebody was found: your duel starts now.' : 'Still looking for an opponent for your duel…');
    } else if (mode === 'ranked') {
      const before = phase.kind === 'over' ? [...phase.match.teams.a.players, ...phase.match.teams.b.players].find((p) => p.id === myId)?.trophies : undefined;
      void reloadMe().then((after) => trophyLine(myId, overId, after?.trophies, before)).then((line) => live && setText(line));
    }
    else if (mode === 'tournament') void tournamentNextStep(myId, won).then((line) => live && setText(line));
    else if (mode === '1v1' || mode === '3v3') setText('Back to the lobby in a moment.');
    return () => {
      live = false;
    };
    // The phase is read only for its match, which `overId` follows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [overId, won, mode, myId, computerLeft]);
  return text ? <p className="afterword" data-testid="afterword">{text}</p> : null;
}

/** Matchmaking then the game, or the game of a lobby or tournament. */
function OnlineGame({ mode, myId, onPlayAgain }: { mode: OnlineMode; myId: number; onPlayAgain: () => void }) {
  const [phase, setPhase] = useState<Phase>(() => {
    const match = storedMatch(mode);
    if (match) return { kind: 'playing', match };
    return ownGame(mode) ? { kind: 'searching' } : { kind: 'waiting' };
  });
  // A duel search offers the computer once it has lasted OFFER_AFTER_MS (play/ComputerOffer.tsx).
  const searchSince = useRef(Date.now());
  // The way back after the end screen. It belongs to the match that ended: a new match, or leaving the page, cancels it.
  const backTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const cancelBack = () => {
    if (backTimer.current) clearTimeout(backTimer.current);
    backTimer.current = null;
  };
  const goBackSoon = (to: string) => {
    cancelBack();
    backTimer.current = setTimeout(() => navigate(to), BACK_AFTER_MS);
  };
  useEffect(() => cancelBack, []);

  // The next match of this page's kind (a tournament's next round, a lobby's next game) replaces the one shown.
  useEffect(() => latestGameStart.subscribe(() => {
    const event = latestGameStart.get();
    if (!event || !eventFitsMode(event.data, mode)) return;
    cancelBack();
    setPhase((current) => (current.kind === 'playing' && current.match.id === event.data.id ? current : { kind: 'playing', match: event.data }));
  }), [mode]);

  useEffect(() => {
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
    } else if (mode === 'computer' && phase.kind === 'searching') {
      void (async () => {
        await streamReady();
        if (cancelled) return;
        const result = await startComputerGame(preferredLevel(), '/game/computer');
        if (cancelled) return;
        // Its `game-start` may have put the game on screen already.
        if (result.ok) setPhase((current) => (current.kind === 'searching' ? { kind: 'playing', match: result.data } : current));
        else setPhase({ kind: 'error', text: errorText(result, ['level'], 'Unable to start a game against the computer.') });
      })();
    } else if (!ownGame(mode) && phase.kind === 'waiting' && mode !== '3v3') {
      showAlert('Not allowed: this game can only be reached from its lobby or tournament.', 'error');
      navigate(homeOf(mode), { replace: true });
    }
    return () => {
      cancelled = true;
      if (queued(mode)) void api('DELETE', `/api/play/${mode}/`);
    };
    // The queue is joined once per mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode]);

  // The end of the tournament goes to `/` (the toast comes from the notifications), after the final's end screen.
  // The final's `game_over` may arrive a moment after `tournament-finish`: while the final is still on screen,
  // wait for it (a few seconds at most) rather than leave before the player has seen how it ended.
  const tournamentOver = useRef(false);
  const showingEnd = phase.kind === 'over';
  useEffect(() => {
    if (mode !== 'tournament') return;
    return on('tournament-finish', () => {
      storedTournamentCode.clear();
      tournamentOver.current = true;
      if (showingEnd) return goBackSoon('/');
      cancelBack();
      backTimer.current = setTimeout(() => {
        storedGameEvent.clear();
        setLeaveGuard(null);
        navigate('/', { force: true });
      }, FINAL_RESULT_WAIT_MS);
    });
    // goBackSoon and cancelBack only touch the ref.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode, showingEnd]);

  /** Another tab of his plays this game now: leaving this page abandons nothing. */
  const [elsewhere, setElsewhere] = useState(false);
  const playing = phase.kind === 'playing' && !elsewhere;
  // Set before the game is painted: a click on Home as soon as the match shows must already ask.
  useLayoutEffect(() => {
    // Leaving on purpose is final: opening the site again does not take him back to the game (a closed tab does).
    setLeaveGuard(playing ? 'Leaving now abandons the current game: 10 seconds after you leave, it is lost.' : null, () => storedGameEvent.clear());
    return () => setLeaveGuard(null);
  }, [playing]);

  const afterword = useAfterword(phase, mode, myId);

  /** The duel page's game against the computer while the search goes on; answers an error text, or null once it is on. */
  const playComputer = async (level: ComputerLevel): Promise<string | null> => {
    const result = await startComputerGame(level, '/game/duel');
    if (!result.ok) return errorText(result, ['level'], 'Unable to start a game against the computer.');
    setPhase((current) => (current.kind === 'searching' || current.kind === 'over' ? { kind: 'playing', match: result.data } : current));
    return null;
  };

  if (phase.kind === 'searching' || phase.kind === 'waiting' || phase.kind === 'error') {
    const waiting = mode === 'computer' ? 'Starting a game against the computer…' : phase.kind === 'searching' ? 'Waiting for an opponent…' : 'Waiting for the game to start…';
    return (
      <section className="page center">
        <h1>{TITLES[mode]}</h1>
        {phase.kind === 'error' ? (
          <p className="field-error" data-testid="queue-error">{phase.text}</p>
        ) : (
          <Spinner label={waiting} />
        )}
        {mode === 'duel' && phase.kind === 'searching' && <ComputerOffer since={searchSince.current} onAccept={playComputer} />}
        <button type="button" onClick={() => navigate(homeOf(mode))}>
          Cancel
        </button>
      </section>
    );
  }

  // A game against the computer names it by its level rather than its bot account (play/computer.ts).
  const match = withComputerName(phase.match, myId);
  const practice = computerGameOf(match);
  /** A game against the computer that the duel page plays while it searches. */
  const whileSearching = mode === 'duel' && practice !== null;
  const finish = (over: GameOver, won: boolean, summary: EndSummary) => {
    // The end of a game this page no longer shows: a newer match of the page (the duel found while the computer
    // was being played, a tournament's next round) came first and is about to replace it. Its end screen would hide that match.
    const next = latestGameStart.get()?.data;
    if (next && next.id > match.id && eventFitsMode(next, mode)) return;
    storedGameEvent.clear();
    setLeaveGuard(null);
    setPhase({ kind: 'over', match, over, won, summary });
    if (!ownGame(mode)) goBackSoon(tournamentOver.current ? '/' : homeOf(mode));
  };
  /** The game is gone from the server: it ended while we were away (a reload, a lost connection). Show how it was recorded. */
  const endedWhileAway = async (otherwise: () => void) => {
    const recorded = await recordedMatch(myId, match.id);
    if (!recorded) return otherwise();
    const summary = summaryOf({ ...match, ...recorded, teams: { a: { ...recorded.teams.a, players: match.teams.a.players }, b: { ...recorded.teams.b, players: match.teams.b.players } } }, myId);
    const over = gameOverOf(recorded);
    finish(over, recorded.winner === summary.myTeam, summary);
  };
  const duelFound = phase.kind === 'over' && whileSearching && phase.over.forfeited_by != null && phase.over.forfeited_by === computerIdOf(match, myId);
  return (
    <section className="page">
      {whileSearching && phase.kind === 'playing' && (
        <p className="searching-note" role="status" data-testid="still-searching">
          Still looking for an opponent — your duel starts as soon as somebody is found.
        </p>
      )}
      <OnlineMatch
        key={match.id}
        match={match}
        myId={myId}
        onOver={finish}
        onRefused={() => {
          setLeaveGuard(null);
          void endedWhileAway(() => {
            storedGameEvent.clear();
            if (whileSearching) setPhase({ kind: 'searching' });
            else if (mode === 'computer') setPhase({ kind: 'error', text: 'The game against the computer could not be joined. Please try again.' });
            else if (queued(mode)) onPlayAgain();
            else navigate(homeOf(mode), { force: true });
          });
        }}
        onElsewhere={setElsewhere}
        onDropped={(reason) => {
          setLeaveGuard(null);
          void endedWhileAway(() => {
            if (!ownGame(mode)) navigate(homeOf(mode), { force: true });
            else finish({ reason: reason || 'connection lost', winner: null, team_a: 0, team_b: 0, forfeited_by: null }, false, summaryOf(match, myId));
          });
        }}
      />
      {phase.kind === 'over' && (
        <EndModal over={phase.over} summary={phase.summary} extra={afterword} matchId={phase.over.match_id}>
          {whileSearching ? (
            !duelFound && (
              <>
                <button type="button" onClick={() => navigate('/')}>Stop searching</button>
                <button type="button" onClick={() => setPhase({ kind: 'searching' })}>Keep waiting</button>
                <button type="button" className="primary" onClick={() => void playComputer(practice.level).then((error) => error && showAlert(error, 'error'))}>
                  Play the computer again
                </button>
              </>
            )
          ) : (
            ownGame(mode) && (
              <>
                <button type="button" onClick={() => navigate('/')}>Quit</button>
                <button type="button" className="primary" onClick={onPlayAgain}>Play again</button>
              </>
            )
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

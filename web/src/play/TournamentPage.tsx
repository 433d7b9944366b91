import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, errorText } from '../api/client';
import type { LiveEvent, Tournament, TournamentSearchItem } from '../api/types';
import { fixUrl, navigate } from '../lib/router';
import { storedGameEvent, storedTournamentCode } from '../lib/storage';
import { useStore } from '../lib/store';
import { on } from '../session/events';
import { me } from '../session/session';
import { installGameChat, pushGameLine } from '../social/chatStore';
import { peopleText } from '../social/eventTexts';
import { showAlert } from '../ui/alerts';
import { Avatar, Spinner } from '../ui/bits';
import { Modal } from '../ui/Modal';
import { Bracket, liveColumns } from './Bracket';
import { AddComputer, ComputerSeat, isComputer } from './ComputerSeats';
import { rememberComputers } from './computer';
import { exitsDone } from './exits';
import { MemberActions } from './MemberActions';

export const START_OVERLAY_MS = 3000;
const isStarted = (t: Tournament) => t.is_started;

function CreateDialog({ name, onClose, onCreated }: { name: string; onClose: () => void; onCreated: (t: Tournament) => void }) {
  const [title, setTitle] = useState(name);
  const [size, setSize] = useState(8);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await api<Tournament>('POST', '/api/play/tournament/', { name: title.trim(), size });
    if (result.ok) return onCreated(result.data);
    setError(errorText(result, ['name', 'size']));
    setTimeout(() => setError(null), 2500);
  };
  return (
    <Modal title="Create a tournament" onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <label htmlFor={`${id}-n`}>Name</label>
        <input id={`${id}-n`} value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={50} />
        <fieldset className="choices">
          <legend>Players</legend>
          {[4, 8].map((value) => (
            <label key={value} className="choice">
              <input type="radio" name={`${id}-s`} checked={size === value} onChange={() => setSize(value)} /> {value}
            </label>
          ))}
        </fieldset>
        {error && <p className="field-error">{error}</p>}
        <button type="submit" className="primary">Create</button>
      </form>
    </Modal>
  );
}

/** Finding a tournament: search, join, create. */
function FindTournament({ onJoined }: { onJoined: (code: string) => void }) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<TournamentSearchItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [code, setCode] = useState('');
  const id = useId();
  useEffect(() => {
    let live = true;
    void api<{ results: TournamentSearchItem[] } | TournamentSearchItem[]>('GET', `/api/play/tournament/search/?q=${encodeURIComponent(query)}`).then((r) => {
      if (live && r.ok) setResults(Array.isArray(r.data) ? r.data : r.data.results);
    });
    return () => {
      live = false;
    };
  }, [query]);
  const join = async (joinCode: string) => {
    const result = await api('POST', `/api/play/tournament/${joinCode}/`);
    if (!result.ok) return setError(errorText(result, [], 'Unable to join this tournament.'));
    onJoined(joinCode);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const exact = results.find((t) => t.name === query.trim());
    if (exact) void join(exact.code);
    else setCreating(true);
  };
  return (
    <div className="stack">
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor={`${id}-q`}>Find or create a tournament</label>
        <div className="row">
          <input id={`${id}-q`} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Tournament name" />
          <button type="submit" className="primary">Join or create</button>
        </div>
      </form>
      {error && <p className="field-error">{error}</p>}
      <ul className="list" aria-label="Tournaments">
        {results.map((t) => (
          <li key={t.code}>
            <button type="button" className="list-button" onClick={() => void join(t.code)}>
              {t.name} ({t.n_participants}/{t.size}){t.private ? ' · private' : ''}
            </button>
          </li>
        ))}
      </ul>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (/^\d{4}$/.test(code)) void join(code);
          else setError('A tournament code is 4 digits.');
        }}
      >
        <label htmlFor={`${id}-c`}>Join by code</label>
        <div className="row">
          <input id={`${id}-c`} inputMode="numeric" maxLength={4} value={code} onChange={(e) => setCode(e.target.value)} />
          <button type="submit">Join</button>
        </div>
      </form>
      {creating && <CreateDialog name={query.trim()} onClose={() => setCreating(false)} onCreated={(t) => onJoined(t.code)} />}
    </div>
  );
}

function Countdown({ startAt }: { startAt: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.ceil((Date.parse(startAt) - now) / 1000);
  return <p className="countdown" data-testid="tournament-countdown">{seconds > 0 ? `Starting in ${seconds} s` : 'Starting soon'}</p>;
}

function WaitingRoom({ tournament, myId, onChange }: { tournament: Tournament; myId: number; onChange: (tournament: Tournament) => void }) {
  const amCreator = tournament.created_by === myId;
  return (
    <>
      {tournament.start_at && <Countdown startAt={tournament.start_at} />}
      <ul className="participants" aria-label="Participants">
        {(tournament.participants ?? []).map((p) => (
          <li key={p.id} className="participant" data-testid={`participant-${p.username}`}>
            <Avatar user={p} size="medium" px={100} />
            <span>{p.username}</span>
            {isComputer(p) ? (
              <ComputerSeat tournament={tournament} member={p} canRemove={amCreator} />
            ) : (
              p.id !== myId && <MemberActions user={p} banUrl={amCreator ? `/api/play/tournament/${tournament.code}/ban/${p.id}/` : null} />
            )}
          </li>
        ))}
      </ul>
      <p className="muted">{(tournament.participants ?? []).length} / {tournament.size} players</p>
      {amCreator && <AddComputer tournament={tournament} onAdded={onChange} />}
    </>
  );
}

/**
 * The running matches the user may watch from the bracket: all but his own. `tournament-available-spectate-matches`
 * is sent once, when a round is launched, while its players are on their game pages: one who won his match
 * early, or lost it, and came back to the bracket would miss it. The bracket has the same information (the
 * match codes of the running matches), so it is the fallback.
 */
function runningMatches(tournament: Tournament, myId: number): Record<string, string> {
  const codes: Record<string, string> = {};
  for (const round of Object.values(tournament.matches ?? {})) {
    for (const m of round) {
      if (m.match_code && !m.finished && m.user_1?.id !== myId && m.user_2?.id !== myId) codes[String(m.id)] = m.match_code;
    }
  }
  return codes;
}

/** A game of the bracket is being played: its score moves. */
const anyPlaying = (tournament: Tournament | null) =>
  Object.values(tournament?.matches ?? {}).some((round) => round.some((m) => !m.finished && m.match_id !== undefined));

async function myTournament(code: string | null): Promise<Tournament | null> {
  await exitsDone();
  const saved = storedTournamentCode.load();
  if (saved) await api('POST', `/api/play/tournament/${saved}/`);
  const mine = await api<Tournament>('GET', '/api/play/tournament/');
  if (mine.ok) return mine.data;
  if (!code) return null;
  const joined = await api('POST', `/api/play/tournament/${code}/`);
  if (!joined.ok) {
    showAlert(errorText(joined, [], 'Unable to join this tournament.'), 'error');
    return null;
  }
  const after = await api<Tournament>('GET', '/api/play/tournament/');
  return after.ok ? after.data : null;
}

/** The tournament page (`/tournament`, `/tournament/<code>`). */
export function TournamentPage({ code }: { code: string | null }) {
  const user = useStore(me)!;
  const [tournament, setTournament] = useState<Tournament | null>(null);
  const [loading, setLoading] = useState(true);
  const [overlay, setOverlay] = useState(false);
  const [spectatable, setSpectatable] = useState<Record<string, string | null>>({});
  const [attempt, setAttempt] = useState(0);
  const current = useRef(tournament);
  current.current = tournament;
  // The round results in the chat and the final's toast name computer players by level.
  useEffect(() => rememberComputers(tournament?.participants ?? []), [tournament]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    void myTournament(code).then((found) => {
      if (!live) return;
      setLoading(false);
      setTournament(found);
      if (found) {
        storedTournamentCode.save(found.code);
        fixUrl(`/tournament/${found.code}`);
      } else {
        storedTournamentCode.clear();
        if (code) navigate('/tournament', { replace: true });
      }
    });
    return () => {
      live = false;
    };
  }, [code, attempt]);

  // Also while the page is still loading (e.g. back from spectating the final): the tournament is over, go home.
  useEffect(() => on('tournament-finish', () => {
    storedTournamentCode.clear();
    navigate('/');
  }), []);

  const tCode = tournament?.code ?? null;
  useEffect(() => {
    if (!tCode) return;
    // Answers may come back out of order: only the newest request may set the tournament.
    let requests = 0;
    const reload = () => {
      const mine = ++requests;
      void api<Tournament>('GET', '/api/play/tournament/').then((r) => r.ok && mine === requests && setTournament(r.data));
    };
    let liveVersion: number | undefined;
    const removeChat = installGameChat('Tournament', async (content) => {
      const result = await api<{ content: string }>('POST', `/api/play/tournament/${tCode}/message/`, { content });
      if (!result.ok) return errorText(result, ['content']);
      pushGameLine(user.username, result.data.content ?? content, true);
      return null;
    });
    const system = (event: LiveEvent) => event.message && pushGameLine(null, peopleText(event));
    const offs = [
      on('tournament-join', (event) => {
        rememberComputers([event.data]); // the newcomer, computer mark included, before his line is written
        system(event);
        reload();
      }),
      on('tournament-leave', (event) => {
        system(event);
        reload();
      }),
      on('tournament-message', (event) => {
        const text = event.message ?? '';
        const colon = text.indexOf(':');
        pushGameLine(colon === -1 ? '' : text.slice(0, colon), colon === -1 ? text : text.slice(colon + 1).trim());
      }),
      on('tournament-banned', (event) => {
        storedTournamentCode.clear();
        navigate('/');
        showAlert(event.message ?? 'You have been banned from this tournament.', 'error');
      }),
      on('tournament-start-at', (event) => setTournament((t) => (t ? { ...t, start_at: event.data.start_at } : t))),
      on('tournament-start-cancel', () => setTournament((t) => (t ? { ...t, start_at: null } : t))),
      on('tournament-start', (event) => {
        system(event);
        setOverlay(true);
        setTimeout(() => setOverlay(false), START_OVERLAY_MS);
        setTournament((t) => ({ ...t, ...event.data, is_started: true }));
      }),
      on('tournament-match-finish', (event) => {
        system(event);
        requests++; // a reload asked before this result must not undo it
        setTournament((t) => ({ ...t, ...event.data, is_started: true }));
      }),
      on('tournament-available-spectate-matches', (event) => {
        setSpectatable(event.data ?? {});
        reload();
      }),
      // A goal moves the live list's version (at most once a second): the games being played show their score.
      on('activity-update', (event) => {
        const version = (event.data as { live_version?: number }).live_version;
        if (version === liveVersion) return;
        liveVersion = version;
        if (anyPlaying(current.current)) reload();
      }),
    ];
    return () => {
      removeChat();
      for (const off of offs) off();
    };
  }, [tCode, user.username]);

  if (loading) return <Spinner label="Loading the tournament…" />;
  if (!tournament) {
    return (
      <section className="page tournament">
        <h1>Tournaments</h1>
        <FindTournament onJoined={(joined) => (joined === code ? setAttempt((n) => n + 1) : navigate(`/tournament/${joined}`))} />
      </section>
    );
  }
  const started = isStarted(tournament);
  const running = runningMatches(tournament, user.id);
  return (
    <section className="page tournament">
      <div className="row spread wrap">
        <h1>
          {tournament.name} <span className="muted">· code</span> <span className="selectable" data-testid="tournament-code">{tournament.code}</span>
        </h1>
        {!started && <button type="button" onClick={() => navigate('/tournament')}>Leave</button>}
      </div>
      {started ? (
        <Bracket
          columns={liveColumns(tournament)}
          actions={(card) => {
            const matchCode = card.id !== undefined ? spectatable[String(card.id)] ?? running[String(card.id)] : undefined;
            return matchCode ? (
              <button type="button" className="small" onClick={() => navigate(`/spectate/${matchCode}`)}>Spectate</button>
            ) : null;
          }}
        />
      ) : (
        <WaitingRoom tournament={tournament} myId={user.id} onChange={(t) => setTournament((current) => (current?.is_started ? current : t))} />
      )}
      {overlay && <div className="start-overlay" aria-live="assertive">The tournament starts!</div>}
    </section>
  );
}

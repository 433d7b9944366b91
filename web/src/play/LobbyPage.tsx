import { useCallback, useEffect, useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { api, errorText } from '../api/client';
import type { Friendship, LiveEvent, Lobby, LobbyMember, LobbyTeam } from '../api/types';
import { fixUrl, navigate } from '../lib/router';
import { storedGameEvent, storedLobbyCode } from '../lib/storage';
import { useStore } from '../lib/store';
import { on } from '../session/events';
import { me } from '../session/session';
import { myBlockOf } from '../social/blocks';
import { peopleText } from '../social/eventTexts';
import { installGameChat, pushGameLine } from '../social/chatStore';
import { showAlert } from '../ui/alerts';
import { Avatar, Spinner } from '../ui/bits';
import { exitsDone } from './exits';
import { MemberActions } from './MemberActions';
import { normalTeam } from './teams';

const JOIN_FAILED = 'Unable to join the lobby (it may not exist, may have been deleted or be full).';

function splitMessage(message: string | null): [string, string] {
  const text = message ?? '';
  const colon = text.indexOf(':');
  return colon === -1 ? ['', text] : [text.slice(0, colon), text.slice(colon + 1).trim()];
}

function MemberCard({ member, lobby, mine, amCreator, onReady }: { member: LobbyMember; lobby: Lobby; mine: boolean; amCreator: boolean; onReady: () => void }) {
  const bench = lobby.game_mode === 'custom_game' && normalTeam(member.team) === 'Spectator';
  return (
    <div
      className={`member-card ${mine ? 'mine' : ''}`}
      draggable={mine && lobby.game_mode === 'custom_game'}
      onDragStart={(event) => event.dataTransfer.setData('text/plain', 'me')}
      data-testid={`member-${member.username}`}
    >
      <Avatar user={member} size="medium" px={48} />
      <span className="member-name">
        {member.username}
        {member.creator && <span className="tag">creator</span>}
      </span>
      {!bench && (
        <button type="button" className={`small ${member.is_ready ? 'ready' : ''}`} disabled={!mine} aria-pressed={member.is_ready} onClick={onReady}>
          {member.is_ready ? 'Ready' : 'Not ready'}
        </button>
      )}
      {!mine && <MemberActions user={member} banUrl={amCreator ? `/api/play/lobby/${lobby.code}/ban/${member.id}/` : null} />}
    </div>
  );
}

function TeamZone({ title, team, lobby, myId, amCreator, onMove, onReady }: {
  title: string; team: LobbyTeam; lobby: Lobby; myId: number; amCreator: boolean; onMove: (team: LobbyTeam) => void; onReady: () => void;
}) {
  const members = lobby.participants.filter((p) => normalTeam(p.team) === team);
  const slots = team === 'Spectator' ? 0 : lobby.match_type === '1v1' ? 1 : 3;
  const amHere = members.some((m) => m.id === myId);
  return (
    <div
      className={`team-zone zone-${team.replace(' ', '-').toLowerCase()}`}
      onDragOver={(event: DragEvent) => event.preventDefault()}
      onDrop={(event: DragEvent) => {
        event.preventDefault();
        if (!amHere) onMove(team);
      }}
    >
      <h3>
        {title}
        {!amHere && (team === 'Spectator' || members.length < slots) && (
          <button type="button" className="small" onClick={() => onMove(team)}>
            {team === 'Spectator' ? 'Go to the bench' : `Join ${title}`}
          </button>
        )}
      </h3>
      {members.map((member) => (
        <MemberCard key={member.id} member={member} lobby={lobby} mine={member.id === myId} amCreator={amCreator} onReady={onReady} />
      ))}
      {Array.from({ length: Math.max(0, slots - members.length) }, (_, i) => (
        <div key={i} className="member-card placeholder">Free slot</div>
      ))}
    </div>
  );
}

/** `present`: the lobby's members, who need no invitation (the list follows them as they come and go). */
function InviteFriends({ code, present }: { code: string; present: ReadonlySet<number> }) {
  const [friends, setFriends] = useState<Friendship[]>([]);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    void api<{ results: Friendship[] }>('GET', '/api/users/me/friends/?online=true&limit=50').then((r) => r.ok && setFriends(r.data.results));
  }, []);
  const absent = friends.filter((f) => !present.has(f.friend.id));
  return (
    <div className="invite">
      <h3>Invite friends</h3>
      <button
        type="button"
        className="small"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(`${location.origin}/lobby/${code}`);
            setNote('Invite link copied.');
          } catch {
            setNote(`${location.origin}/lobby/${code}`);
          }
        }}
      >
        Copy invite link
      </button>
      {friends.length === 0 && <p className="muted">No friend online.</p>}
      {friends.length > 0 && absent.length === 0 && <p className="muted">Your friends online are all here.</p>}
      <ul className="list">
        {absent.map((f) => (
          <li key={f.id}>
            <button
              type="button"
              className="small"
              onClick={async () => {
                const result = await api('POST', `/api/play/lobby/${code}/invite/${f.friend.id}/`);
                setNote(result.ok ? `${f.friend.username} invited.` : result.status === 404 ? 'User disconnected.' : errorText(result));
              }}
            >
              Invite {f.friend.username}
            </button>
          </li>
        ))}
      </ul>
      {note && <p className="note" role="status">{note}</p>}
    </div>
  );
}

function JoinOther() {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{4}$/.test(code)) return setError('A lobby code is 4 digits.');
    const result = await api('POST', `/api/play/lobby/${code}/`);
    if (!result.ok) return setError(result.status === 404 ? 'This lobby does not exist.' : errorText(result));
    navigate(`/lobby/${code}`);
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <label htmlFor={id}>Join another lobby</label>
      <div className="row">
        <input id={id} inputMode="numeric" maxLength={4} value={code} onChange={(e) => setCode(e.target.value)} />
        <button type="submit">Join</button>
      </div>
      {error && <p className="field-error">{error}</p>}
    </form>
  );
}

async function enterLobby(code: string | null): Promise<Lobby | null> {
  await exitsDone();
  const mine = await api<Lobby>('GET', '/api/play/lobby/');
  if (mine.ok && (!code || mine.data.code === code)) return mine.data;
  if (!code) return null;
  const joined = await api('POST', `/api/play/lobby/${code}/`);
  if (!joined.ok) return null;
  if (joined.data?.participants) return joined.data as Lobby;
  const after = await api<Lobby>('GET', '/api/play/lobby/');
  return after.ok ? after.data : null;
}

/** The lobby page (`/lobby/<code>`): clash and custom games. */
export function LobbyPage({ code }: { code: string | null }) {
  const user = useStore(me)!;
  const [lobby, setLobby] = useState<Lobby | null>(null);
  const lobbyNow = useRef<Lobby | null>(null);
  lobbyNow.current = lobby;
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void enterLobby(code).then((found) => {
      if (!live) return;
      if (!found) {
        showAlert(JOIN_FAILED, 'error');
        storedLobbyCode.clear();
        navigate('/', { replace: true });
        return;
      }
      storedLobbyCode.save(found.code);
      fixUrl(`/lobby/${found.code}`);
      setLobby(found);
    });
    return () => {
      live = false;
    };
  }, [code]);

  const lobbyCode = lobby?.code ?? null;
  useEffect(() => {
    if (!lobbyCode) return;
    const update = (change: (l: Lobby) => Lobby) => setLobby((current) => (current ? change(current) : current));
    const removeChat = installGameChat('Lobby', async (content) => {
      const result = await api<{ content: string }>('POST', `/api/play/lobby/${lobbyCode}/message/`, { content });
      if (!result.ok) return errorText(result, ['content']);
      pushGameLine(user.username, result.data.content ?? content, true);
      return null;
    });
    const offs = [
      on('lobby-join', (event) => {
        update((l) => ({ ...l, participants: [...l.participants.filter((p) => p.id !== event.data.id), event.data] }));
        pushGameLine(null, peopleText(event));
      }),
      on('lobby-leave', (event) => {
        update((l) => ({ ...l, participants: l.participants.filter((p) => p.id !== event.data.id) }));
        pushGameLine(null, peopleText(event));
      }),
      on('lobby-update-participant', (event) =>
        update((l) => ({ ...l, participants: l.participants.map((p) => (p.id === event.data.id ? { ...p, ...event.data } : p)) })),
      ),
      on('lobby-update', (event) => update((l) => ({ ...l, ...event.data }))),
      on('lobby-banned', (event) => {
        storedLobbyCode.clear();
        navigate('/');
        // The same event removes a member who blocked the creator: then it is his own doing, said as such.
        const creator = lobbyNow.current?.participants.find((p) => p.creator);
        void (creator && creator.id !== user.id ? myBlockOf(creator.id).then(Boolean) : Promise.resolve(false)).then((blocked) =>
          showAlert(blocked ? `You left the lobby: you blocked its creator, ${creator!.username}.` : event.message ?? 'You have been banned from this lobby.', blocked ? 'info' : 'error'),
        );
      }),
      on('lobby-destroy', () => {
        storedLobbyCode.clear();
        navigate('/');
        showAlert('The lobby was destroyed.', 'info');
      }),
      on('lobby-message', (event) => {
        const [author, text] = splitMessage(event.message);
        pushGameLine(author, text);
      }),
      // The bench watches every game of its lobby, 1v1 and 3v3 alike.
      on('lobby-spectate-game', (event) => {
        if (event.data?.code) navigate(`/spectate/${event.data.code}`);
      }),
    ];
    return () => {
      removeChat();
      for (const off of offs) off();
    };
  }, [lobbyCode, user.username]);

  const patchMe = useCallback(
    async (body: Record<string, unknown>) => {
      if (!lobby) return;
      const result = await api('PATCH', `/api/play/lobby/${lobby.code}/`, body);
      if (!result.ok) return setError(errorText(result, ['team', 'is_ready']));
      setError(null);
      setLobby((l) => (l ? { ...l, participants: l.participants.map((p) => (p.id === user.id ? { ...p, ...body, ...(result.data?.id ? result.data : {}) } : p)) } : l));
    },
    [lobby, user.id],
  );

  if (!lobby) return <Spinner label="Joining the lobby…" />;
  const myself = lobby.participants.find((p) => p.id === user.id);
  const amCreator = Boolean(myself?.creator);
  const toggleReady = () => void patchMe({ is_ready: !myself?.is_ready });
  const moveTo = (team: LobbyTeam) => void patchMe({ team });
  const custom = lobby.game_mode === 'custom_game';

  return (
    <section className="page lobby">
      <div className="row spread wrap">
        <h1>
          {custom ? 'Custom Game' : '3v3 Clash'} <span className="muted">· code</span> <span className="selectable" data-testid="lobby-code">{lobby.code}</span>
        </h1>
        <button type="button" onClick={() => navigate('/')}>Leave</button>
      </div>
      {custom && (
        <div className="segmented" role="group" aria-label="Match type">
          {(['1v1', '3v3'] as const).map((type) => (
            <button
              key={type}
              type="button"
              aria-pressed={lobby.match_type === type}
              disabled={!amCreator}
              onClick={async () => {
                const result = await api<Lobby>('PATCH', '/api/play/lobby/', { match_type: type });
                if (result.ok) setLobby(result.data?.participants ? result.data : { ...lobby, match_type: type });
                else setError(errorText(result, ['match_type']));
              }}
            >
              {type}
            </button>
          ))}
        </div>
      )}
      {error && <p className="field-error">{error}</p>}
      {custom ? (
        <div className="team-zones">
          <TeamZone title="Team A" team="Team A" lobby={lobby} myId={user.id} amCreator={amCreator} onMove={moveTo} onReady={toggleReady} />
          <TeamZone title="Team B" team="Team B" lobby={lobby} myId={user.id} amCreator={amCreator} onMove={moveTo} onReady={toggleReady} />
          <TeamZone title="Bench" team="Spectator" lobby={lobby} myId={user.id} amCreator={amCreator} onMove={moveTo} onReady={toggleReady} />
        </div>
      ) : (
        <div className="team-zone">
          <h3>Players ({lobby.participants.length}/{lobby.max_participants})</h3>
          {lobby.participants.map((member) => (
            <MemberCard key={member.id} member={member} lobby={lobby} mine={member.id === user.id} amCreator={amCreator} onReady={toggleReady} />
          ))}
        </div>
      )}
      <p className="hint" data-testid="lobby-hint">
        {lobby.match_type === '3v3' ? 'The game starts when both teams are full (3 players each) and every player is ready.' : 'The game starts when both teams are full and every player is ready.'}
      </p>
      <div className="row wrap top">
        {!user.is_guest && <InviteFriends code={lobby.code} present={new Set(lobby.participants.map((p) => p.id))} />}
        <JoinOther />
      </div>
    </section>
  );
}

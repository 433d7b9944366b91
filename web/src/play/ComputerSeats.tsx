import { useState } from 'react';
import { api, errorText } from '../api/client';
import type { Tournament, TournamentMember } from '../api/types';
import { computerName, preferredLevel, type ComputerLevel } from './computer';
import { LevelChoice } from './LevelChoice';

/** A seat the creator gave to a computer player (`computer`: its level). */
export const isComputer = (member: TournamentMember): member is TournamentMember & { computer: ComputerLevel } => !!member.computer;

/** The creator's "Add a computer player" for the empty seats of his tournament, before the start. */
export function AddComputer({ tournament, onAdded }: { tournament: Tournament; onAdded: (tournament: Tournament) => void }) {
  const [level, setLevel] = useState<ComputerLevel>(preferredLevel);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const free = tournament.size - (tournament.participants ?? []).length;
  if (free <= 0) return null;
  const add = async () => {
    setBusy(true);
    const result = await api<Tournament>('POST', `/api/play/tournament/${tournament.code}/bots/`, { level });
    setBusy(false);
    if (!result.ok) return setError(errorText(result, ['count', 'level'], 'Unable to add a computer player.'));
    setError(null);
    onAdded(result.data);
  };
  return (
    <div className="seat-actions" data-testid="add-computer">
      <LevelChoice value={level} onChange={setLevel} />
      <button type="button" disabled={busy} onClick={() => void add()}>
        Add a computer player
      </button>
      <span className="muted">{free} {free === 1 ? 'seat' : 'seats'} free</span>
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}

/** "Computer (easy)" under a computer player's name, and the creator's way to take it back. */
export function ComputerSeat({ tournament, member, canRemove }: { tournament: Tournament; member: TournamentMember & { computer: ComputerLevel }; canRemove: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    const result = await api('DELETE', `/api/play/tournament/${tournament.code}/bots/${member.id}/`);
    if (!result.ok) setError(errorText(result, [], 'Unable to remove this computer player.'));
  };
  return (
    <>
      <span className="tag">{computerName(member.computer)}</span>
      {canRemove && (
        <button type="button" className="small" aria-label={`Remove ${member.username}`} onClick={() => void remove()}>
          Remove
        </button>
      )}
      {error && <span className="field-error">{error}</span>}
    </>
  );
}

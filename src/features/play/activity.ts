import { conflict } from '../../platform/http/errors.js';
import { PlayMessages } from './messages.js';

/** What the caller is about to do: enter a queue, create or join a lobby or a tournament, play the computer. */
export type ActivityIntent = 'queue' | 'lobby-create' | 'lobby-join' | 'tournament-create' | 'tournament-join' | 'computer';

/** Why a user is dropped from everything: his last SSE stream closed, or his account is gone. */
export type DropReason = 'offline' | 'deleted';

/**
 * One kind of activity a user can be in (queue entry, lobby membership,
 * tournament record). The tournament feature registers its own with a rank
 * below the queue's, so that its 409/403 comes before anything is released.
 */
export interface ActivityParticipant {
  readonly name: string;
  /** Lower runs first: tournament 10, queue 20, lobby 30 (the order the exclusivity check asks them in). */
  readonly rank: number;
  /** Throws the answer that keeps the user where he is (e.g. 409 `You are already in a tournament.`). */
  refuse?(userId: number, intent: ActivityIntent): Promise<void>;
  /** Ends the user's idle activity of this kind, with its events, before he enters another one. */
  release(userId: number, intent: ActivityIntent): Promise<void>;
  /** The user's last stream closed or the account was deleted. */
  drop(userId: number, reason: DropReason): Promise<void>;
}

/**
 * The "one activity at a time" rule: a user playing an unfinished
 * match is refused with 409 `You are already in a game.`; then each
 * registered activity may refuse; then every idle activity is released.
 */
export class Activities {
  private participants: ActivityParticipant[] = [];

  constructor(private readonly inGame: (userId: number) => Promise<boolean>) {}

  register(participant: ActivityParticipant): void {
    this.participants = [...this.participants.filter((p) => p.name !== participant.name), participant].sort((a, b) => a.rank - b.rank);
  }

  /** Only the refusals (409 game, then each activity's own), without releasing anything. */
  async check(userId: number, intent: ActivityIntent): Promise<void> {
    if (await this.inGame(userId)) throw conflict(PlayMessages.alreadyInGame);
    for (const p of this.participants) await p.refuse?.(userId, intent);
  }

  /** The exclusivity check: refusals first, then the user leaves his idle queue, lobby or open tournament. */
  async enter(userId: number, intent: ActivityIntent): Promise<void> {
    await this.check(userId, intent);
    for (const p of this.participants) await p.release(userId, intent);
  }

  /** Drops the user from every activity (tournament, lobby, queue); failures of one never stop the others. */
  async drop(userId: number, reason: DropReason): Promise<void> {
    for (const p of this.participants) {
      try {
        await p.drop(userId, reason);
      } catch {
        // Best effort: the trigger (a closed stream, a deletion) has already happened.
      }
    }
  }
}

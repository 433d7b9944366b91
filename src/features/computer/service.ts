import { ApiError, conflict } from '../../platform/http/errors.js';
import type { UserRow } from '../../platform/http/request-context.js';
import type { MatchRecord } from '../matches/model.js';
import type { ForfeitReason } from '../matches/messages.js';
import type { NewMatchInput } from '../matches/validation.js';
import type { Activities } from '../play/activity.js';
import { PlayMessages } from '../play/messages.js';
import { BOT_ATTEMPTS, ComputerMessages as M, type ComputerLevel } from './messages.js';
import type { ComputerPlayers } from './players.js';

export interface ComputerGamesDeps {
  players: ComputerPlayers;
  activities: Activities;
  /** The matches feature, in-process. */
  matches: {
    createMatch(input: NewMatchInput): Promise<MatchRecord>;
    present(match: MatchRecord): Promise<Record<string, unknown>>;
    isInGame(userId: number): Promise<boolean>;
    activeMatchOf(userId: number): Promise<MatchRecord>;
    forfeit(matchId: number, input: { user_id: number; finish_reason: ForfeitReason }): Promise<unknown>;
  };
}

const unavailable = () => new ApiError(503, { detail: M.unavailable });

/**
 * Games against the computer: an unranked custom 1v1, the caller on team a
 * and a computer player of the chosen level on team b, recorded like any
 * custom game. A duel entry is kept meanwhile (play/service.ts): when the
 * duel finds somebody, the computer gives its game up first (docs/api.md,
 * Playing the computer).
 */
export class ComputerGames {
  constructor(private readonly deps: ComputerGamesDeps) {}

  /** `POST /api/play/computer/`: the "one activity at a time" check, a free bot account, the match, the player. */
  async play(caller: UserRow, level: ComputerLevel): Promise<Record<string, unknown>> {
    const { players, matches } = this.deps;
    if (!players.ready) throw unavailable();
    await this.deps.activities.enter(caller.id, 'computer');
    for (let attempt = 0; attempt < BOT_ATTEMPTS; attempt++) {
      const [bot] = await players.reserve(1);
      try {
        const match = await matches.createMatch({ game_mode: 'custom_game', teams: { a: [{ id: caller.id }], b: [{ id: bot, computer: level }] } });
        players.launch([bot], level);
        return await matches.present(match);
      } catch (error) {
        if (!(error instanceof ApiError) || error.statusCode !== 409) throw error;
        // The caller's own game started meanwhile, or another node handed out the same bot account: try another one.
        if (await matches.isInGame(caller.id)) throw conflict(PlayMessages.alreadyInGame);
      } finally {
        players.release([bot]);
      }
    }
    throw unavailable();
  }

  /**
   * A match was found for these users (a duel): whoever is playing the
   * computer meanwhile is freed first, the computer conceding its game. The
   * person is never the one who forfeits, so it never counts as his loss.
   */
  async makeWayFor(userIds: number[]): Promise<void> {
    for (const userId of userIds) {
      const match = await this.deps.matches.activeMatchOf(userId).catch(() => null);
      if (!match || match.gameMode !== 'custom_game' || match.matchType !== '1v1') continue;
      const opponent = match.players.find((p) => p.userId !== userId);
      if (!opponent || !(await this.deps.players.isBot(opponent.userId))) continue;
      // Already over (it ended on its own meanwhile): nothing to give up.
      await this.deps.matches.forfeit(match.id, { user_id: opponent.userId, finish_reason: 'player-disconnect' }).catch(() => {});
    }
  }
}

import { flagField as flag, textField as text, throwIfAny, type Body, type FieldErrorList as Errors } from '../../platform/http/body-fields.js';
import { GAME_MODES, LobbyMessages as M, MATCH_TYPES, MESSAGE_MAX_LENGTH, TEAM_INPUT, type LobbyMatchType, type LobbyMode, type LobbyTeam } from './messages.js';

/**
 * The lobby bodies, checked by hand so that each field gets exactly the
 * message clients expect (one message per field, all
 * failing fields together; see docs/api.md, Errors).
 */
function done<T>(errors: Errors, value: T): T {
  throwIfAny(errors);
  return value;
}

export interface CreateInput {
  game_mode: LobbyMode;
  match_type?: LobbyMatchType;
  bot?: boolean;
}

/** The body of a lobby creation: `game_mode`, `match_type` (plus the `bot` flag, off by default). */
export function parseCreate(body: Body): CreateInput {
  const errors: Errors = {};
  const game_mode = text(body, 'game_mode', errors, { required: true, max: 20, choices: GAME_MODES, choiceMessage: M.gameModeChoice }) as LobbyMode;
  const match_type = text(body, 'match_type', errors, { max: 3, choices: MATCH_TYPES, choiceMessage: M.matchTypeChoice }) as LobbyMatchType | undefined;
  const bot = flag(body, 'bot', errors);
  return done(errors, { game_mode, ...(match_type ? { match_type } : {}), ...(bot !== undefined ? { bot } : {}) });
}

export interface SettingsInput {
  match_type?: LobbyMatchType;
  bot?: boolean;
}

/** The lobby's settings: `PUT` requires and validates `game_mode` (then ignores it), `PATCH` ignores it. */
export function parseSettings(body: Body, method: string): SettingsInput {
  const errors: Errors = {};
  if (method === 'PUT') text(body, 'game_mode', errors, { required: true, max: 20, choices: GAME_MODES, choiceMessage: M.gameModeChoice });
  const match_type = text(body, 'match_type', errors, { max: 3, choices: MATCH_TYPES, choiceMessage: M.matchTypeChoice }) as LobbyMatchType | undefined;
  const bot = flag(body, 'bot', errors);
  return done(errors, { ...(match_type ? { match_type } : {}), ...(bot !== undefined ? { bot } : {}) });
}

export interface MembershipInput {
  team?: LobbyTeam;
  is_ready?: boolean;
}

/** A membership update: `team` accepts `a`/`b`/`spectator` and `Team A`/`Team B`/`Spectator`. */
export function parseMembership(body: Body): MembershipInput {
  const errors: Errors = {};
  let team: LobbyTeam | undefined;
  if (body.team !== undefined) {
    const raw = body.team;
    if (typeof raw === 'string' && raw.trim() === '') errors.team = [M.blank];
    else if (typeof raw === 'string' && TEAM_INPUT[raw.trim()]) team = TEAM_INPUT[raw.trim()];
    else errors.team = [M.teamChoice];
  }
  const is_ready = flag(body, 'is_ready', errors);
  return done(errors, { ...(team ? { team } : {}), ...(is_ready !== undefined ? { is_ready } : {}) });
}

/** A message: the trimmed text of a message, at most MESSAGE_MAX_LENGTH characters. */
export function parseContent(body: Body): string {
  const errors: Errors = {};
  const content = text(body, 'content', errors, { required: true, max: MESSAGE_MAX_LENGTH });
  return done(errors, content!);
}

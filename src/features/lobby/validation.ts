import { badRequest } from '../../platform/http/errors.js';
import { GAME_MODES, LobbyMessages as M, MATCH_TYPES, TEAM_INPUT, type LobbyMatchType, type LobbyMode, type LobbyTeam } from './messages.js';

/**
 * The lobby bodies, checked by hand so that each field gets exactly the
 * message of play-lobby-tournament.md §2.4/§6 (one message per field, all
 * failing fields together).
 */
type Body = Record<string, unknown>;
type Errors = Record<string, string[]>;

const TRUE_WORDS = new Set(['true', 'True', 'TRUE', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'False', 'FALSE', 'no', 'off', '0']);

/** A string field: numbers become text, strings are trimmed; arrays, objects and booleans are refused. */
function text(body: Body, key: string, errors: Errors, rules: { required?: boolean; max?: number; choices?: readonly string[]; choiceMessage?: string }): string | undefined {
  const raw = body[key];
  if (raw === undefined) {
    if (rules.required) errors[key] = [M.required];
    return undefined;
  }
  if (raw === null) {
    errors[key] = [M.notNull];
    return undefined;
  }
  if (typeof raw !== 'string' && !(typeof raw === 'number' && Number.isFinite(raw))) {
    errors[key] = [M.notString];
    return undefined;
  }
  const value = String(raw).trim();
  if (value === '') {
    errors[key] = [M.blank];
    return undefined;
  }
  if (rules.max !== undefined && value.length > rules.max) {
    errors[key] = [M.maxLength(rules.max)];
    return undefined;
  }
  if (rules.choices && !rules.choices.includes(value)) {
    errors[key] = [rules.choiceMessage!];
    return undefined;
  }
  return value;
}

function flag(body: Body, key: string, errors: Errors): boolean | undefined {
  const raw = body[key];
  if (raw === undefined) return undefined;
  if (raw === null) errors[key] = [M.notNull];
  else if (typeof raw === 'boolean') return raw;
  else if (raw === 1 || raw === 0) return raw === 1;
  else if (typeof raw === 'string' && TRUE_WORDS.has(raw.trim())) return true;
  else if (typeof raw === 'string' && FALSE_WORDS.has(raw.trim())) return false;
  else errors[key] = [M.notBoolean];
  return undefined;
}

function done<T>(errors: Errors, value: T): T {
  if (Object.keys(errors).length > 0) throw badRequest(errors);
  return value;
}

export interface CreateInput {
  game_mode: LobbyMode;
  match_type?: LobbyMatchType;
  bot?: boolean;
}

/** §6.2 (plus the `bot` flag, off by default). */
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

/** §6.4: `PUT` requires and validates `game_mode` (then ignores it), `PATCH` ignores it. */
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

/** §6.6: `team` accepts `a`/`b`/`spectator` and `Team A`/`Team B`/`Spectator`. */
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

/** §4.6: the trimmed text of a message. */
export function parseContent(body: Body): string {
  const errors: Errors = {};
  const content = text(body, 'content', errors, { required: true });
  return done(errors, content!);
}

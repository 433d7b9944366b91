import { badRequest } from '../../platform/http/errors.js';
import { jsonTypeName } from '../../platform/http/validation.js';
import { GAME_MODES, MatchMessages as M, type GameMode } from './messages.js';
import { TEAMS, type Team } from './model.js';

export interface PlayerSeat {
  id: number;
  trophies?: number;
  /** In-process only (the internal endpoint does not take it): a computer player of this level holds the seat. */
  computer?: string;
}

/** What creates a match, from the internal endpoint or in-process (queues, lobbies, tournaments). */
export interface NewMatchInput {
  game_mode: GameMode;
  teams: Record<Team, PlayerSeat[]>;
  tournament_id?: number | null;
  tournament_stage_id?: number | null;
  tournament_n?: number | null;
}

type Errors = Record<string, unknown>;
const NOT_INT = Symbol('not an integer');

/** An integer the way the reference's forms read one: a JSON integer, an integral float or an integral string. */
function integerOf(value: unknown): number | typeof NOT_INT {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.0*)?\s*$/.test(value)) {
    const parsed = Math.trunc(Number(value));
    if (Number.isSafeInteger(parsed)) return parsed;
  }
  return NOT_INT;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseSeat(item: unknown): { seat?: PlayerSeat; errors?: Errors } {
  if (!isRecord(item)) return { errors: { non_field_errors: [M.expectedDict(jsonTypeName(item))] } };
  const errors: Errors = {};
  const id = item.id === undefined ? undefined : item.id === null ? null : integerOf(item.id);
  if (id === undefined) errors.id = [M.required];
  else if (id === null) errors.id = [M.notNull];
  else if (id === NOT_INT) errors.id = [M.integer];
  let trophies: number | undefined;
  if (item.trophies !== undefined) {
    const value = item.trophies === null ? null : integerOf(item.trophies);
    if (value === null) errors.trophies = [M.notNull];
    else if (value === NOT_INT) errors.trophies = [M.integer];
    else trophies = value;
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { seat: trophies === undefined ? { id: id as number } : { id: id as number, trophies } };
}

function parseTeam(value: unknown): { seats?: PlayerSeat[]; errors?: unknown } {
  if (value === undefined) return { errors: [M.required] };
  if (value === null) return { errors: [M.notNull] };
  if (!Array.isArray(value)) return { errors: { non_field_errors: [M.expectedList(jsonTypeName(value))] } };
  const parsed = value.map(parseSeat);
  if (parsed.some((p) => p.errors)) return { errors: parsed.map((p) => p.errors ?? {}) };
  return { seats: parsed.map((p) => p.seat!) };
}

function parseTeams(value: unknown): { teams?: Record<Team, PlayerSeat[]>; errors?: unknown } {
  if (value === undefined) return { errors: [M.required] };
  if (value === null) return { errors: [M.notNull] };
  if (!isRecord(value)) return { errors: { non_field_errors: [M.expectedDict(jsonTypeName(value))] } };
  const errors: Errors = {};
  const teams: Partial<Record<Team, PlayerSeat[]>> = {};
  for (const team of TEAMS) {
    const parsed = parseTeam(value[team]);
    if (parsed.errors) errors[team] = parsed.errors;
    else teams[team] = parsed.seats;
  }
  return Object.keys(errors).length > 0 ? { errors } : { teams: teams as Record<Team, PlayerSeat[]> };
}

/** The first check of a match creation: every field-level error of the body, reported together. */
export function parseNewMatchBody(body: Record<string, unknown>): NewMatchInput {
  const errors: Errors = {};
  const mode = body.game_mode;
  if (mode === undefined) errors.game_mode = [M.required];
  else if (mode === null) errors.game_mode = [M.notNull];
  else if (typeof mode !== 'string' || !(GAME_MODES as readonly string[]).includes(mode)) errors.game_mode = [M.gameModeChoice];
  const teams = parseTeams(body.teams);
  if (teams.errors) errors.teams = teams.errors;
  const tournament: Record<string, number | null> = {};
  for (const key of ['tournament_id', 'tournament_stage_id', 'tournament_n'] as const) {
    const raw = body[key];
    if (raw === undefined || raw === null) continue;
    const value = integerOf(raw);
    if (value === NOT_INT) errors[key] = [M.integer];
    else tournament[key] = value;
  }
  if (Object.keys(errors).length > 0) throw badRequest(errors);
  return { game_mode: mode as GameMode, teams: teams.teams!, ...tournament };
}

import { badRequest } from '../../platform/http/errors.js';
import { NAME_MAX_LENGTH, TOURNAMENT_SIZES, TournamentMessages as M, type TournamentSize } from './messages.js';

/**
 * The tournament bodies, checked by hand so that each field gets exactly
 * the message of play-lobby-tournament.md §2.4/§7.2 (one message per field,
 * all failing fields together).
 */
type Body = Record<string, unknown>;
export type Errors = Record<string, string[]>;

const TRUE_WORDS = new Set(['true', 'True', 'TRUE', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'False', 'FALSE', 'no', 'off', '0']);

/** A string field: numbers become text, strings are trimmed; arrays, objects and booleans are refused. */
function text(body: Body, key: string, errors: Errors, rules: { required?: boolean; max?: number }): string | undefined {
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

/** `size`: required (the seed), an integer (or integral string), one of 4, 8, 16. */
function size(body: Body, errors: Errors): TournamentSize | undefined {
  const raw = body.size;
  if (raw === undefined) {
    errors.size = [M.required];
    return undefined;
  }
  if (raw === null) {
    errors.size = [M.notNull];
    return undefined;
  }
  let value: number | null = null;
  if (typeof raw === 'number' && Number.isInteger(raw)) value = raw;
  else if (typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw)) value = Number(raw);
  if (value === null) {
    errors.size = [M.notInteger];
    return undefined;
  }
  if (!(TOURNAMENT_SIZES as readonly number[]).includes(value)) {
    errors.size = [M.sizeChoice];
    return undefined;
  }
  return value as TournamentSize;
}

export interface CreateInput {
  name: string;
  size: TournamentSize;
  private: boolean;
}

/** §7.2 step 2, except the name's uniqueness (the service adds it to the same map). */
export function parseCreate(body: Body): { input: Partial<CreateInput>; errors: Errors } {
  const errors: Errors = {};
  const name = text(body, 'name', errors, { required: true, max: NAME_MAX_LENGTH });
  const sizeValue = size(body, errors);
  const isPrivate = flag(body, 'private', errors);
  return { input: { name, size: sizeValue, private: isPrivate ?? false }, errors };
}

export function throwIfAny(errors: Errors): void {
  if (Object.keys(errors).length > 0) throw badRequest(errors);
}

/** §4.6: the trimmed text of a message. */
export function parseContent(body: Body): string {
  const errors: Errors = {};
  const content = text(body, 'content', errors, { required: true });
  throwIfAny(errors);
  return content!;
}

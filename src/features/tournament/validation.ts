import { flagField as flag, textField as text, throwIfAny, type Body, type FieldErrorList } from '../../platform/http/body-fields.js';
import { MESSAGE_MAX_LENGTH, NAME_MAX_LENGTH, TOURNAMENT_SIZES, TournamentMessages as M, type TournamentSize } from './messages.js';

/**
 * The tournament bodies, checked by hand so that each field gets exactly
 * the message clients expect (one message per field,
 * all failing fields together; see docs/api.md, Errors).
 */
export type Errors = FieldErrorList;
export { throwIfAny };

/** `size`: required, an integer (or integral string), one of 4, 8, 16. */
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

/** The body of a tournament creation (`name`, `size`, `private`), except the name's uniqueness (the service adds it to the same map). */
export function parseCreate(body: Body): { input: Partial<CreateInput>; errors: Errors } {
  const errors: Errors = {};
  const name = text(body, 'name', errors, { required: true, max: NAME_MAX_LENGTH });
  const sizeValue = size(body, errors);
  const isPrivate = flag(body, 'private', errors);
  return { input: { name, size: sizeValue, private: isPrivate ?? false }, errors };
}

/** A message: the trimmed text of a message, at most MESSAGE_MAX_LENGTH characters. */
export function parseContent(body: Body): string {
  const errors: Errors = {};
  const content = text(body, 'content', errors, { required: true, max: MESSAGE_MAX_LENGTH });
  throwIfAny(errors);
  return content!;
}

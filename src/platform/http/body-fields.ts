import { badRequest } from './errors.js';

/**
 * Field readers for bodies whose rules a schema cannot express (one message
 * per field, custom choice texts, several spellings of one value): each
 * reads one key, records the API's field message (see docs/api.md, Errors)
 * on failure, and answers the normalised value.
 */
export type Body = Record<string, unknown>;
export type FieldErrorList = Record<string, string[]>;

export const FieldMessages = {
  required: 'This field is required.',
  notNull: 'This field may not be null.',
  blank: 'This field may not be blank.',
  notString: 'Not a valid string.',
  notInteger: 'A valid integer is required.',
  notBoolean: 'Must be a valid boolean.',
  maxLength: (n: number) => `Ensure this field has no more than ${n} characters.`,
} as const;

const TRUE_WORDS = new Set(['true', 'True', 'TRUE', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'False', 'FALSE', 'no', 'off', '0']);

function codePoints(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** A string field: numbers become text, strings are trimmed; arrays, objects and booleans are refused. */
export function textField(
  body: Body,
  key: string,
  errors: FieldErrorList,
  rules: { required?: boolean; max?: number; choices?: readonly string[]; choiceMessage?: string } = {},
): string | undefined {
  const raw = body[key];
  if (raw === undefined) {
    if (rules.required) errors[key] = [FieldMessages.required];
    return undefined;
  }
  if (raw === null) {
    errors[key] = [FieldMessages.notNull];
    return undefined;
  }
  if (typeof raw !== 'string' && !(typeof raw === 'number' && Number.isFinite(raw))) {
    errors[key] = [FieldMessages.notString];
    return undefined;
  }
  const value = String(raw).trim();
  if (value === '') {
    errors[key] = [FieldMessages.blank];
    return undefined;
  }
  // Characters are code points (an emoji is one), as the schema-checked fields count them; UTF-16 units are never fewer.
  if (rules.max !== undefined && value.length > rules.max && codePoints(value) > rules.max) {
    errors[key] = [FieldMessages.maxLength(rules.max)];
    return undefined;
  }
  if (rules.choices && !rules.choices.includes(value)) {
    errors[key] = [rules.choiceMessage ?? `"${value}" is not a valid choice.`];
    return undefined;
  }
  return value;
}

/** A boolean field: `true`/`false`, `1`/`0` and the usual yes/no words. */
export function flagField(body: Body, key: string, errors: FieldErrorList): boolean | undefined {
  const raw = body[key];
  if (raw === undefined) return undefined;
  if (raw === null) errors[key] = [FieldMessages.notNull];
  else if (typeof raw === 'boolean') return raw;
  else if (raw === 1 || raw === 0) return raw === 1;
  else if (typeof raw === 'string' && TRUE_WORDS.has(raw.trim())) return true;
  else if (typeof raw === 'string' && FALSE_WORDS.has(raw.trim())) return false;
  else errors[key] = [FieldMessages.notBoolean];
  return undefined;
}

/** Throws the 400 field map when any field failed. */
export function throwIfAny(errors: FieldErrorList): void {
  if (Object.keys(errors).length > 0) throw badRequest(errors);
}

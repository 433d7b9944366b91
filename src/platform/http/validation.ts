import type { FastifyRequest } from 'fastify';
import { badRequest, badRequestDetail } from './errors.js';

/**
 * The API's request-body conventions: strings
 * are trimmed, numbers are accepted for strings, integral strings for
 * integers and the usual yes/no spellings for booleans; then Ajv validates
 * against the route's TypeBox schema and its errors become the API's
 * field messages (see docs/api.md, Errors).
 */
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  [key: string]: unknown;
}

const TRUE_WORDS = new Set(['true', 'yes', 'on', 't', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', 'f', 'n', '0']);
const INTEGRAL = /^\s*-?\d+(\.0*)?\s*$/;

function coerce(value: unknown, schema: JsonSchema | undefined, trim: boolean): unknown {
  if (!schema) return value;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'string') {
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value === 'string' && trim) return value.trim();
  } else if (type === 'integer') {
    if (typeof value === 'string' && INTEGRAL.test(value)) return Math.trunc(Number(value));
    if (typeof value === 'number' && Number.isInteger(value)) return value;
  } else if (type === 'boolean') {
    if (value === 1 || value === 0) return value === 1;
    if (typeof value === 'string') {
      const word = value.toLowerCase();
      if (TRUE_WORDS.has(word) && (value === word || value === value.toUpperCase() || value === word[0].toUpperCase() + word.slice(1))) return true;
      if (FALSE_WORDS.has(word) && (value === word || value === value.toUpperCase() || value === word[0].toUpperCase() + word.slice(1))) return false;
    }
  } else if (type === 'array' && Array.isArray(value)) {
    return value.map((item) => coerce(item, schema.items, trim));
  }
  return value;
}

export function jsonTypeName(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'dict';
}

export type BodyShapeRule = 'detail' | 'non_field_errors';

/** Runs before Ajv: the body must be an object, then each known field is normalised. */
export function prepareBody(request: FastifyRequest, schema: JsonSchema | undefined, options: { shape: BodyShapeRule; noTrim: string[] }): void {
  const body = request.body;
  if (body === undefined || body === null) {
    if (schema) request.body = {};
    return;
  }
  if (typeof body !== 'object' || Array.isArray(body)) {
    if (options.shape === 'non_field_errors') {
      throw badRequest({ non_field_errors: [`Invalid data. Expected a dictionary, but got ${jsonTypeName(body)}.`] });
    }
    throw badRequestDetail('Data must be a dictionary.');
  }
  const properties = schema?.properties ?? {};
  const record = body as Record<string, unknown>;
  for (const [key, fieldSchema] of Object.entries(properties)) {
    if (key in record) record[key] = coerce(record[key], fieldSchema, !options.noTrim.includes(key));
  }
}

/** Normalises query-string and path values the same way (they always arrive as strings). */
export function prepareStrings(values: unknown, schema: JsonSchema | undefined): void {
  if (!schema?.properties || !values || typeof values !== 'object') return;
  const record = values as Record<string, unknown>;
  for (const [key, fieldSchema] of Object.entries(schema.properties)) {
    if (key in record) record[key] = coerce(record[key], fieldSchema, true);
  }
}

export interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, any>;
  data?: unknown;
  parentSchema?: JsonSchema;
  message?: string;
}

function messageFor(error: AjvError): string {
  const { keyword, params, data, parentSchema } = error;
  switch (keyword) {
    case 'required':
      return 'This field is required.';
    case 'type': {
      if (data === null) return 'This field may not be null.';
      const type = String(params.type).split(',')[0];
      if (type === 'string') return 'Not a valid string.';
      if (type === 'integer' || type === 'number') return 'A valid integer is required.';
      if (type === 'boolean') return 'Must be a valid boolean.';
      if (type === 'array') return `Expected a list of items but got type "${jsonTypeName(data)}".`;
      if (type === 'object') return `Expected a dictionary of items but got type "${jsonTypeName(data)}".`;
      return 'Invalid value.';
    }
    case 'minLength':
      return params.limit <= 1 ? 'This field may not be blank.' : `Ensure this field has at least ${params.limit} characters.`;
    case 'maxLength':
      return `Ensure this field has no more than ${params.limit} characters.`;
    case 'minimum':
      return `Ensure this value is greater than or equal to ${params.limit}.`;
    case 'maximum':
      return `Ensure this value is less than or equal to ${params.limit}.`;
    case 'enum':
      return typeof parentSchema?.['x-choice-message'] === 'string'
        ? parentSchema['x-choice-message']
        : `"${String(data)}" is not a valid choice.`;
    default:
      return 'Invalid value.';
  }
}

/** Ajv errors -> `{"field": ["message"]}`, nested by path for list items (`{"users_id": {"1": [...]}}`). */
export function fieldErrorsFromAjv(errors: AjvError[]): Record<string, unknown> {
  const result: Record<string, any> = {};
  // A value of the wrong type gets that one message, as a form field would report it.
  const decisive = (e: AjvError) => e.keyword === 'type' || e.keyword === 'required';
  const typedPaths = new Set(errors.filter(decisive).map((e) => e.instancePath));
  const ordered = [...errors.filter(decisive), ...errors.filter((e) => !decisive(e) && !typedPaths.has(e.instancePath))];
  for (const error of ordered) {
    const path = error.instancePath.split('/').filter(Boolean);
    if (error.keyword === 'required') path.push(String(error.params.missingProperty));
    if (path.length === 0) path.push('non_field_errors');
    let node = result;
    for (const segment of path.slice(0, -1)) {
      if (Array.isArray(node[segment]) || typeof node[segment] !== 'object') node[segment] = {};
      node = node[segment];
    }
    const leaf = path[path.length - 1];
    if (!Array.isArray(node[leaf])) node[leaf] = [];
    const message = messageFor(error);
    if (!node[leaf].includes(message)) node[leaf].push(message);
  }
  return result;
}

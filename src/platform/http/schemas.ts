import { Type, type TSchema } from 'typebox';

/** Schema pieces shared by every feature's routes (TypeBox -> Ajv validation and OpenAPI). */
export const Detail = Type.Object({ detail: Type.String() });
export const AuthError = Type.Object({ detail: Type.String(), code: Type.String() });
/**
 * Any key: the field names come from the client's body (a NUL refusal names the client's own key), and a
 * record's `^.*$` pattern would make the serializer drop a key with a line break in it, leaving `{}`.
 */
export const FieldErrorMap = Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, description: '{"<field>": ["message"]}' });
export const DateTime = Type.String({ format: 'date-time' });

/** A string enum rendered as `{"type": "string", "enum": [...]}` so Ajv reports one clear error. */
export function StringEnum<const T extends string[]>(values: T, choiceMessage?: string) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: values, ...(choiceMessage ? { 'x-choice-message': choiceMessage } : {}) });
}

/** A nullable object (an object or `null`). */
export const NullableObject = Type.Unsafe<Record<string, unknown> | null>({ type: ['object', 'null'], additionalProperties: true });

export const IdParam = (name: string) => Type.Object({ [name]: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }) });

export function paged<T extends TSchema>(item: T) {
  return Type.Object({
    count: Type.Integer(),
    next: Type.Union([Type.String(), Type.Null()]),
    previous: Type.Union([Type.String(), Type.Null()]),
    results: Type.Array(item),
  });
}

export const bearer = [{ bearer: [] as string[] }];

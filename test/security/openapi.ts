import type { ApiClient } from '../support/http.js';

/** One operation of the served OpenAPI document. */
export interface Operation {
  method: string;
  /** OpenAPI path, e.g. `/api/chat/{chat_id}/`. */
  path: string;
  pathParams: string[];
  queryParams: string[];
  /** Properties of the JSON body schema, when the route takes one. */
  bodyProperties: string[];
  hasBody: boolean;
  secured: boolean;
}

/** Routes that are no JSON API: the event stream never ends, the docs serve HTML and files. */
export const NOT_JSON_API = (op: Operation) => op.path === '/sse/users/' || op.path.startsWith('/api/docs') || op.path === '/metrics';

/** Every operation of `/api/docs/json`: new routes are covered by the tests that read it, with no list to update. */
export async function operationsOf(api: ApiClient): Promise<Operation[]> {
  const doc = (await api.get('/api/docs/json')).body;
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters: Array<{ in: string; name: string }> = op.parameters ?? [];
      const schema = op.requestBody?.content?.['application/json']?.schema;
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodyProperties: Object.keys(schema?.properties ?? {}),
        hasBody: !!schema,
        secured: Array.isArray(op.security) && op.security.length > 0,
      });
    }
  }
  return ops;
}

export function fillPath(path: string, values: Record<string, string>): string {
  // Lone surrogates cannot be percent-encoded: they become U+FFFD, as a browser would send them.
  const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(wellFormed(values[name] ?? '1')));
}

/**
 * The API's error shapes (see docs/api.md, Errors): `{"detail": "..."}` (with `code` on 401s), or a
 * map of fields to lists of messages (nested maps for nested fields).
 */
export function isSpecErrorBody(body: unknown): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const record = body as Record<string, unknown>;
  if (typeof record.detail === 'string') return Object.keys(record).every((k) => k === 'detail' || k === 'code');
  const isFieldMap = (value: unknown): boolean => {
    if (Array.isArray(value)) return value.length > 0 && value.every((m) => typeof m === 'string' || isFieldMap(m));
    if (value && typeof value === 'object') return Object.values(value).length > 0 && Object.values(value).every(isFieldMap);
    return false;
  };
  return Object.keys(record).length > 0 && Object.values(record).every(isFieldMap);
}

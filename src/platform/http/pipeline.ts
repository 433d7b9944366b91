import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import FindMyWay from 'find-my-way';
import { BusUnavailableError } from '../bus/index.js';
import { isUniqueViolation } from '../db/database.js';
import { isDependencyDown } from '../db/faults.js';
import { ApiError, AuthFailures, forbidden, methodNotAllowed, notFound, serviceUnavailable, throttled } from './errors.js';
import type { UserRow } from './request-context.js';
import { fieldErrorsFromAjv, prepareBody, prepareStrings, type AjvError } from './validation.js';

export interface AuthenticateOptions {
  /** Load the counters of Me's `notifications` with the row. */
  withNotifications?: boolean;
  /** A row read this long ago on this node will do (read-only lists polled by many: docs/architecture.md). */
  maxAgeMs?: number;
}

export interface Authenticator {
  /** Verifies an access token and loads its user, or throws the matching 401. */
  authenticate(token: string, options?: AuthenticateOptions): Promise<UserRow>;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const GUEST_REFUSED = 'Guest users cannot perform this action.';

/** Reads the caller's credential (see docs/api.md, Authentication): `Authorization: Bearer <t>`, or `?token=` where allowed. */
export function credentialOf(request: FastifyRequest, allowQueryToken: boolean): string {
  const header = request.headers.authorization?.trim();
  if (!header) {
    const token = allowQueryToken ? (request.query as Record<string, unknown> | undefined)?.token : undefined;
    if (typeof token === 'string' && token !== '') return token;
    throw AuthFailures.notAuthenticated();
  }
  const words = header.split(/\s+/);
  if (words[0] !== 'Bearer') throw AuthFailures.authenticationFailed();
  if (words.length !== 2) throw AuthFailures.badHeader();
  return words[1];
}

async function authenticateRoute(request: FastifyRequest, config: FastifyRequest['routeOptions']['config'], authenticator: Authenticator) {
  if (config.auth !== 'required') return;
  request.user = await authenticator.authenticate(credentialOf(request, config.queryToken === true), {
    withNotifications: config.withNotifications === true,
    maxAgeMs: config.callerMaxAgeMs,
  });
  if (config.sse === 'required' && request.user.is_online !== 1) throw AuthFailures.sseConnectionRequired();
  if (config.guests === false && request.user.is_guest) throw forbidden(GUEST_REFUSED);
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

function isJson(contentType: string | undefined): boolean {
  return !!contentType && /^application\/json\s*(;.*)?$/i.test(contentType.trim());
}

/** PostgreSQL "data exception" (SQLSTATE class 22): out-of-range numbers, bad encodings, invalid text representations. */
function isDataException(error: { code?: unknown; severity?: unknown }): boolean {
  return typeof error.code === 'string' && /^22[0-9A-Z]{3}$/.test(error.code) && typeof error.severity === 'string';
}

/** No request body of the API nests anywhere near this; deeper input would only exhaust the stack of the parser and validators. */
const MAX_JSON_DEPTH = 64;

/** The deepest nesting of arrays and objects in a JSON text (strings skipped); linear, no recursion. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

const NUL_REFUSED = 'Null characters are not allowed.';

function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > MAX_JSON_DEPTH || !value || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, item]) => key.includes('\u0000') || containsNul(item, depth + 1));
}

/**
 * NUL characters are refused at the door (as the reference's text fields do):
 * PostgreSQL cannot store them in text and would answer an error. A body
 * field or query parameter holding one is a 400 field error, a path holding
 * one names nothing (404).
 */
function refuseNullCharacters(request: FastifyRequest): void {
  if (containsNul(request.params)) throw notFound();
  for (const source of [request.query, request.body]) {
    if (!source || typeof source !== 'object' || Array.isArray(source)) {
      if (containsNul(source)) throw new ApiError(400, { non_field_errors: [NUL_REFUSED] });
      continue;
    }
    const fields = Object.entries(source as Record<string, unknown>).filter(([key, value]) => key.includes('\u0000') || containsNul(value));
    if (fields.length > 0) throw new ApiError(400, Object.fromEntries(fields.map(([key]) => [key.replace(/\u0000/g, '') || 'non_field_errors', [NUL_REFUSED]])));
  }
}

/** Turns any thrown error into the API's status and body (see docs/api.md, Errors). */
export function renderError(error: any, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ApiError) {
    return reply.status(error.statusCode).headers(error.headers).send(error.body);
  }
  if (error.validation) {
    if (error.validationContext === 'params') return reply.status(404).send({ detail: 'Not found.' });
    return reply.status(400).send(fieldErrorsFromAjv(error.validation as AjvError[]));
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return reply.status(415).send({ detail: `Unsupported media type "${request.headers['content-type'] ?? ''}" in request.` });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply.status(413).send({ detail: 'Request body is too large.' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return reply.status(400).send({ detail: 'Invalid Content-Length.' });
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return reply.status(400).send({ detail: `JSON parse error - ${error.message}` });
  }
  if (error.statusCode === 429) return reply.status(429).send({ detail: 'Request was throttled.' });
  if (isUniqueViolation(error)) return renderError(throttled(), request, reply);
  if (error instanceof BusUnavailableError) return renderError(serviceUnavailable('event-queue'), request, reply);
  if (isDependencyDown(error)) return renderError(serviceUnavailable('database'), request, reply);
  if (isDataException(error)) {
    // Input the validation let through but the database cannot take (PostgreSQL class 22): the client's, not a crash.
    request.log.warn({ err: error }, 'input refused by the database');
    return reply.status(400).send({ detail: 'Invalid input.' });
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return reply.status(error.statusCode).send({ detail: error.message });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({ detail: 'A server error occurred.' });
}

/**
 * The request pipeline every public route goes through, in this order (see
 * docs/architecture.md, The path of a request): Content-Type gate,
 * authentication, JSON parsing, body shape and normalisation, schema
 * validation; unknown paths and methods answer 404/405 after authentication.
 */
export function installPipeline(app: FastifyInstance, authenticator: Authenticator): void {
  const knownRoutes = FindMyWay();
  const routeConfigs = new Map<string, RouteOptions['config']>();

  app.decorateRequest('user', null);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      const key = `${method} ${route.url}`;
      routeConfigs.set(key, route.config);
      knownRoutes.on(method as any, route.url, () => {}, { key });
    }
  });

  // An empty body with a JSON content type is "no body" (guest creation, DELETE), not a parse error.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    if (nestingDepth(text) > MAX_JSON_DEPTH) return done(new SyntaxError(`Nesting deeper than ${MAX_JSON_DEPTH} levels.`), undefined);
    try {
      done(null, JSON.parse(text, (key, value) => (key === '__proto__' ? undefined : value)));
    } catch (error) {
      // Whatever JSON.parse throws (a RangeError on pathological input too) is the client's malformed body.
      done(error instanceof SyntaxError ? error : new SyntaxError(String((error as Error)?.message ?? error)), undefined);
    }
  });

  app.addHook('onRequest', async (request) => {
    if (hasBody(request) && !isJson(request.headers['content-type']) && request.url.startsWith('/api/')) {
      throw new ApiError(415, { detail: `Unsupported media type "${request.headers['content-type'] ?? ''}" in request.` });
    }
    await authenticateRoute(request, request.routeOptions.config, authenticator);
  });

  app.addHook('preValidation', async (request) => {
    refuseNullCharacters(request);
    const config = request.routeOptions.config;
    const schema = request.routeOptions.schema;
    if (WRITE_METHODS.has(request.method) || schema?.body) {
      prepareBody(request, schema?.body as any, { shape: config.bodyShape ?? 'detail', noTrim: config.noTrim ?? [] });
    }
    prepareStrings(request.query, schema?.querystring as any);
    prepareStrings(request.params, schema?.params as any);
  });

  app.setErrorHandler((error, request, reply) => renderError(error, request, reply));

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
      .map((method) => knownRoutes.find(method as any, path))
      .filter((found): found is NonNullable<typeof found> => !!found);
    if (allowed.length === 0 || request.method === 'OPTIONS') return renderError(notFound(), request, reply);
    const config = routeConfigs.get(String(allowed[0].store?.key)) ?? {};
    try {
      await authenticateRoute(request, config as any, authenticator);
    } catch (error) {
      return renderError(error, request, reply);
    }
    return renderError(methodNotAllowed(request.method), request, reply);
  });
}

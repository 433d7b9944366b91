import type { FastifyServerOptions } from 'fastify';
import { createRequire } from 'node:module';
import { truncatedAddress } from './client-address.js';

/** What replaces a secret in a log line. */
export const REDACTED = '[REDACTED]';

/** Query parameters that carry credentials (`?token=` of the event stream and the game socket). */
const SECRET_QUERY = /([?&](?:token|access|refresh|password|old_password)=)[^&#]*/gi;

/** A logged URL is cut after this many characters: one request must not write a megabyte of log. */
const MAX_LOGGED_URL = 1024;

/** The URL as logged: credential parameters replaced by `[REDACTED]`, cut to a bounded length. */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const clean = url.replace(SECRET_QUERY, `$1${REDACTED}`);
  return clean.length > MAX_LOGGED_URL ? `${clean.slice(0, MAX_LOGGED_URL)}…` : clean;
}

/** Secrets of headers and bodies, wherever a log line carries them. */
const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-internal-token"]',
  'headers.authorization', 'headers.cookie', 'headers["x-internal-token"]',
  'res.headers["set-cookie"]',
  'password', 'old_password', 'token', 'access', 'refresh',
  '*.password', '*.old_password', '*.token', '*.access', '*.refresh',
];

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
  host?: string;
  socket?: { remoteAddress?: string };
}

/** JSON lines (for machines), or pino-pretty's readable lines (for a person at a terminal). */
export type LogFormat = 'json' | 'pretty';

/**
 * pino-pretty's settings: local time, one line per record (a request with its
 * method and redacted URL; other fields, e.g. an error's stack, below it).
 * Strings only: they are sent to the transport's worker thread.
 */
const PRETTY = {
  translateTime: 'SYS:HH:MM:ss.l',
  ignore: 'pid,hostname,reqId,req,res,responseTime',
  messageFormat: '{if reqId}[{reqId}] {end}{msg}{if req.method} {req.method} {req.url}{end}{if res.statusCode} {res.statusCode}{end}{if responseTime} ({responseTime} ms){end}',
};

/** Where the records go: standard output (pretty: through pino-pretty's transport), or a given stream. */
function destination(format: LogFormat, stream?: { write(line: string): void }) {
  if (format === 'json') return stream ? { stream } : {};
  if (!stream) {
    const colorize = Boolean(process.stdout.isTTY && process.stdout.hasColors?.());
    return { transport: { target: 'pino-pretty', options: { ...PRETTY, colorize } } };
  }
  // A given stream (tests, embedding): the same lines, formatted in-process, without colours.
  // Required here, not imported: JSON logging (production) does without its memory.
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  const pretty = prettyFactory({ ...PRETTY, colorize: false });
  return { stream: { write: (line: string) => stream.write(pretty(line)) } };
}

/**
 * The logger options of both apps: no secrets and no client addresses in
 * any line. A request is logged with its method, its URL with the credential
 * parameters redacted, its Host, and only the network of the client (IPv4
 * /24, IPv6 /48); never the port, the headers or the body. Redaction and
 * serializers run before the record is written, in either format.
 */
export function privateLoggerOptions(level: string, stream?: { write(line: string): void }, format: LogFormat = 'json'): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: {
      req(request: LoggedRequest) {
        return {
          method: request.method,
          url: redactUrl(request.url),
          host: request.host,
          remoteAddress: truncatedAddress(request.ip ?? request.socket?.remoteAddress),
        };
      },
    },
    ...destination(format, stream),
  } as FastifyServerOptions['logger'];
}

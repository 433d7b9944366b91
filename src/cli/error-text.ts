/**
 * What the terminal client says when the server refuses something: a
 * sentence a person reads, never a status code. The server's own sentences
 * (docs/api.md, Errors: `{"detail"}` or field errors) are shown as they are
 * when they read well; the few that do not (a failed login, the 401 codes,
 * throttling, a server failure) get words of their own here, in one table.
 */

/** The sentences of the client's own, by the server's text or 401 code they replace. */
export const ErrorTexts = {
  wrongCredentials: 'Wrong username or password.',
  sessionExpired: 'Your session has expired — log in again (Ctrl+L).',
  accountGone: 'This account no longer exists — log in again (Ctrl+L).',
  notLoggedIn: 'You are not logged in — log in again (Ctrl+L).',
  streamNotReady: 'The live connection to the server is not ready yet — try again in a moment.',
  throttled: 'Too many requests — wait a moment and try again.',
  tooLarge: 'That is too long for the server.',
  serverProblem: 'The server ran into a problem — try again in a moment.',
  serverUnavailable: 'The server is unavailable right now — try again in a moment.',
  guestsRefused: 'Guests cannot do this: register the account first (menu: a, Account).',
  noAnswer: 'The server gave no answer that this client understands.',
} as const;

/** The 401 codes of the API (docs/api.md, Authentication). */
const AUTH_CODES: Record<string, string> = {
  token_not_valid: ErrorTexts.sessionExpired,
  user_not_found: ErrorTexts.accountGone,
  not_authenticated: ErrorTexts.notLoggedIn,
  authentication_failed: ErrorTexts.sessionExpired,
  sse_connection_required: ErrorTexts.streamNotReady,
};

/** Server sentences replaced by the client's own. */
const REWORDED: Record<string, string> = {
  'No active account found with the given credentials': ErrorTexts.wrongCredentials,
  'Request was throttled.': ErrorTexts.throttled,
  'Request body is too large.': ErrorTexts.tooLarge,
  'A server error occurred.': ErrorTexts.serverProblem,
  'Guest users cannot perform this action.': ErrorTexts.guestsRefused,
};

/** A capital first letter and a full stop: a sentence. */
export function sentence(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  if (!trimmed) return trimmed;
  const capital = `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}`;
  return /[.!?…)]$/.test(capital) ? capital : `${capital}.`;
}

const label = (field: string) => field.replace(/_/g, ' ');

/** The first message of a field error (nested like the body it answers), with the field named when the message does not name it. */
function fieldMessage(record: Record<string, unknown>): string | null {
  for (const [field, value] of Object.entries(record)) {
    const first = Array.isArray(value) ? value.find((v) => typeof v === 'string') : value;
    let message: string | null = null;
    if (typeof first === 'string') message = first;
    else if (first && typeof first === 'object') message = fieldMessage(first as Record<string, unknown>);
    if (!message) continue;
    if (field === 'non_field_errors' || field === 'detail' || message.toLowerCase().includes(label(field).toLowerCase())) return message;
    return `${sentence(label(field)).slice(0, -1)}: ${message}`;
  }
  return null;
}

/** The detail of an error body, as the server wrote it (after the client's own words for its 401 codes), else null. */
export function serverText(body: unknown): string | null {
  if (typeof body === 'string') return body.trim() ? body.trim().slice(0, 200) : null;
  if (!body || typeof body !== 'object') return null;
  const record = body as Record<string, unknown>;
  if (typeof record.detail === 'string') {
    const code = typeof record.code === 'string' ? record.code : null;
    return REWORDED[record.detail] ?? (code && AUTH_CODES[code]) ?? record.detail;
  }
  return fieldMessage(record);
}

/** The status line's sentence for a refusal of the server (`status` > 0). */
export function refusalText(status: number, body: unknown): string {
  const text = serverText(body);
  if (text && !(status >= 500 && /^(service unavailable|internal server error|bad gateway)$/i.test(text))) {
    if (status === 503 && /^Failed to connect to/.test(text)) return ErrorTexts.serverUnavailable;
    return sentence(text);
  }
  if (status === 429) return ErrorTexts.throttled;
  if (status === 413) return ErrorTexts.tooLarge;
  if (status === 502 || status === 503 || status === 504) return ErrorTexts.serverUnavailable;
  if (status >= 500) return ErrorTexts.serverProblem;
  if (status === 401) return ErrorTexts.notLoggedIn;
  if (status === 404) return 'Not found.';
  return ErrorTexts.noAnswer;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006', 'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_BUSY', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_LOCKED', '57014', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** True when an error means a backing service (database, Redis) is unreachable or full, not that the request was wrong. */
export function isDependencyDown(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  if (!e) return false;
  if (e.code && (CONNECTION_CODES.has(e.code) || e.code.startsWith('SQLITE_IOERR'))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Query read timeout|Client has encountered a connection error|connection has been discarded|Client was closed and is not queryable|canceling statement due to statement timeout/i.test(e.message ?? '');
}

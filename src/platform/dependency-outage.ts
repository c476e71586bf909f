/**
 * Telling a dependency outage (the database or the key-value store unreachable, frozen, restarting
 * or too slow) from a bug. An outage is answered 503 SERVICE_UNAVAILABLE with `Retry-After` in the
 * surface's own format; anything else stays INTERNAL.
 */

export type Dependency = 'database' | 'kv';

/** Thrown by Ponte's own wrappers when a dependency could not answer in time. */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: Dependency,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'DependencyUnavailableError';
  }
}

/** How long a client should wait before trying again after an outage answer. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

// Network errors of a socket to PostgreSQL or Redis.
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

// SQLSTATE classes and codes that mean "the server can't serve now", not "your query is wrong":
// 08 connection exception, 57P01–57P03 shutdown/restart, 53 insufficient resources,
// 57014 statement timeout (the statement_timeout Ponte sets), 40001/40P01 retryable conflicts.
const postgresOutageCodes = new Set(['57P01', '57P02', '57P03', '57014', '53000', '53100', '53200', '53300', '40001', '40P01']);

// pg and pg-pool report these without a code.
const postgresOutageMessages = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
  'Connection terminated unexpectedly',
  'Cannot use a pool after calling end on the pool',
];

// SQLite: another process holds the write lock longer than busy_timeout, or the disk failed.
const sqliteOutageCodes = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_CANTOPEN']);

/** The dependency whose outage `error` is, or undefined when it is something else. */
export function outageOf(error: unknown): Dependency | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    if (current instanceof DependencyUnavailableError) return current.dependency;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (postgresOutageCodes.has(code) || code.startsWith('08')) return 'database';
      if (sqliteOutageCodes.has(code) || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_BUSY')) return 'database';
      if (networkCodes.has(code)) return 'database';
    }
    if (postgresOutageMessages.some((text) => current instanceof Error && current.message.startsWith(text))) return 'database';
  }
  return undefined;
}

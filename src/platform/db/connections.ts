import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';

/**
 * Opening Ponte's database connections, without the query builder: what database.ts wraps in
 * Kysely, and what the writer thread (writer-thread.worker.ts) uses as it is, so the thread starts
 * without loading Kysely.
 */

/** What `openDatabase` needs to open one more connection elsewhere (no functions: it crosses to worker threads). */
export type DatabaseConnection =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; searchPath?: string | undefined; timeouts?: Partial<PostgresTimeouts> | undefined };

const INT8_OID = 20;

/** PostgreSQL's limits: every wait on the server is bounded, so an outage fails a call instead of hanging it. */
export type PostgresTimeouts = {
  /** Opening a connection, or waiting for a free one in the pool. */
  connectTimeoutMs: number;
  /** Server side: the server cancels a statement running longer (SQLSTATE 57014). */
  statementTimeoutMs: number;
  /** Client side: a query whose answer doesn't arrive in time fails (a frozen server never answers). */
  queryTimeoutMs: number;
};

export const defaultPostgresTimeouts: PostgresTimeouts = { connectTimeoutMs: 2_000, statementTimeoutMs: 5_000, queryTimeoutMs: 6_000 };

export type PgPoolOptions = {
  url: string;
  poolSize?: number | undefined;
  searchPath?: string | undefined;
  timeouts?: Partial<PostgresTimeouts> | undefined;
  /** Errors of idle or checked-out connections (a restart, a terminated backend): reported, never thrown. */
  onConnectionError?: ((error: Error) => void) | undefined;
};

/** better-sqlite3's pragmas for every Ponte connection, the request one and the writer thread's. */
function sqlitePragmas(sqlite: SqliteDatabase.Database): void {
  // WAL + synchronous=NORMAL survives a process crash without losing commits (docs/DESEMPENHO.md).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // The WAL file keeps its largest size between checkpoints unless told to shrink back to this.
  sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
}

/** Creates the file (owner-only) if needed — unless `mustExist` — and opens it. */
export function openSqliteConnection(file: string, mustExist: boolean): SqliteDatabase.Database {
  if (mustExist) {
    const sqlite = new SqliteDatabase(file, { fileMustExist: true });
    sqlitePragmas(sqlite);
    return sqlite;
  }
  if (file !== ':memory:') {
    // Only Ponte's user reads the data folder and the database (SQLite gives its -wal and -shm
    // files the database file's mode).
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  }
  const sqlite = new SqliteDatabase(file);
  sqlitePragmas(sqlite);
  return sqlite;
}

/**
 * The pool every PostgreSQL connection of Ponte goes through: bounded waits (`PostgresTimeouts`),
 * bigint epoch columns as numbers, the schema of `searchPath`, and connection errors reported, never
 * thrown.
 */
export function createPgPool(options: PgPoolOptions): pg.Pool {
  const timeouts = { ...defaultPostgresTimeouts, ...options.timeouts };
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: timeouts.connectTimeoutMs,
    statement_timeout: timeouts.statementTimeoutMs,
    query_timeout: timeouts.queryTimeoutMs,
    idle_in_transaction_session_timeout: timeouts.statementTimeoutMs * 2,
    keepAlive: true,
    // Epoch-millisecond columns are bigint; they fit a JS number for the next 285,000 years.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  });
  // An 'error' event without a listener kills the process: the pool emits one for idle clients,
  // and a checked-out client emits its own when the server goes away mid-query (57P01 on a
  // restart, ECONNRESET). The query in flight fails on its own; pg-pool discards the broken client.
  const report = (error: Error) => options.onConnectionError?.(error);
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  return pool;
}


import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, PostgresIntrospector, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.ts';
import type { DatabaseSchema, Db } from './schema.ts';

export type DatabaseKind = 'sqlite' | 'postgres';

export type Database = {
  db: Db;
  kind: DatabaseKind;
  /** Cheap round trip used by `/readyz`. */
  ping(): Promise<void>;
  close(): Promise<void>;
};

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

export type DatabaseOptions =
  | { kind: 'sqlite'; file: string }
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      searchPath?: string;
      timeouts?: Partial<PostgresTimeouts>;
      /** Errors of idle or checked-out connections (a restart, a terminated backend): reported, never thrown. */
      onConnectionError?: (error: Error) => void;
    };

export function openDatabase(options: DatabaseOptions): Database {
  const db = options.kind === 'sqlite' ? openSqlite(options.file) : openPostgres(options);
  return {
    db,
    kind: options.kind,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}

function openSqlite(file: string): Db {
  if (file !== ':memory:') {
    // Only Ponte's user reads the data folder and the database (SQLite gives its -wal and -shm
    // files the database file's mode).
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  }
  const sqlite = new SqliteDatabase(file);
  // WAL + synchronous=NORMAL survives a process crash without losing commits (PERFORMANCE.md).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
}

function openPostgres(options: Extract<DatabaseOptions, { kind: 'postgres' }>): Db {
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
  return new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Applies pending migrations. Safe to run from several nodes at once: Kysely takes a migration
 * lock (an advisory lock on PostgreSQL). Returns the names applied by this call.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  // Kysely looks for its history tables in every schema unless told which one: in a PostgreSQL
  // database where another schema already has them, a fresh `search_path` schema would skip
  // creating its own and then fail. Name the connection's current schema explicitly.
  const migrationTableSchema =
    db.introspection instanceof PostgresIntrospector
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const isSqlite = !migrationTableSchema && !(db.introspection instanceof PostgresIntrospector);
  // Kysely takes no cross-process lock on SQLite: when two processes migrate one fresh file at the
  // same moment, the loser fails on "already exists" after the winner committed. Its retry then
  // finds the history up to date, which is what taking a lock would have given it.
  for (let attempt = 1; ; attempt += 1) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    const retryable = isSqlite && attempt < 3 && /already exists|database is locked/i.test(String((error as Error).message ?? error));
    if (!retryable) throw error instanceof Error ? error : new Error(String(error));
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
  }
}

import type SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, PostgresIntrospector, SqliteDialect, sql, type SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import { createPgPool, openSqliteConnection, type DatabaseConnection, type PostgresTimeouts } from './connections.ts';
import { migrations } from './migrations/index.ts';

export { defaultPostgresTimeouts, type DatabaseConnection, type PostgresTimeouts } from './connections.ts';
import type { DatabaseSchema, Db } from './schema.ts';

export type DatabaseKind = 'sqlite' | 'postgres';

export type Database = {
  db: Db;
  kind: DatabaseKind;
  /**
   * How to open another connection to the same database (plain data, so a worker thread can):
   * undefined for an in-memory SQLite database, which no other connection can see.
   */
  connection: DatabaseConnection | undefined;
  /**
   * SQLite only: whether this connection checkpoints the WAL itself when a commit leaves it past
   * 1000 pages (SQLite's default), or leaves that to another connection that does it in the
   * background (the central de logs writer thread) — so a request's commit never stalls on copying
   * the WAL into the database file and syncing it. Call with `false` only while such a connection
   * runs; a no-op on PostgreSQL.
   */
  checkpointOnCommit(enabled: boolean): void;
  /** Cheap round trip used by `/readyz`. */
  ping(): Promise<void>;
  close(): Promise<void>;
};

/** SQLite's own default for `wal_autocheckpoint`, in pages. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

export type DatabaseOptions =
  | {
      kind: 'sqlite';
      file: string;
      /** Open only a database that is already there (another connection to it), never create one. */
      mustExist?: boolean;
    }
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
  const sqlite = options.kind === 'sqlite' ? openSqlite(options.file, options.mustExist ?? false) : undefined;
  const db = sqlite ? sqlite.db : openPostgres(options as Extract<DatabaseOptions, { kind: 'postgres' }>);
  const connection: DatabaseConnection | undefined =
    options.kind === 'sqlite'
      ? options.file === ':memory:'
        ? undefined
        : { kind: 'sqlite', file: options.file }
      : { kind: 'postgres', url: options.url, searchPath: options.searchPath, timeouts: options.timeouts };
  return {
    db,
    kind: options.kind,
    connection,
    checkpointOnCommit(enabled) {
      if (sqlite?.raw.open) sqlite.raw.pragma(`wal_autocheckpoint = ${enabled ? SQLITE_AUTOCHECKPOINT_PAGES : 0}`);
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}

/** Prepared statements kept per connection: Kysely's driver prepares every query it runs. */
const MAX_CACHED_STATEMENTS = 500;

/**
 * The better-sqlite3 connection as Kysely's driver sees it, with each statement prepared once:
 * Kysely compiles the same SQL text for the same query shape (values go as parameters) and asks
 * for a new prepared statement on every call, which costs as much as running a small query.
 * better-sqlite3 runs a statement to completion inside `all`/`run`, so one statement serves every
 * caller; a statement being iterated (`stream()`, which Ponte does not use) is never handed out
 * again until it is done. The cache is bounded (SQL with variable-length `in (…)` lists varies).
 * Transactions begin IMMEDIATE (below).
 */
function withStatementCache(sqlite: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(text: string) {
      // The writer thread commits on its own connection at any moment: a deferred BEGIN that read
      // before such a commit is refused at its first write, at once (SQLITE_BUSY_SNAPSHOT). Every
      // transaction here takes the write lock when it begins, waiting up to busy_timeout for it.
      const sql = text === 'begin' ? 'begin immediate' : text;
      let statement = statements.get(sql);
      if (statement && !statement.busy) return statement;
      statement = sqlite.prepare(sql);
      if (statements.size >= MAX_CACHED_STATEMENTS) statements.delete(statements.keys().next().value as string);
      statements.set(sql, statement);
      return statement;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}

function openSqlite(file: string, mustExist: boolean): { db: Db; raw: SqliteDatabase.Database } {
  const sqlite = openSqliteConnection(file, mustExist);
  return { db: new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }), raw: sqlite };
}

function openPostgres(options: Extract<DatabaseOptions, { kind: 'postgres' }>): Db {
  return new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool: createPgPool(options) }) });
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

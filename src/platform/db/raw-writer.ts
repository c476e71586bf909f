import type SqliteDatabase from 'better-sqlite3';
import type { Insertable } from 'kysely';
import type pg from 'pg';
import { createPgPool, openSqliteConnection, type DatabaseConnection } from './connections.ts';
import type { DatabaseSchema } from './schema.ts';

type Row = Record<string, unknown>;

/**
 * INSERTs over one connection of its own, without the query builder: what the writer thread
 * (writer-thread.worker.ts) writes through, so it starts without loading Kysely. Tables and
 * columns come from Ponte's own code (the schema's names), values always go as parameters.
 */
export type RawWriter = {
  /** Inserts every row in one transaction: all of them or none. */
  insert<T extends keyof DatabaseSchema>(table: T, rows: readonly Insertable<DatabaseSchema[T]>[]): Promise<void>;
  /**
   * SQLite: a checkpoint of the WAL into the database file — PASSIVE never waits for other
   * connections; RESTART waits for them so the next writer starts the WAL over. Returns the frames
   * the WAL held. Undefined on PostgreSQL.
   */
  checkpoint?: (mode: 'PASSIVE' | 'RESTART') => { walFrames: number };
  /** The first statement: fails when the database cannot be reached (or opened). */
  ping(): Promise<void>;
  close(): Promise<void>;
};

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** Every column any of the rows has, in first-seen order (a row without one stores null). */
function columnsOf(rows: readonly Row[]): string[] {
  const columns = new Set<string>();
  for (const row of rows) for (const column of Object.keys(row)) columns.add(column);
  return [...columns];
}

function openSqliteWriter(file: string): RawWriter {
  // Another connection to a database the server created and migrated: never create one here.
  const sqlite: SqliteDatabase.Database = openSqliteConnection(file, true);
  const statements = new Map<string, SqliteDatabase.Statement>();
  const statementFor = (table: string, columns: string[]) => {
    const sql = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values (${columns.map(() => '?').join(', ')})`;
    let statement = statements.get(sql);
    if (!statement) {
      statement = sqlite.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    async insert(table, inserted) {
      const rows = inserted as readonly Row[];
      if (rows.length === 0) return;
      const columns = columnsOf(rows);
      const statement = statementFor(table, columns);
      sqlite.transaction(() => {
        for (const row of rows) statement.run(columns.map((column) => row[column] ?? null));
      })();
    },
    checkpoint(mode) {
      const [result] = sqlite.pragma(`wal_checkpoint(${mode})`) as { busy: number; log: number; checkpointed: number }[];
      return { walFrames: result?.log ?? 0 };
    },
    async ping() {
      sqlite.prepare('select 1').get();
    },
    async close() {
      statements.clear();
      sqlite.close();
    },
  };
}

function openPostgresWriter(connection: Extract<DatabaseConnection, { kind: 'postgres' }>, onConnectionError: (error: Error) => void): RawWriter {
  const pool: pg.Pool = createPgPool({ ...connection, poolSize: 1, onConnectionError });
  return {
    async insert(table, inserted) {
      const rows = inserted as readonly Row[];
      if (rows.length === 0) return;
      const columns = columnsOf(rows);
      const values: unknown[] = [];
      const tuples = rows.map((row) => `(${columns.map((column) => `$${values.push(row[column] ?? null)}`).join(', ')})`);
      // One statement is one transaction on PostgreSQL: all rows or none.
      await pool.query(`insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${tuples.join(', ')}`, values);
    },
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      await pool.end();
    },
  };
}

export function openRawWriter(connection: DatabaseConnection, options: { onConnectionError: (error: Error) => void }): RawWriter {
  return connection.kind === 'sqlite' ? openSqliteWriter(connection.file) : openPostgresWriter(connection, options.onConnectionError);
}

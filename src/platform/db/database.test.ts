import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { outageOf } from '../dependency-outage.ts';
import { openSqliteConnection } from './connections.ts';
import { openDatabase } from './database.ts';

describe('embedded database files', () => {
  const root = mkdtempSync(join(tmpdir(), 'ponte-db-mode-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates the data folder 0700 and the database with its WAL files 0600', async () => {
    const dir = join(root, 'data');
    const database = openDatabase({ kind: 'sqlite', file: join(dir, 'ponte.db') });
    await sql`create table probe (x integer)`.execute(database.db);
    try {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const file of ['ponte.db', 'ponte.db-wal', 'ponte.db-shm']) expect(statSync(join(dir, file)).mode & 0o777, file).toBe(0o600);
    } finally {
      await database.close();
    }
  });
});

describe('transactions beside the writer thread’s connection', () => {
  const root = mkdtempSync(join(tmpdir(), 'ponte-db-tx-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  // The writer thread commits on a connection of its own at any moment. A transaction that read
  // first (deferred BEGIN) and writes after such a commit cannot upgrade its stale snapshot:
  // SQLite refuses at once, without waiting — a 503 for a painel save under load (seen in CI).
  it('a transaction holds the write lock from its BEGIN: no commit slips between its read and its write', async () => {
    const file = join(root, 'ponte.db');
    const database = openDatabase({ kind: 'sqlite', file });
    await sql`create table probe (x integer)`.execute(database.db);
    const other = openSqliteConnection(file, true);
    try {
      await database.db.transaction().execute(async (trx) => {
        await sql`select count(*) from probe`.execute(trx);
        // The other connection (busy_timeout 0: it never waits) cannot write while the transaction holds the lock…
        other.pragma('busy_timeout = 0');
        expect(() => other.prepare('insert into probe (x) values (2)').run()).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
        await sql`insert into probe (x) values (1)`.execute(trx);
      });
      // …and writes once it is committed.
      other.prepare('insert into probe (x) values (2)').run();
      const { rows } = await sql<{ x: number }>`select x from probe order by x`.execute(database.db);
      expect(rows.map((row) => row.x)).toEqual([1, 2]);
    } finally {
      other.close();
      await database.close();
    }
  });

  it('(the hazard itself) a deferred BEGIN that read before another commit is refused at its first write', () => {
    const file = join(root, 'hazard.db');
    const first = openSqliteConnection(file, false);
    first.exec('create table probe (x integer)');
    const second = openSqliteConnection(file, true);
    try {
      first.exec('begin');
      first.prepare('select count(*) from probe').get();
      second.prepare('insert into probe (x) values (1)').run();
      let refusal: unknown;
      try {
        first.prepare('insert into probe (x) values (2)').run();
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toMatchObject({ code: 'SQLITE_BUSY_SNAPSHOT' });
      // Should it ever happen again, it is a database outage (503 with Retry-After), not a 500.
      expect(outageOf(refusal)).toBe('database');
      first.exec('rollback');
    } finally {
      second.close();
      first.close();
    }
  });
});

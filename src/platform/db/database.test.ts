import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
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

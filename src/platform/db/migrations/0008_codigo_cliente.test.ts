import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestSchema, databaseKinds, dropTestSchema, migrateTestSchema, postgresUrl } from '../../../../test/support/infrastructure.ts';
import { migrateToLatest, openDatabase, type Database, type DatabaseKind } from '../database.ts';
import { migrations } from './index.ts';

/**
 * Migration 0008 on a database that already has clientes and tokens do cliente (made at 0007):
 * every cliente gets a code in creation order, every token a public key of 64 lowercase hex
 * characters, both unique — on SQLite and on PostgreSQL.
 */

async function withStoreAt0007(kind: DatabaseKind, work: (database: Database) => Promise<void>): Promise<void> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ponte-0008-'));
    const database = openDatabase({ kind, file: join(dir, 'ponte.db') });
    try {
      const { error } = await new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } }).migrateTo('0007_chaves_estaveis');
      if (error) throw error;
      await work(database);
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  const url = postgresUrl!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await createTestSchema(url, schema);
  const database = openDatabase({ kind, url, searchPath: schema, poolSize: 2 });
  try {
    await migrateTestSchema(url, async () => {
      const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations }, migrationTableSchema: schema });
      const { error } = await migrator.migrateTo('0007_chaves_estaveis');
      if (error) throw error;
    });
    await work(database);
  } finally {
    await database.close();
    await dropTestSchema(url, schema);
  }
}

describe.each(databaseKinds())('migration 0008_codigo_cliente on %s', (kind) => {
  it('numbers existing clientes in creation order and gives each existing token a unique 64-hex public key', async () => {
    await withStoreAt0007(kind, async ({ db }) => {
      // Ids in the opposite order of creation: the code follows created_at, not the id.
      const clientes = [
        { id: 'cli_c', nome: 'Primeira', created_at: 1_700_000_000_000 },
        { id: 'cli_b', nome: 'Segunda', created_at: 1_700_000_001_000 },
        { id: 'cli_a', nome: 'Terceira', created_at: 1_700_000_002_000 },
      ];
      for (const c of clientes) await sql`insert into clientes (id, nome, created_at, updated_at) values (${c.id}, ${c.nome}, ${c.created_at}, ${c.created_at})`.execute(db);
      for (const [i, clienteId] of ['cli_c', 'cli_c', 'cli_a'].entries()) {
        await sql`insert into client_tokens (id, cliente_id, token_hash, token_start, apis, descricao, created_at) values (${`tok_${i}`}, ${clienteId}, ${`hash${i}`}, ${'ptk_x'}, ${'["chavePasse"]'}, ${''}, ${1_700_000_000_000 + i})`.execute(db);
      }

      expect(await migrateToLatest(db)).toContain('0008_codigo_cliente');

      const codigos = await db.selectFrom('clientes').select(['id', 'codigo']).orderBy('created_at').execute();
      expect(codigos.map((r) => [r.id, Number(r.codigo)])).toEqual([
        ['cli_c', 1],
        ['cli_b', 2],
        ['cli_a', 3],
      ]);
      const tokens = await db.selectFrom('client_tokens').select(['id', 'chave_publica']).orderBy('id').execute();
      const chaves = tokens.map((r) => r.chave_publica);
      expect(chaves).toHaveLength(3);
      for (const chave of chaves) expect(chave).toMatch(/^[0-9a-f]{64}$/);
      expect(new Set(chaves).size).toBe(3);

      // Unique, and (where the database can say so) required.
      await expect(db.updateTable('clientes').set({ codigo: 1 }).where('id', '=', 'cli_a').execute()).rejects.toThrow();
      await expect(db.updateTable('client_tokens').set({ chave_publica: tokens[0]!.chave_publica }).where('id', '=', tokens[2]!.id).execute()).rejects.toThrow();
      if (kind === 'postgres') {
        await expect(sql`insert into clientes (id, nome, created_at, updated_at) values ('cli_d', 'Sem código', 1, 1)`.execute(db)).rejects.toThrow(/null/i);
      }
    });
  });
});

import { PostgresIntrospector, type Kysely } from 'kysely';

// Forward-only: never edit this file after it has landed; add a new migration instead.
/**
 * The invalidation bus (`platform/invalidation.ts`): one row per change that cached copies on
 * every node must drop. Ids only grow (nodes read `id > last seen`), so SQLite uses AUTOINCREMENT
 * (never reuses an id) and PostgreSQL an identity column.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.introspection instanceof PostgresIntrospector;
  await db.schema
    .createTable('invalidacoes')
    .addColumn('id', postgres ? 'bigint' : 'integer', (c) => (postgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('topico', 'text', (c) => c.notNull())
    .addColumn('chave', 'text')
    .addColumn('criado_em', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('invalidacoes_criado_em_idx').on('invalidacoes').column('criado_em').execute();
}

import { randomBytes } from 'node:crypto';
import { PostgresIntrospector, sql, type Kysely } from 'kysely';

// Forward-only: never edit this file after it has landed; add a new migration instead.
//
// The temp token's claims, typed as the seed's example (`"idCliente": 492`, `"key": "a53b…8c"`):
// - `clientes.codigo`: a stable numeric code per cliente, the `idCliente` claim. Existing clientes
//   are numbered 1, 2, … in creation order; new ones take the next number when created
//   (clientes.repo.ts). Unique.
// - `client_tokens.chave_publica`: 32 random bytes in lowercase hex per token do cliente, the `key`
//   claim of its temp tokens. It names the parent token without being the token or its hash, and
//   is random (not derived from a key) so that rotating a key never orphans a temp token. Existing
//   tokens get one here. Unique.
// Both are NOT NULL on PostgreSQL; SQLite cannot add a NOT NULL column without a default, so there
// the application is what always fills them (both are set by the only insert of each table).
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.introspection instanceof PostgresIntrospector;

  await db.schema.alterTable('clientes').addColumn('codigo', 'integer').execute();
  const clientes = await sql<{ id: string }>`select id from clientes order by created_at, id`.execute(db);
  let codigo = 0;
  for (const { id } of clientes.rows) {
    codigo += 1;
    await sql`update clientes set codigo = ${codigo} where id = ${id}`.execute(db);
  }
  await db.schema.createIndex('clientes_codigo_idx').unique().on('clientes').column('codigo').execute();

  await db.schema.alterTable('client_tokens').addColumn('chave_publica', 'text').execute();
  const tokens = await sql<{ id: string }>`select id from client_tokens`.execute(db);
  for (const { id } of tokens.rows) {
    await sql`update client_tokens set chave_publica = ${randomBytes(32).toString('hex')} where id = ${id}`.execute(db);
  }
  await db.schema.createIndex('client_tokens_chave_publica_idx').unique().on('client_tokens').column('chave_publica').execute();

  if (postgres) {
    await sql`alter table clientes alter column codigo set not null`.execute(db);
    await sql`alter table client_tokens alter column chave_publica set not null`.execute(db);
  }
}

import type { Kysely } from 'kysely';

// Forward-only: never edit this file after it has landed; add a new migration instead.
//
// Painel accounts are no longer created with a password someone else chose:
// - `painel_convites`: an invitation of an e-mail into a cliente with a papel. Only the SHA-256 of
//   its link's token is kept; accepting deletes the row (single use). One per cliente and e-mail:
//   inviting again replaces it (new token, new expiry).
// - `painel_redefinicoes_senha`: "esqueci minha senha" links of the painel, same token rules.
// Every foreign key has an index (the unique (cliente_id, email) one leads with cliente_id).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('painel_convites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cliente_id', 'text', (c) => c.notNull().references('clientes.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('papel', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('convidado_por', 'text', (c) => c.references('painel_users.id').onDelete('set null'))
    .addColumn('criado_em', 'bigint', (c) => c.notNull())
    .addColumn('expira_em', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('painel_convites_cliente_email_idx').unique().on('painel_convites').columns(['cliente_id', 'email']).execute();
  await db.schema.createIndex('painel_convites_convidado_por_idx').on('painel_convites').column('convidado_por').execute();

  await db.schema
    .createTable('painel_redefinicoes_senha')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('painel_users.id').onDelete('cascade'))
    .addColumn('criado_em', 'bigint', (c) => c.notNull())
    .addColumn('expira_em', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('painel_redefinicoes_senha_user_idx').on('painel_redefinicoes_senha').column('user_id').execute();
  await db.schema.createIndex('painel_redefinicoes_senha_expira_idx').on('painel_redefinicoes_senha').column('expira_em').execute();
}

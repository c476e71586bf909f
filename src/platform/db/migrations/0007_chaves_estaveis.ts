import type { Kysely } from 'kysely';

// Forward-only: never edit this file after it has landed; add a new migration instead.
//
// - `chaves_derivadas`: keys that index data (the central de logs' user-key index, the person
//   index of app sessions, limit keys) are created once and kept sealed under the master key, so
//   rotating the master key re-seals them (`ponte keys reseal`) instead of orphaning what they
//   indexed. See platform/stable-keys.ts.
// - `integracoes.grupo_destinos_json`: the origins other than the grupo's own that its live tokens
//   may be sent to, confirmed with the grupo's senha (integracoes/grupo-destinos.ts). Null: saved
//   before the rule (the integração's own origins are taken on trust until its next save).
// - The painel's account lockout columns go: login backoff is per e-mail + IP in the key-value
//   store (no account can be kept locked by someone else), so nothing reads or writes them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chaves_derivadas')
    .addColumn('nome', 'text', (c) => c.primaryKey())
    .addColumn('chave_selada', 'text', (c) => c.notNull())
    .addColumn('criada_em', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('integracoes').addColumn('grupo_destinos_json', 'text').execute();
  await db.schema.alterTable('painel_users').dropColumn('failed_logins').execute();
  await db.schema.alterTable('painel_users').dropColumn('locked_until').execute();
}

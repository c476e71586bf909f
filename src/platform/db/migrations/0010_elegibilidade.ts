import type { Kysely } from 'kysely';

// Forward-only: never edit this file after it has landed; add a new migration instead.
//
// Known-beneficiary sessions (elegibilidade, relogin, chaveAuth):
// - `integracoes.elegibilidade_ativa`: the instância's elegibilidade was activated in the painel
//   (after passing the validador's live check); chaveAuth, embeds and relogin need it. 0 = off.
// - `integracoes.relogin_horas`: sessions older than this many hours refresh their login data
//   through elegibilidade; null = relogin off.
// - `app_sessions.renovada_em`: when the session's login data last came from the operator (the
//   login, or the last relogin); null = `created_at`.
// - `app_sessions.origem`: `login` (password) or `chaveAuth` (opened by the operator's backend).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('integracoes').addColumn('elegibilidade_ativa', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('integracoes').addColumn('relogin_horas', 'integer').execute();
  await db.schema.alterTable('app_sessions').addColumn('renovada_em', 'bigint').execute();
  await db.schema.alterTable('app_sessions').addColumn('origem', 'text', (c) => c.notNull().defaultTo('login')).execute();
}

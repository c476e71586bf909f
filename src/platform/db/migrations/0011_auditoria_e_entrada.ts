import type { Kysely } from 'kysely';

// Forward-only: never edit this file after it has landed; add a new migration instead.
//
// Issue 13, part B:
// - `audit_events.instancia`: the instância a change was made in (1 Sandbox, 2 Produção); null for
//   changes that belong to the whole cliente (tokens, painel users, retention). Events recorded
//   before this migration stay null ("não registrada").
// - The central de logs records both directions in `outbound_logs`: `direcao` is `saida` (a call
//   Ponte made to the operator: every row before this migration) or `entrada` (a call an operator
//   made to Ponte's /clientes API); `motivo` is why Ponte refused an `entrada` call (the caller gets
//   the seed's generic answer, the painel the reason); `token_id` is the token do cliente used.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('instancia', 'integer').execute();

  await db.schema.alterTable('outbound_logs').addColumn('direcao', 'text', (c) => c.notNull().defaultTo('saida')).execute();
  await db.schema.alterTable('outbound_logs').addColumn('motivo', 'text').execute();
  await db.schema.alterTable('outbound_logs').addColumn('token_id', 'text').execute();
}

import { sql, type Kysely } from 'kysely';

// Forward-only: never edit this file after it has landed; add a new migration instead.
//
// Indexes for the retention job (`src/platform/retention.ts`): each purge finds a bounded batch of
// ended rows by range on these columns instead of scanning the table. Revocations are rare next to
// live rows, so their indexes are partial (only revoked rows), small on both databases.
// `app_sessions.idle_expires_at` moves on every touch (once a minute per active session): indexing
// it costs PostgreSQL its HOT updates there, the price of finding the sessions that idled out — most
// of them end that way, 12 h idle against 30 days absolute.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('app_sessions_idle_expires_idx').on('app_sessions').column('idle_expires_at').execute();
  await db.schema.createIndex('app_sessions_revoked_idx').on('app_sessions').column('revoked_at').where(sql.ref('revoked_at'), 'is not', null).execute();

  await db.schema.createIndex('chaves_passe_expires_idx').on('chaves_passe').column('expires_at').execute();
  await db.schema.createIndex('chaves_passe_revoked_idx').on('chaves_passe').column('revoked_at').where(sql.ref('revoked_at'), 'is not', null).execute();

  await db.schema.createIndex('recuperacoes_expires_idx').on('recuperacoes').column('expires_at').execute();

  await db.schema.createIndex('painel_sessions_idle_expires_idx').on('painel_sessions').column('idle_expires_at').execute();
  await db.schema.createIndex('painel_sessions_expires_idx').on('painel_sessions').column('expires_at').execute();
}

import type { Kysely } from 'kysely';

// Forward-only: never edit this file after it has landed; add a new migration instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('clientes').addColumn('log_retention_days', 'integer', (c) => c.notNull().defaultTo(30)).execute();

  await db.schema
    .createTable('grupos_autorizacao')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cliente_id', 'text', (c) => c.notNull().references('clientes.id').onDelete('cascade'))
    .addColumn('instancia', 'integer', (c) => c.notNull())
    .addColumn('nome', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('usuario', 'text', (c) => c.notNull())
    .addColumn('senha_selada', 'text', (c) => c.notNull())
    .addColumn('ttl_segundos', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('ultima_renovacao_em', 'bigint')
    .addColumn('ultimo_erro', 'text')
    .addColumn('ultimo_erro_em', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('grupos_autorizacao_cliente_idx').on('grupos_autorizacao').columns(['cliente_id', 'instancia']).execute();

  await db.schema
    .createTable('integracoes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cliente_id', 'text', (c) => c.notNull().references('clientes.id').onDelete('cascade'))
    .addColumn('instancia', 'integer', (c) => c.notNull())
    .addColumn('base_url', 'text')
    .addColumn('metodos_json', 'text', (c) => c.notNull())
    .addColumn('timeout_ms', 'integer', (c) => c.notNull())
    .addColumn('headers_json', 'text', (c) => c.notNull())
    .addColumn('grupo_id', 'text', (c) => c.references('grupos_autorizacao.id').onDelete('set null'))
    .addColumn('updated_by', 'text', (c) => c.references('painel_users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('integracoes_cliente_instancia_unique', ['cliente_id', 'instancia'])
    .execute();
  await db.schema.createIndex('integracoes_grupo_idx').on('integracoes').column('grupo_id').execute();
  await db.schema.createIndex('integracoes_updated_by_idx').on('integracoes').column('updated_by').execute();

  await db.schema
    .createTable('outbound_logs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cliente_id', 'text', (c) => c.notNull().references('clientes.id').onDelete('cascade'))
    .addColumn('instancia', 'integer', (c) => c.notNull())
    .addColumn('operacao', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('request_headers_json', 'text', (c) => c.notNull())
    .addColumn('request_body_json', 'text')
    .addColumn('status', 'integer')
    .addColumn('status_text', 'text')
    .addColumn('response_body', 'text')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('resultado', 'text', (c) => c.notNull())
    .addColumn('violacoes_json', 'text')
    .addColumn('chave_usuario_hash', 'text')
    .addColumn('chave_usuario_mascarada', 'text')
    .addColumn('correlation_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbound_logs_cliente_created_idx').on('outbound_logs').columns(['cliente_id', 'created_at']).execute();
  await db.schema.createIndex('outbound_logs_cliente_usuario_idx').on('outbound_logs').columns(['cliente_id', 'chave_usuario_hash']).execute();
}

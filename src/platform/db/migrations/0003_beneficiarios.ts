import type { Kysely } from 'kysely';

// Forward-only: never edit this file after it has landed; add a new migration instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('formularios')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cliente_id', 'text', (c) => c.notNull().references('clientes.id').onDelete('cascade'))
    .addColumn('instancia', 'integer', (c) => c.notNull())
    .addColumn('nome', 'text', (c) => c.notNull())
    .addColumn('finalidade', 'text', (c) => c.notNull())
    .addColumn('campos_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('formularios_cliente_idx').on('formularios').columns(['cliente_id', 'instancia']).execute();

  await db.schema
    .createTable('funcionalidades')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cliente_id', 'text', (c) => c.notNull().references('clientes.id').onDelete('cascade'))
    .addColumn('instancia', 'integer', (c) => c.notNull())
    .addColumn('nome', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('chave', 'text', (c) => c.notNull().unique())
    .addColumn('codigo', 'text', (c) => c.notNull())
    .addColumn('validade_minutos', 'integer', (c) => c.notNull())
    .addColumn('ativa', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('funcionalidades_cliente_idx').on('funcionalidades').columns(['cliente_id', 'instancia']).execute();

  await db.schema
    .createTable('origens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cliente_id', 'text', (c) => c.notNull().references('clientes.id').onDelete('cascade'))
    .addColumn('origem', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('origens_cliente_origem_unique', ['cliente_id', 'origem'])
    .execute();
  await db.schema.createIndex('origens_origem_idx').on('origens').column('origem').execute();

  await db.schema
    .createTable('app_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('cliente_id', 'text', (c) => c.notNull().references('clientes.id').onDelete('cascade'))
    .addColumn('instancia', 'integer', (c) => c.notNull())
    .addColumn('chave_unica_hash', 'text', (c) => c.notNull())
    .addColumn('perfil_selado', 'text', (c) => c.notNull())
    .addColumn('seguranca_selada', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('idle_expires_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('app_sessions_cliente_idx').on('app_sessions').columns(['cliente_id', 'chave_unica_hash']).execute();

  await db.schema
    .createTable('chaves_passe')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('session_id', 'text', (c) => c.notNull().references('app_sessions.id').onDelete('cascade'))
    .addColumn('cliente_id', 'text', (c) => c.notNull().references('clientes.id').onDelete('cascade'))
    .addColumn('instancia', 'integer', (c) => c.notNull())
    .addColumn('funcionalidade_id', 'text', (c) => c.notNull().references('funcionalidades.id').onDelete('cascade'))
    .addColumn('sistema_selado', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('chaves_passe_session_idx').on('chaves_passe').column('session_id').execute();
  await db.schema.createIndex('chaves_passe_funcionalidade_idx').on('chaves_passe').column('funcionalidade_id').execute();
  await db.schema.createIndex('chaves_passe_cliente_idx').on('chaves_passe').column('cliente_id').execute();

  await db.schema
    .createTable('recuperacoes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cliente_id', 'text', (c) => c.notNull().references('clientes.id').onDelete('cascade'))
    .addColumn('instancia', 'integer', (c) => c.notNull())
    .addColumn('estado_selado', 'text', (c) => c.notNull())
    .addColumn('contato_escolhido', 'text')
    .addColumn('codigo_hash', 'text')
    .addColumn('codigo_expires_at', 'bigint')
    .addColumn('tentativas', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('verificado_em', 'bigint')
    .addColumn('concluido_em', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recuperacoes_cliente_idx').on('recuperacoes').column('cliente_id').execute();

  await db.schema
    .createTable('mensagens_enviadas')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cliente_id', 'text', (c) => c.notNull().references('clientes.id').onDelete('cascade'))
    .addColumn('instancia', 'integer', (c) => c.notNull())
    .addColumn('canal', 'text', (c) => c.notNull())
    .addColumn('destino', 'text', (c) => c.notNull())
    .addColumn('texto', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mensagens_enviadas_cliente_idx').on('mensagens_enviadas').columns(['cliente_id', 'created_at']).execute();
}

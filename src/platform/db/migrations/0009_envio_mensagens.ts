import type { Kysely } from 'kysely';

// Forward-only: never edit this file after it has landed; add a new migration instead.
//
// How recovery codes reach people, per cliente and instância (modules/mensagens): the SMS
// provider and its non-secret settings, the e-mail sender and the message templates in
// `config_json`; the provider's secrets (API token, auth token, secret key, secret header values)
// sealed in `sms_segredos_selado`, bound to the provider's origin; the cliente's own SMTP URL
// (with its credentials) sealed in `smtp_url_selado`. One row per instância.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('envio_mensagens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cliente_id', 'text', (c) => c.notNull().references('clientes.id').onDelete('cascade'))
    .addColumn('instancia', 'integer', (c) => c.notNull())
    .addColumn('config_json', 'text', (c) => c.notNull())
    .addColumn('sms_segredos_selado', 'text')
    .addColumn('smtp_url_selado', 'text')
    .addColumn('updated_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('envio_mensagens_cliente_instancia_unique', ['cliente_id', 'instancia'])
    .execute();
}

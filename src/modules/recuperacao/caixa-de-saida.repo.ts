import type { Executor } from '../../platform/db/schema.ts';

export type Canal = 'email' | 'sms';

export type MensagemEnviada = { id: string; canal: Canal; destino: string; texto: string; criadaEm: number };

/** Whose outbox: one cliente's instância. */
export type CaixaScope = { clienteId: string; instancia: 1 | 2 };

/** The development outbox as stored (`mensagens_enviadas`). Every method takes an optional transaction. */
export function createCaixaDeSaidaRepo(db: Executor) {
  const messagesOf = (scope: CaixaScope, trx: Executor) =>
    trx.selectFrom('mensagens_enviadas').where('cliente_id', '=', scope.clienteId).where('instancia', '=', scope.instancia);

  return {
    async insert(mensagem: MensagemEnviada & CaixaScope, trx: Executor = db): Promise<void> {
      await trx
        .insertInto('mensagens_enviadas')
        .values({
          id: mensagem.id,
          cliente_id: mensagem.clienteId,
          instancia: mensagem.instancia,
          canal: mensagem.canal,
          destino: mensagem.destino,
          texto: mensagem.texto,
          created_at: mensagem.criadaEm,
        })
        .execute();
    },

    /** One page of the outbox, newest first; `id` breaks ties between messages of the same millisecond so pages never overlap. */
    async listNewestFirst(scope: CaixaScope, page: { limit: number; offset: number }, trx: Executor = db): Promise<MensagemEnviada[]> {
      const rows = await messagesOf(scope, trx).selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
      return rows.map((row) => ({ id: row.id, canal: row.canal as Canal, destino: row.destino, texto: row.texto, criadaEm: row.created_at }));
    },

    async count(scope: CaixaScope, trx: Executor = db): Promise<number> {
      const { total } = await messagesOf(scope, trx)
        .select((eb) => eb.fn.countAll<string | number>().as('total'))
        .executeTakeFirstOrThrow();
      return Number(total);
    },
  };
}

export type CaixaDeSaidaRepo = ReturnType<typeof createCaixaDeSaidaRepo>;

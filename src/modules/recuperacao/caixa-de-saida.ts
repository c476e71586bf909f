import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';

export type Canal = 'email' | 'sms';

export type MensagemEnviada = { id: string; canal: Canal; destino: string; texto: string; criadaEm: number };

export const MAX_PAGE_SIZE = 100;

/**
 * The development outbox (`mensagens_enviadas`): where codes go when there is no real channel,
 * so developers and tests can read them in the painel. It holds the codes in clear on purpose;
 * production never writes here (see `mensageiro.ts`).
 */
export function createCaixaDeSaida(deps: { db: Db; clock: Clock }) {
  return {
    async guardar(input: { clienteId: string; instancia: 1 | 2; canal: Canal; destino: string; texto: string }): Promise<void> {
      await deps.db
        .insertInto('mensagens_enviadas')
        .values({
          id: newId('mensagem'),
          cliente_id: input.clienteId,
          instancia: input.instancia,
          canal: input.canal,
          destino: input.destino,
          texto: input.texto,
          created_at: deps.clock.now(),
        })
        .execute();
    },

    /** Newest first; `pagina` starts at 1. */
    async listar(input: { clienteId: string; instancia: 1 | 2; pagina: number; porPagina: number }) {
      const porPagina = Math.min(Math.max(1, Math.trunc(input.porPagina)), MAX_PAGE_SIZE);
      const pagina = Math.max(1, Math.trunc(input.pagina));
      const scope = deps.db.selectFrom('mensagens_enviadas').where('cliente_id', '=', input.clienteId).where('instancia', '=', input.instancia);
      const [rows, count] = await Promise.all([
        scope
          .selectAll()
          // `id` breaks ties between messages of the same millisecond so pages never overlap.
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(porPagina)
          .offset((pagina - 1) * porPagina)
          .execute(),
        scope.select((eb) => eb.fn.countAll<string | number>().as('total')).executeTakeFirstOrThrow(),
      ]);
      const itens: MensagemEnviada[] = rows.map((row) => ({ id: row.id, canal: row.canal as Canal, destino: row.destino, texto: row.texto, criadaEm: row.created_at }));
      return { itens, pagina, porPagina, total: Number(count.total) };
    },
  };
}

export type CaixaDeSaida = ReturnType<typeof createCaixaDeSaida>;

import type { Executor } from '../../platform/db/schema.ts';

export type RecuperacaoRow = {
  id: string;
  clienteId: string;
  instancia: 1 | 2;
  estadoSelado: string;
  contatoEscolhido: string | null;
  codigoHash: string | null;
  codigoExpiresAt: number | null;
  tentativas: number;
  verificadoEm: number | null;
  concluidoEm: number | null;
  createdAt: number;
  expiresAt: number;
};

/**
 * Password recovery flows. Every state change is a guarded UPDATE whose WHERE states what must
 * still hold, so concurrent requests cannot both win (two verifications of one code, attempts
 * past the limit, two password changes of one flow); each says whether it changed the row. Every
 * method takes an optional transaction.
 */
export function createRecuperacaoRepo(db: Executor) {
  return {
    async insert(row: RecuperacaoRow, trx: Executor = db): Promise<void> {
      await trx
        .insertInto('recuperacoes')
        .values({
          id: row.id,
          cliente_id: row.clienteId,
          instancia: row.instancia,
          estado_selado: row.estadoSelado,
          contato_escolhido: row.contatoEscolhido,
          codigo_hash: row.codigoHash,
          codigo_expires_at: row.codigoExpiresAt,
          tentativas: row.tentativas,
          verificado_em: row.verificadoEm,
          concluido_em: row.concluidoEm,
          created_at: row.createdAt,
          expires_at: row.expiresAt,
        })
        .execute();
    },

    /** The flow if it belongs to this cliente and instância; another app's flow does not exist here. */
    async find(id: string, clienteId: string, instancia: 1 | 2, trx: Executor = db): Promise<RecuperacaoRow | undefined> {
      const row = await trx.selectFrom('recuperacoes').selectAll().where('id', '=', id).where('cliente_id', '=', clienteId).where('instancia', '=', instancia).executeTakeFirst();
      if (!row) return undefined;
      return {
        id: row.id,
        clienteId: row.cliente_id,
        instancia: row.instancia as 1 | 2,
        estadoSelado: row.estado_selado,
        contatoEscolhido: row.contato_escolhido,
        codigoHash: row.codigo_hash,
        codigoExpiresAt: row.codigo_expires_at,
        tentativas: row.tentativas,
        verificadoEm: row.verificado_em,
        concluidoEm: row.concluido_em,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      };
    },

    /**
     * Puts a new code in place of any previous one (which dies with it), zeroes the attempts and
     * drops an earlier verification: the new code is what must be proven. Only on a live flow.
     */
    async armCode(id: string, code: { hash: string; expiresAt: number; contatoId: string }, now: number, trx: Executor = db): Promise<boolean> {
      const result = await trx
        .updateTable('recuperacoes')
        .set({ codigo_hash: code.hash, codigo_expires_at: code.expiresAt, contato_escolhido: code.contatoId, tentativas: 0, verificado_em: null })
        .where('id', '=', id)
        .where('concluido_em', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Voids this code (and only this one: a newer code stays). */
    async voidCode(id: string, hash: string, trx: Executor = db): Promise<void> {
      await trx.updateTable('recuperacoes').set({ codigo_hash: null, codigo_expires_at: null }).where('id', '=', id).where('codigo_hash', '=', hash).execute();
    },

    /**
     * Counts one attempt against this code while it is current, unexpired and under `max`
     * attempts; returns the new count, or undefined when no attempt may be made.
     */
    async countAttempt(id: string, hash: string, max: number, now: number, trx: Executor = db): Promise<number | undefined> {
      const row = await trx
        .updateTable('recuperacoes')
        .set((eb) => ({ tentativas: eb('tentativas', '+', 1) }))
        .where('id', '=', id)
        .where('codigo_hash', '=', hash)
        .where('tentativas', '<', max)
        .where('codigo_expires_at', '>', now)
        .where('concluido_em', 'is', null)
        .returning('tentativas')
        .executeTakeFirst();
      return row?.tentativas;
    },

    /** Marks the flow verified and consumes the code (single use). */
    async markVerified(id: string, hash: string, now: number, trx: Executor = db): Promise<boolean> {
      const result = await trx
        .updateTable('recuperacoes')
        .set({ verificado_em: now, codigo_hash: null, codigo_expires_at: null })
        .where('id', '=', id)
        .where('codigo_hash', '=', hash)
        .where('concluido_em', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Claims a verified, live flow for its one password change; `false` if someone else did. */
    async claimConclusion(id: string, now: number, trx: Executor = db): Promise<boolean> {
      const result = await trx
        .updateTable('recuperacoes')
        .set({ concluido_em: now })
        .where('id', '=', id)
        .where('verificado_em', 'is not', null)
        .where('concluido_em', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Gives the claim back (the operator did not change the password), so the user can try again. */
    async releaseConclusion(id: string, claimedAt: number, trx: Executor = db): Promise<void> {
      await trx.updateTable('recuperacoes').set({ concluido_em: null }).where('id', '=', id).where('concluido_em', '=', claimedAt).execute();
    },

    /**
     * Deletes at most `batchSize` flows expired at `now` (epoch ms) and returns how many went. A
     * concluded flow is kept until then, so its later steps still answer 409 rather than 404; an
     * expired one answers 404 either way. Race-safe on both databases: one bounded statement whose
     * condition is repeated on the DELETE itself (`expires_at` never changes once written).
     */
    async deleteExpired(now: number, batchSize: number, trx: Executor = db): Promise<number> {
      const result = await trx
        .deleteFrom('recuperacoes')
        .where('id', 'in', (eb) => eb.selectFrom('recuperacoes').select('id').where('expires_at', '<=', now).limit(batchSize))
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type RecuperacaoRepo = ReturnType<typeof createRecuperacaoRepo>;

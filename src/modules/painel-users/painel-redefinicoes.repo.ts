import type { Executor } from '../../platform/db/schema.ts';

/** "Esqueci minha senha" links of the painel (`painel_redefinicoes_senha`): only the token's hash is stored. */
export function createPainelRedefinicoesRepo(db: Executor) {
  return {
    async insert(input: { tokenHash: string; userId: string; now: number; expiraEm: number }, trx: Executor = db): Promise<void> {
      await trx.insertInto('painel_redefinicoes_senha').values({ token_hash: input.tokenHash, user_id: input.userId, criado_em: input.now, expira_em: input.expiraEm }).execute();
    },

    /** Whether a live link has this hash (checked before the costly password hashing). */
    async isLive(tokenHash: string, now: number, trx: Executor = db): Promise<boolean> {
      const row = await trx.selectFrom('painel_redefinicoes_senha').select('token_hash').where('token_hash', '=', tokenHash).where('expira_em', '>', now).executeTakeFirst();
      return row !== undefined;
    },

    /** Consume-once: deletes the live link and returns whose it was. */
    async consume(tokenHash: string, now: number, trx: Executor = db): Promise<string | undefined> {
      const row = await trx.deleteFrom('painel_redefinicoes_senha').where('token_hash', '=', tokenHash).where('expira_em', '>', now).returning('user_id').executeTakeFirst();
      return row?.user_id;
    },

    /** Every link of the user: a new link, a changed password or a completed reset voids the others. */
    async deleteForUser(userId: string, trx: Executor = db): Promise<void> {
      await trx.deleteFrom('painel_redefinicoes_senha').where('user_id', '=', userId).execute();
    },

    /** Deletes up to `batchSize` expired links; returns how many went. */
    async deleteExpired(now: number, batchSize = 1000, trx: Executor = db): Promise<number> {
      const result = await trx
        .deleteFrom('painel_redefinicoes_senha')
        .where((eb) => eb.and([eb('token_hash', 'in', eb.selectFrom('painel_redefinicoes_senha').select('token_hash').where('expira_em', '<=', now).limit(batchSize)), eb('expira_em', '<=', now)]))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type PainelRedefinicoesRepo = ReturnType<typeof createPainelRedefinicoesRepo>;

import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { DatabaseSchema, Executor } from '../../platform/db/schema.ts';

type Condition = (eb: ExpressionBuilder<DatabaseSchema, 'chaves_passe'>) => Expression<SqlBool>;

/** Chaves passe as stored (`chaves_passe`: only the key's hash). Every method takes an optional transaction. */
export function createChavePasseRepo(db: Executor) {
  /**
   * One bounded DELETE of rows meeting `condition`, repeated on the DELETE itself so two nodes
   * purging at once delete each row once.
   */
  async function deleteBatch(condition: Condition, limit: number, trx: Executor): Promise<number> {
    const result = await trx
      .deleteFrom('chaves_passe')
      .where((eb) => eb.and([eb('id', 'in', eb.selectFrom('chaves_passe').select('id').where(condition).limit(limit)), condition(eb)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  return {
    /**
     * Deletes at most `batchSize` chaves passe revoked (by their session's logout) or expired at
     * `now` (epoch ms) and returns how many went: the data API answers the same for a missing key
     * as for an ended one. Revoked and expired are two statements, each on its own index: SQLite
     * cannot use a partial index inside an OR.
     */
    async deleteExpired(now: number, batchSize: number, trx: Executor = db): Promise<number> {
      const revoked = await deleteBatch((eb) => eb('revoked_at', 'is not', null), batchSize, trx);
      if (revoked >= batchSize) return revoked;
      return revoked + (await deleteBatch((eb) => eb('expires_at', '<=', now), batchSize - revoked, trx));
    },
  };
}

export type ChavePasseRepo = ReturnType<typeof createChavePasseRepo>;

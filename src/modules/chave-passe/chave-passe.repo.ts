import type { Expression, ExpressionBuilder, Insertable, Selectable, SqlBool } from 'kysely';
import type { ChavesPasseTable, DatabaseSchema, Executor } from '../../platform/db/schema.ts';

type Condition = (eb: ExpressionBuilder<DatabaseSchema, 'chaves_passe'>) => Expression<SqlBool>;

/** A chave passe as stored (`sistema_selado` still sealed), as the driver returns it. */
export type ChavePasseRow = Selectable<ChavesPasseTable>;

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
    async insert(row: Insertable<ChavesPasseTable>, trx: Executor = db): Promise<void> {
      await trx.insertInto('chaves_passe').values(row).execute();
    },

    /** The key whose hash is `keyHash`, live or not (the caller checks revocation and expiry). */
    async findByKeyHash(keyHash: string, trx: Executor = db): Promise<ChavePasseRow | undefined> {
      return trx.selectFrom('chaves_passe').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
    },

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

import type { Expression, ExpressionBuilder, Insertable, Selectable, SqlBool } from 'kysely';
import type { AppSessionsTable, DatabaseSchema, Executor } from '../../platform/db/schema.ts';

type Condition = (eb: ExpressionBuilder<DatabaseSchema, 'app_sessions'>) => Expression<SqlBool>;

/**
 * A session as stored, columns as they are: the service opens the sealed ones. Returned as the
 * driver gives it (no copy), since a session is read on every app request.
 */
export type AppSessionRow = Selectable<AppSessionsTable>;

/** What the chave passe data API needs of a session: its login (sealed) and whether it still lives. */
export type AppSessionLoginRow = Pick<AppSessionRow, 'id' | 'perfil_selado' | 'revoked_at' | 'expires_at'>;

/** Beneficiary sessions as stored (`app_sessions`). Every method takes an optional transaction. */
export function createAppSessionsRepo(db: Executor) {
  /**
   * One bounded DELETE of rows meeting `condition`. The condition is repeated on the DELETE
   * itself, so PostgreSQL checks it again on the row version it deletes (a session touched back to
   * life meanwhile stays) and two nodes purging at once delete each row once.
   */
  async function deleteBatch(condition: Condition, limit: number, trx: Executor): Promise<number> {
    const result = await trx
      .deleteFrom('app_sessions')
      .where((eb) => eb.and([eb('id', 'in', eb.selectFrom('app_sessions').select('id').where(condition).limit(limit)), condition(eb)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  return {
    async insert(row: Insertable<AppSessionsTable>, trx: Executor = db): Promise<void> {
      await trx.insertInto('app_sessions').values(row).execute();
    },

    /** The session whose bearer token hashes to `tokenHash`, live or not (the caller checks). */
    async findByTokenHash(tokenHash: string, trx: Executor = db): Promise<AppSessionRow | undefined> {
      return trx.selectFrom('app_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    },

    /** The login columns of one session, live or not (the caller checks). */
    async findLogin(sessionId: string, trx: Executor = db): Promise<AppSessionLoginRow | undefined> {
      return trx.selectFrom('app_sessions').select(['id', 'perfil_selado', 'revoked_at', 'expires_at']).where('id', '=', sessionId).executeTakeFirst();
    },

    /** Records activity at `lastSeenAt` and moves the idle deadline to `idleExpiresAt` (epoch ms). */
    async touch(sessionId: string, lastSeenAt: number, idleExpiresAt: number, trx: Executor = db): Promise<void> {
      await trx.updateTable('app_sessions').set({ last_seen_at: lastSeenAt, idle_expires_at: idleExpiresAt }).where('id', '=', sessionId).execute();
    },

    /**
     * Replaces the login a session keeps (a relogin), unless the session was revoked meanwhile:
     * the WHERE repeats `revoked_at IS NULL`, so a logout racing the relogin wins.
     */
    async replaceLogin(
      sessionId: string,
      login: { perfilSelado: string; segurancaSelada: string | null; renovadaEm: number },
      trx: Executor = db,
    ): Promise<void> {
      await trx
        .updateTable('app_sessions')
        .set({ perfil_selado: login.perfilSelado, seguranca_selada: login.segurancaSelada, renovada_em: login.renovadaEm })
        .where('id', '=', sessionId)
        .where('revoked_at', 'is', null)
        .execute();
    },

    /** Revokes one session at `now` unless already revoked (the first revocation's time stays). */
    async revoke(sessionId: string, now: number, trx: Executor = db): Promise<void> {
      await trx.updateTable('app_sessions').set({ revoked_at: now }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
    },

    /**
     * Revokes at `now` every chave passe issued under one session and not revoked yet. Here, with
     * the sessions, because a session's end is what revokes them (`chaves_passe` rows are written
     * by the chave passe module).
     */
    async revokeChavesPasseOf(sessionId: string, now: number, trx: Executor = db): Promise<void> {
      await trx.updateTable('chaves_passe').set({ revoked_at: now }).where('session_id', '=', sessionId).where('revoked_at', 'is', null).execute();
    },

    /**
     * Ends every live session of one person in a cliente's instância — `chaveUnicaHashes`: the
     * hashes a session of that person may carry — except `exceptId`, and every chave passe issued
     * under them, in one transaction; returns the ids of the sessions it ended. Atomic and
     * race-safe: each UPDATE repeats its conditions, so a session ended meanwhile (a logout) is
     * neither ended twice nor reported.
     */
    async endSessionsOf(
      person: { clienteId: string; instancia: 1 | 2; chaveUnicaHashes: string[]; exceptId?: string | undefined },
      now: number,
      trx: Executor = db,
    ): Promise<string[]> {
      const live: Condition = (eb) =>
        eb.and([
          eb('cliente_id', '=', person.clienteId),
          eb('instancia', '=', person.instancia),
          eb('chave_unica_hash', 'in', person.chaveUnicaHashes),
          eb('revoked_at', 'is', null),
          ...(person.exceptId === undefined ? [] : [eb('id', '!=', person.exceptId)]),
        ]);
      await trx
        .updateTable('chaves_passe')
        .set({ revoked_at: now })
        .where('revoked_at', 'is', null)
        .where('session_id', 'in', (eb) => eb.selectFrom('app_sessions').select('id').where(live))
        .execute();
      const ended = await trx.updateTable('app_sessions').set({ revoked_at: now }).where(live).returning('id').execute();
      return ended.map((row) => row.id);
    },

    /**
     * Deletes at most `batchSize` ended sessions — revoked by a logout, or idle or absolutely
     * expired at `now` (epoch ms) — and returns how many went; their chaves passe go with them
     * (foreign key ON DELETE CASCADE). `resolve` answers the same for a missing session as for an
     * ended one, so nothing needs them. The idle deadline is never later than the absolute one (the
     * service caps it at `expires_at` on login and on every touch), so it alone finds both
     * expiries. Revoked and expired are two statements, each on its own index: SQLite cannot use a
     * partial index inside an OR.
     */
    async deleteExpired(now: number, batchSize: number, trx: Executor = db): Promise<number> {
      const revoked = await deleteBatch((eb) => eb('revoked_at', 'is not', null), batchSize, trx);
      if (revoked >= batchSize) return revoked;
      return revoked + (await deleteBatch((eb) => eb('idle_expires_at', '<=', now), batchSize - revoked, trx));
    },
  };
}

export type AppSessionsRepo = ReturnType<typeof createAppSessionsRepo>;

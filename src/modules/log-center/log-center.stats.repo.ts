import { sql } from 'kysely';
import type { Executor } from '../../platform/db/schema.ts';

/** The calls of one cliente's instância in `[desde, ate)`, cut into buckets of `intervaloMs` from `desde`. */
export type StatsWindow = {
  clienteId: string;
  instancia: 1 | 2;
  /** Epoch ms, inclusive. */
  desde: number;
  /** Epoch ms, exclusive. */
  ate: number;
  intervaloMs: number;
};

export type CountRow = { bucket: number; operacao: string; resultado: string; chamadas: number; comViolacoes: number };
export type LatencyRow = { bucket: number; operacao: string; latencyMs: number };

/**
 * The painel inicial's reads over `outbound_logs`. `created_at` is an epoch-ms integer on both
 * engines, so a bucket is plain integer arithmetic — `(created_at - desde) / intervaloMs`, which
 * truncates on SQLite and PostgreSQL alike and is never negative inside the window — with no
 * date function that would differ between them.
 */
export function createLogStatsRepo(db: Executor) {
  function inWindow(w: StatsWindow, trx: Executor) {
    return trx
      .selectFrom('outbound_logs')
      .where('cliente_id', '=', w.clienteId)
      .where('instancia', '=', w.instancia)
      // The charts are about the operator's APIs: calls operators made to Ponte are not among them.
      .where('direcao', '=', 'saida')
      .where('created_at', '>=', w.desde)
      .where('created_at', '<', w.ate);
  }
  // The casts make both operands integers on SQLite too (a bound JS number may arrive as REAL,
  // and REAL division would not truncate); `bigint` is INTEGER affinity there.
  const bucketOf = (w: StatsWindow) => sql<number>`(created_at - cast(${w.desde} as bigint)) / cast(${w.intervaloMs} as bigint)`;

  return {
    /**
     * Calls per (bucket, operação, resultado), and how many of them carry contract violations
     * (stored as a JSON array, `[]` when none). Exact: counted by the database, nothing sampled.
     */
    async countByBucket(w: StatsWindow, trx: Executor = db): Promise<CountRow[]> {
      const rows = await inWindow(w, trx)
        .select([
          bucketOf(w).as('bucket'),
          'operacao',
          'resultado',
          (eb) => eb.fn.countAll().as('chamadas'),
          sql<number>`sum(case when violacoes_json is not null and violacoes_json <> '[]' then 1 else 0 end)`.as('com_violacoes'),
        ])
        // By output name: both engines accept it, and PostgreSQL then groups by the very select
        // expression (repeating it would bind its parameters twice and fail to match).
        .groupBy(['bucket', 'operacao', 'resultado'])
        .execute();
      return rows.map((r) => ({
        bucket: Number(r.bucket),
        operacao: r.operacao,
        resultado: r.resultado,
        chamadas: Number(r.chamadas),
        comViolacoes: Number(r.com_violacoes),
      }));
    },

    /**
     * The latency of each call that left Ponte (`bloqueado` never did), with its bucket and
     * operação — at most `limit` rows. With `everyNth` > 1 only every n-th call in time order
     * (ties by id) is read: a deterministic sample, the same on every run and engine.
     */
    async latencies(w: StatsWindow, options: { everyNth: number; limit: number }, trx: Executor = db): Promise<LatencyRow[]> {
      const measured = inWindow(w, trx).where('resultado', '<>', 'bloqueado');
      const rows =
        options.everyNth <= 1
          ? await measured.select([bucketOf(w).as('bucket'), 'operacao', 'latency_ms']).limit(options.limit).execute()
          : await trx
              .selectFrom(
                measured
                  .select([bucketOf(w).as('bucket'), 'operacao', 'latency_ms', sql<number>`row_number() over (order by created_at, id)`.as('rn')])
                  .as('numbered'),
              )
              .select(['bucket', 'operacao', 'latency_ms'])
              .where(sql<number>`rn % ${options.everyNth}`, '=', 0)
              .limit(options.limit)
              .execute();
      return rows.map((r) => ({ bucket: Number(r.bucket), operacao: r.operacao, latencyMs: Number(r.latency_ms) }));
    },
  };
}

export type LogStatsRepo = ReturnType<typeof createLogStatsRepo>;

import { PostgresIntrospector, sql } from 'kysely';
import type { Executor, OutboundLogsTable } from '../../platform/db/schema.ts';

/** One stored call, as read back: bodies and headers already redacted when written. */
export type OutboundLog = {
  id: string;
  clienteId: string;
  instancia: number;
  operacao: string;
  url: string;
  requestHeaders: Record<string, string>;
  /** JSON text (cut with a marker when it was too large). */
  requestBody: string | null;
  status: number | null;
  statusText: string | null;
  responseBody: string | null;
  latencyMs: number;
  resultado: string;
  violations: unknown[];
  chaveUsuarioMascarada: string | null;
  correlationId: string | null;
  createdAt: number;
  direcao: string;
  motivo: string | null;
  tokenId: string | null;
};

export type OutboundLogSummary = Pick<
  OutboundLog,
  'id' | 'instancia' | 'operacao' | 'url' | 'status' | 'statusText' | 'resultado' | 'latencyMs' | 'chaveUsuarioMascarada' | 'correlationId' | 'createdAt' | 'direcao' | 'motivo' | 'tokenId'
> & { violationCount: number };

export type LogSearchFilter = {
  clienteId: string;
  instancia: number;
  /** Epoch ms, inclusive. */
  from?: number | undefined;
  /** Epoch ms, inclusive. */
  to?: number | undefined;
  operacao?: string | undefined;
  status?: number | undefined;
  resultado?: string | undefined;
  chaveUsuarioHash?: string | undefined;
  /** Absent: both directions. An `entrada` row without instância (0: temp-authorization) matches either instância. */
  direcao?: string | undefined;
  motivo?: string | undefined;
};

const summaryColumns = [
  'id',
  'instancia',
  'operacao',
  'url',
  'status',
  'status_text',
  'resultado',
  'latency_ms',
  'chave_usuario_mascarada',
  'correlation_id',
  'created_at',
  'direcao',
  'motivo',
  'token_id',
] as const;

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toLog(row: OutboundLogsTable): OutboundLog {
  return {
    id: row.id,
    clienteId: row.cliente_id,
    instancia: row.instancia,
    operacao: row.operacao,
    url: row.url,
    requestHeaders: parseJson<Record<string, string>>(row.request_headers_json, {}),
    requestBody: row.request_body_json,
    status: row.status,
    statusText: row.status_text,
    responseBody: row.response_body,
    latencyMs: row.latency_ms,
    resultado: row.resultado,
    violations: parseJson<unknown[]>(row.violacoes_json, []),
    chaveUsuarioMascarada: row.chave_usuario_mascarada,
    correlationId: row.correlation_id,
    createdAt: row.created_at,
    direcao: row.direcao ?? 'saida',
    motivo: row.motivo ?? null,
    tokenId: row.token_id ?? null,
  };
}

export function createLogCenterRepo(db: Executor) {
  // `json_array_length` exists on both engines; PostgreSQL wants the text column cast to json.
  const violationCount =
    db.introspection instanceof PostgresIntrospector
      ? sql<number>`coalesce(json_array_length(violacoes_json::json), 0)`
      : sql<number>`coalesce(json_array_length(violacoes_json), 0)`;

  function filtered(filter: LogSearchFilter, trx: Executor) {
    let query = trx.selectFrom('outbound_logs').where('cliente_id', '=', filter.clienteId).where('instancia', 'in', [filter.instancia, 0]);
    if (filter.direcao !== undefined) query = query.where('direcao', '=', filter.direcao);
    if (filter.motivo !== undefined) query = query.where('motivo', '=', filter.motivo);
    if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('created_at', '<=', filter.to);
    if (filter.operacao !== undefined) query = query.where('operacao', '=', filter.operacao);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.resultado !== undefined) query = query.where('resultado', '=', filter.resultado);
    if (filter.chaveUsuarioHash !== undefined) query = query.where('chave_usuario_hash', '=', filter.chaveUsuarioHash);
    return query;
  }

  return {
    /** One multi-row INSERT: all rows or none. */
    async insertMany(rows: OutboundLogsTable[], trx: Executor = db): Promise<void> {
      if (rows.length === 0) return;
      await trx.insertInto('outbound_logs').values(rows).execute();
    },

    /** Newest first (ties by id), with the total of matching rows for pagination. */
    async search(filter: LogSearchFilter, page: { offset: number; limit: number }, trx: Executor = db): Promise<{ items: OutboundLogSummary[]; total: number }> {
      const counted = await filtered(filter, trx)
        .select((eb) => eb.fn.countAll().as('total'))
        .executeTakeFirstOrThrow();
      const rows = await filtered(filter, trx)
        .select([...summaryColumns, violationCount.as('violation_count')])
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
      return {
        total: Number(counted.total),
        items: rows.map((row) => ({
          id: row.id,
          instancia: row.instancia,
          operacao: row.operacao,
          url: row.url,
          status: row.status,
          statusText: row.status_text,
          resultado: row.resultado,
          latencyMs: row.latency_ms,
          chaveUsuarioMascarada: row.chave_usuario_mascarada,
          correlationId: row.correlation_id,
          createdAt: row.created_at,
          direcao: row.direcao,
          motivo: row.motivo,
          tokenId: row.token_id,
          violationCount: Number(row.violation_count),
        })),
      };
    },

    /** The entry only when it belongs to the cliente: another cliente's id reads as absent. */
    async findById(clienteId: string, id: string, trx: Executor = db): Promise<OutboundLog | undefined> {
      const row = await trx.selectFrom('outbound_logs').selectAll().where('id', '=', id).where('cliente_id', '=', clienteId).executeTakeFirst();
      return row && toLog(row);
    },

    async retentionByCliente(trx: Executor = db): Promise<{ clienteId: string; retentionDays: number }[]> {
      const rows = await trx.selectFrom('clientes').select(['id', 'log_retention_days']).orderBy('id').execute();
      return rows.map((r) => ({ clienteId: r.id, retentionDays: Number(r.log_retention_days) }));
    },

    /**
     * Deletes at most `limit` of the cliente's entries created before `cutoff` (epoch ms) and
     * returns how many went: one bounded statement, so a purge never holds a long lock.
     */
    async deleteOlderThan(clienteId: string, cutoff: number, limit: number, trx: Executor = db): Promise<number> {
      const result = await trx
        .deleteFrom('outbound_logs')
        .where('id', 'in', (eb) =>
          eb.selectFrom('outbound_logs').select('id').where('cliente_id', '=', clienteId).where('created_at', '<', cutoff).limit(limit),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type LogCenterRepo = ReturnType<typeof createLogCenterRepo>;

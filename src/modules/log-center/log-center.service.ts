import type { Db } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { RetentionTask } from '../../platform/retention.ts';
import type { OperatorMethod } from '../contracts/contract-spec.ts';
import { hashChaveUsuario, redactedForReading } from './log-center.redaction.ts';
import { createLogCenterRepo, type OutboundLog, type OutboundLogSummary } from './log-center.repo.ts';
import type { Outcome } from './log-center.types.ts';

export const MAX_PAGE_SIZE = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

export type LogSearchInput = {
  clienteId: string;
  instancia: 1 | 2;
  de?: number | undefined;
  ate?: number | undefined;
  operacao?: OperatorMethod | undefined;
  status?: number | undefined;
  resultado?: Outcome | undefined;
  /** The user's key in clear (a CPF, usually): matched through the same keyed hash as stored. */
  chaveUsuario?: string | undefined;
  /** 1-based. */
  pagina: number;
  porPagina: number;
};

export type LogSearchPage = { items: OutboundLogSummary[]; pagina: number; porPagina: number; total: number };

/**
 * The central de logs' read side and its retention. Reads are always scoped to one cliente (and
 * instância for searches); retention follows each cliente's `log_retention_days`.
 */
export function createLogCenterService(deps: { db: Db; hashKey: Buffer }) {
  const repo = createLogCenterRepo(deps.db);

  /**
   * Deletes at most `batchSize` entries older than their cliente's retention at `now` (epoch ms),
   * cliente after cliente, and returns how many went; fewer than `batchSize` means none is left.
   * Each cliente's delete is one bounded statement on its (cliente_id, created_at) index.
   */
  async function purgeExpired(now: number, batchSize: number): Promise<number> {
    let remaining = batchSize;
    for (const { clienteId, retentionDays } of await repo.retentionByCliente()) {
      if (!Number.isFinite(retentionDays)) continue;
      remaining -= await repo.deleteOlderThan(clienteId, now - retentionDays * DAY_MS, remaining);
      if (remaining <= 0) break;
    }
    return batchSize - remaining;
  }

  return {
    async search(input: LogSearchInput): Promise<LogSearchPage> {
      const porPagina = Math.min(Math.max(1, Math.trunc(input.porPagina)), MAX_PAGE_SIZE);
      const pagina = Math.max(1, Math.trunc(input.pagina));
      const chave = input.chaveUsuario?.trim();
      const { items, total } = await repo.search(
        {
          clienteId: input.clienteId,
          instancia: input.instancia,
          from: input.de,
          to: input.ate,
          operacao: input.operacao,
          status: input.status,
          resultado: input.resultado,
          chaveUsuarioHash: chave ? hashChaveUsuario(deps.hashKey, chave) : undefined,
        },
        { offset: (pagina - 1) * porPagina, limit: porPagina },
      );
      return { items, pagina, porPagina, total };
    },

    /** NOT_FOUND when the entry does not exist or belongs to another cliente. Rows written before the allow-list are masked on the way out. */
    async get(clienteId: string, logId: string): Promise<OutboundLog> {
      const entry = await repo.findById(clienteId, logId);
      if (!entry) throw new AppError('NOT_FOUND', 'Registro não encontrado na central de logs.');
      return redactedForReading(entry);
    },

    /** The central de logs' part of the retention job (`platform/retention.ts`). */
    retentionTask: { name: 'outbound_logs', purge: purgeExpired } satisfies RetentionTask,
  };
}

export type LogCenterService = ReturnType<typeof createLogCenterService>;

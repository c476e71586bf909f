import { toCsv } from '../../platform/csv.ts';
import { AppError } from '../../platform/errors.ts';
import type { RetentionTask } from '../../platform/retention.ts';
import type { OperatorMethod } from '../contracts/contract-spec.ts';
import { hashChaveUsuario, redactedForReading } from './log-center.redaction.ts';
import type { LogCenterRepo, OutboundLog, OutboundLogSummary } from './log-center.repo.ts';
import type { Direcao, InboundOperation, InboundOutcome, MotivoRecusa, Outcome } from './log-center.types.ts';

export const MAX_PAGE_SIZE = 100;
/** Rows one CSV export holds at most (narrow the period for more). */
export const MAX_EXPORT_ROWS = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export type LogSearchInput = {
  clienteId: string;
  instancia: 1 | 2;
  de?: number | undefined;
  ate?: number | undefined;
  operacao?: OperatorMethod | 'envioCodigo' | InboundOperation | undefined;
  status?: number | undefined;
  resultado?: Outcome | InboundOutcome | undefined;
  direcao?: Direcao | undefined;
  motivo?: MotivoRecusa | undefined;
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
export function createLogCenterService(deps: { repos: { logCenter: LogCenterRepo }; hashKey: Buffer }) {
  const repo = deps.repos.logCenter;

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

  /** The painel's filters as the repository's: the user key searched by its HMAC, never as typed. */
  const filterOf = (input: Omit<LogSearchInput, 'pagina' | 'porPagina'>) => {
    const chave = input.chaveUsuario?.trim();
    return {
      clienteId: input.clienteId,
      instancia: input.instancia,
      from: input.de,
      to: input.ate,
      operacao: input.operacao,
      status: input.status,
      resultado: input.resultado,
      chaveUsuarioHash: chave ? hashChaveUsuario(deps.hashKey, chave) : undefined,
      direcao: input.direcao,
      motivo: input.motivo,
    };
  };

  return {
    async search(input: LogSearchInput): Promise<LogSearchPage> {
      const porPagina = Math.min(Math.max(1, Math.trunc(input.porPagina)), MAX_PAGE_SIZE);
      const pagina = Math.max(1, Math.trunc(input.pagina));
      const { items, total } = await repo.search(
        filterOf(input),
        { offset: (pagina - 1) * porPagina, limit: porPagina },
      );
      return { items, pagina, porPagina, total };
    },

    /**
     * The matching entries as CSV (newest first, at most `MAX_EXPORT_ROWS`): what is shown in the
     * list, masked as stored — never a body. `truncated` says the period held more.
     */
    async exportCsv(input: Omit<LogSearchInput, 'pagina' | 'porPagina'>): Promise<{ csv: string; total: number; truncated: boolean }> {
      const { items, total } = await repo.search(
        filterOf(input),
        { offset: 0, limit: MAX_EXPORT_ROWS },
      );
      const rows = items.map((i) => [
        new Date(i.createdAt).toISOString(),
        i.direcao === 'entrada' ? 'entrada' : 'saida',
        i.instancia === 0 ? '' : i.instancia,
        i.operacao,
        i.status,
        i.statusText,
        i.resultado,
        i.motivo,
        i.latencyMs,
        i.chaveUsuarioMascarada,
        i.tokenId,
        i.violationCount,
        i.correlationId,
        i.url,
      ]);
      const header = ['quando', 'direcao', 'instancia', 'operacao', 'status', 'statusText', 'resultado', 'motivo', 'latenciaMs', 'chaveUsuario', 'tokenId', 'violacoes', 'correlationId', 'url'];
      return { csv: toCsv(header, rows), total, truncated: total > items.length };
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

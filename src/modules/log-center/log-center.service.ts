import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { OperatorMethod } from '../contracts/contract-spec.ts';
import { hashChaveUsuario } from './log-center.redaction.ts';
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
export function createLogCenterService(deps: { db: Db; hashKey: Buffer; clock: Clock; logger: Logger; purgeBatchSize?: number }) {
  const repo = createLogCenterRepo(deps.db);
  const purgeBatchSize = deps.purgeBatchSize ?? 1000;

  async function purgeExpired(now: number = deps.clock.now()): Promise<number> {
    let deleted = 0;
    for (const { clienteId, retentionDays } of await repo.retentionByCliente()) {
      if (!Number.isFinite(retentionDays)) continue;
      const cutoff = now - retentionDays * DAY_MS;
      for (;;) {
        const count = await repo.deleteOlderThan(clienteId, cutoff, purgeBatchSize);
        deleted += count;
        if (count < purgeBatchSize) break;
      }
    }
    return deleted;
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

    /** NOT_FOUND when the entry does not exist or belongs to another cliente. */
    async get(clienteId: string, logId: string): Promise<OutboundLog> {
      const entry = await repo.findById(clienteId, logId);
      if (!entry) throw new AppError('NOT_FOUND', 'Registro não encontrado na central de logs.');
      return entry;
    },

    /** Deletes every entry older than its cliente's retention, in bounded batches; returns how many. */
    purgeExpired,

    /**
     * Runs `purgeExpired` every `intervalMs` on an unref'd timer (it never keeps the process
     * alive), one run at a time; failures are logged and the next tick tries again.
     */
    startRetentionJob(options: { intervalMs: number }) {
      let running: Promise<void> | undefined;
      const run = () => {
        if (running) return;
        running = purgeExpired()
          .then((deleted) => {
            if (deleted > 0) deps.logger.info({ deleted }, 'central de logs: expired entries purged');
          })
          .catch((err: unknown) => deps.logger.error({ err }, 'central de logs: retention purge failed'))
          .finally(() => {
            running = undefined;
          });
      };
      const timer = setInterval(run, options.intervalMs);
      timer.unref();
      return {
        /** Stops the timer and waits for a run in progress. */
        async stop(): Promise<void> {
          clearInterval(timer);
          await running;
        },
      };
    },
  };
}

export type LogCenterService = ReturnType<typeof createLogCenterService>;

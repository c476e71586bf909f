import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../platform/db/database.ts';
import type { KeyValueStore } from '../../platform/kv/kv.ts';
import type { Metrics } from '../../platform/metrics.ts';

const tags = ['Operação'];

type CheckResult = 'ok' | 'indisponivel' | 'tempo_esgotado';

/**
 * A readiness check with a time budget. Concurrent probes share the check in flight, so a frozen
 * dependency holds at most one connection for `/readyz` however often a load balancer asks.
 */
function budgetedCheck(check: () => Promise<unknown>, timeoutMs: number, onFailure: (err: unknown) => void): () => Promise<CheckResult> {
  let inFlight: Promise<CheckResult> | undefined;
  return () => {
    inFlight ??= check()
      .then(
        () => 'ok' as const,
        (err: unknown) => {
          onFailure(err);
          return 'indisponivel' as const;
        },
      )
      .finally(() => {
        inFlight = undefined;
      });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<CheckResult>((resolve) => {
      timer = setTimeout(() => resolve('tempo_esgotado'), timeoutMs);
    });
    return Promise.race([inFlight, timeout]).finally(() => clearTimeout(timer));
  };
}

export function healthRoutes(deps: {
  database: Database;
  kv: KeyValueStore;
  metrics: Metrics;
  /** Budget of each check; past it the check counts as down. */
  checkTimeoutMs: number;
  /** True once the node is shutting down: it still finishes what it has, but takes nothing new. */
  draining: () => boolean;
}): FastifyPluginAsyncZod {
  return async (app) => {
    const checkDatabase = budgetedCheck(() => deps.database.ping(), deps.checkTimeoutMs, (err) => app.log.warn({ err }, 'prontidão: banco de dados inacessível'));
    const checkKv = budgetedCheck(() => deps.kv.get('readyz'), deps.checkTimeoutMs, (err) => app.log.warn({ err }, 'prontidão: armazenamento chave-valor inacessível'));

    app.get(
      '/healthz',
      { schema: { tags, summary: 'O processo está de pé', response: { 200: z.object({ status: z.literal('ok') }) } } },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/readyz',
      {
        schema: {
          tags,
          summary: 'Pronto para atender: banco de dados e armazenamento chave-valor respondem (até PONTE_READY_CHECK_TIMEOUT_MS cada) e o nó não está encerrando',
          response: {
            200: z.object({ status: z.literal('ok'), database: z.string(), kv: z.literal('ok') }),
            503: z.object({ status: z.enum(['indisponivel', 'encerrando']), database: z.string(), kv: z.string() }),
          },
        },
      },
      async (_request, reply) => {
        reply.header('cache-control', 'no-store');
        if (deps.draining()) return reply.code(503).send({ status: 'encerrando' as const, database: 'nao_verificado', kv: 'nao_verificado' });
        const [database, kv] = await Promise.all([checkDatabase(), checkKv()]);
        const databaseState = database === 'ok' ? deps.database.kind : database;
        if (database === 'ok' && kv === 'ok') return { status: 'ok' as const, database: deps.database.kind, kv: 'ok' as const };
        return reply.code(503).send({ status: 'indisponivel' as const, database: databaseState, kv });
      },
    );

    app.get('/metrics', { schema: { tags, summary: 'Métricas no formato Prometheus', produces: ['text/plain'] } }, async (_request, reply) => {
      reply.header('content-type', deps.metrics.registry.contentType);
      return deps.metrics.text();
    });
  };
}

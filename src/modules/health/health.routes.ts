import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../platform/db/database.ts';
import type { KeyValueStore } from '../../platform/kv/kv.ts';
import type { Metrics } from '../../platform/metrics.ts';

const tags = ['Operação'];

export function healthRoutes(deps: { database: Database; kv: KeyValueStore; metrics: Metrics }): FastifyPluginAsyncZod {
  return async (app) => {
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
          summary: 'Pronto para atender: banco de dados e armazenamento chave-valor acessíveis',
          response: {
            200: z.object({ status: z.literal('ok'), database: z.string(), kv: z.literal('ok') }),
            503: z.object({ status: z.literal('indisponivel'), database: z.string(), kv: z.string() }),
          },
        },
      },
      async (request, reply) => {
        const [database, kv] = await Promise.all([
          deps.database.ping().then(
            () => 'ok',
            (err: unknown) => {
              request.log.warn({ err }, 'readiness: database unreachable');
              return 'indisponivel';
            },
          ),
          deps.kv.get('readyz').then(
            () => 'ok',
            (err: unknown) => {
              request.log.warn({ err }, 'readiness: key-value store unreachable');
              return 'indisponivel';
            },
          ),
        ]);
        if (database === 'ok' && kv === 'ok') return { status: 'ok' as const, database: deps.database.kind, kv: 'ok' as const };
        return reply.code(503).send({ status: 'indisponivel' as const, database: database === 'ok' ? deps.database.kind : database, kv });
      },
    );

    app.get('/metrics', { schema: { tags, summary: 'Métricas no formato Prometheus', produces: ['text/plain'] } }, async (_request, reply) => {
      reply.header('content-type', deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    });
  };
}

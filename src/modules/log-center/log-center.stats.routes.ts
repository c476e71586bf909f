import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { instanciaParams } from '../../platform/http/params.ts';
import { actorOf } from '../../platform/http/painel-guard.ts';
import { assertClienteRole } from '../../platform/http/painel-authz.ts';
import type { PainelInicialService } from './log-center.stats.ts';
import { painelInicialQuerySchema, painelInicialSchema } from './log-center.stats.schemas.ts';

const tags = ['Painel — painel inicial'];

export function painelInicialRoutes(deps: { painelInicial: PainelInicialService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/painel/api/clientes/:clienteId/instancias/:instancia/painel-inicial',
      {
        schema: {
          tags,
          summary: 'Volume, taxa de sucesso, latência p50/p95 e violações de contrato por operação, em série contínua, e o estado dos grupos de autorização',
          params: instanciaParams,
          querystring: painelInicialQuerySchema,
          response: { 200: painelInicialSchema, 400: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request) => {
        const { clienteId, instancia } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'leitor');
        return deps.painelInicial.get({ clienteId, instancia, ...request.query });
      },
    );
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { instanciaParams } from '../../platform/http/params.ts';
import { actorOf } from '../../platform/http/painel-guard.ts';
import { assertClienteRole, assertPlatformAdmin } from '../../platform/http/painel-authz.ts';
import { MAX_PAGE_SIZE, type CaixaDeSaida } from './caixa-de-saida.ts';
import { paginaDeMensagensSchema } from './caixa-de-saida.schemas.ts';

export function caixaDeSaidaRoutes(deps: { caixaDeSaida: CaixaDeSaida }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/painel/api/clientes/:clienteId/instancias/:instancia/mensagens',
      {
        schema: {
          tags: ['Painel — mensagens (caixa de saída de desenvolvimento)'],
          summary: 'Mensagens (e-mail e SMS) que a Ponte guardou em vez de enviar, da mais recente à mais antiga (só administradores da plataforma)',
          params: instanciaParams,
          querystring: z.object({
            pagina: z.coerce.number().int().min(1).max(100_000).default(1),
            porPagina: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
          }),
          response: {
            200: paginaDeMensagensSchema,
            400: apiErrorSchema,
            403: apiErrorSchema,
            404: apiErrorSchema,
          },
        },
      },
      async (request) => {
        const { clienteId, instancia } = request.params;
        // Codes and painel links are credentials: only platform admins read the outbox, whatever
        // their role in the cliente (and another cliente's id is still a 404 for everyone else).
        const actor = actorOf(request);
        assertClienteRole(actor, clienteId, 'leitor');
        assertPlatformAdmin(actor);
        return deps.caixaDeSaida.listar({ clienteId, instancia, ...request.query });
      },
    );
  };
}

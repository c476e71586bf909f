import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { instanciaParams } from '../../platform/http/params.ts';
import { actorOf, auditActorOf } from '../../platform/http/painel-guard.ts';
import { assertClienteRole } from '../../platform/http/painel-authz.ts';
import { type IntegracoesService } from './integracoes.service.ts';
import { integracaoBody, integracaoSchema, toIntegracaoDto } from './integracoes.schemas.ts';

const tags = ['Painel — integração'];

export function integracoesRoutes(deps: { integracoes: IntegracoesService }): FastifyPluginAsyncZod {
  return async (app) => {
    const path = '/painel/api/clientes/:clienteId/instancias/:instancia/integracao';

    app.get(path, { schema: { tags, summary: 'Configuração da integração da instância', params: instanciaParams, response: { 200: integracaoSchema, 404: apiErrorSchema } } }, async (request) => {
      assertClienteRole(actorOf(request), request.params.clienteId, 'leitor');
      return toIntegracaoDto(await deps.integracoes.get(request.params.clienteId, request.params.instancia));
    });

    app.put(
      path,
      {
        schema: {
          tags,
          summary: 'Salva a integração: URLs conferidas (sufixo e política de endereços), headers secretos cifrados e nunca devolvidos',
          params: instanciaParams,
          body: integracaoBody,
          response: { 200: integracaoSchema, 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request) => {
        const { clienteId, instancia } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'editor');
        return toIntegracaoDto(await deps.integracoes.save({ ...request.body, clienteId, instancia, actor: auditActorOf(request) }));
      },
    );
  };
}

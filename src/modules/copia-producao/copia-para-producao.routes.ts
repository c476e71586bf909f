import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { clienteIdParams } from '../../platform/http/params.ts';
import { actorOf, auditActorOf } from '../../platform/http/painel-guard.ts';
import { assertClienteRole } from '../../platform/http/painel-authz.ts';
import type { CopiaParaProducaoService } from './copia-para-producao.ts';
import { comparacaoSchema, copiaBodySchema } from './copia-para-producao.schemas.ts';

const tags = ['Painel — integração'];

export function copiaParaProducaoRoutes(deps: { copia: CopiaParaProducaoService }): FastifyPluginAsyncZod {
  return async (app) => {
    const path = '/painel/api/clientes/:clienteId/integracao/copia-para-producao';

    app.get(
      path,
      {
        schema: {
          tags,
          summary: 'Compara a integração da Sandbox com a de Produção, item a item, antes de copiar (valores secretos nunca aparecem nem são comparados) — editores e admins',
          params: clienteIdParams,
          response: { 200: comparacaoSchema, 403: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request) => {
        assertClienteRole(actorOf(request), request.params.clienteId, 'editor');
        return deps.copia.compare(request.params.clienteId);
      },
    );

    app.post(
      path,
      {
        schema: {
          tags,
          summary:
            'Copia a integração da Sandbox para Produção, conferida com as regras de Produção (https, endereços públicos); headers secretos são recifrados no servidor; grupo e formulários de Produção são vinculados pelo nome — editores e admins',
          params: clienteIdParams,
          body: copiaBodySchema,
          response: { 200: comparacaoSchema, 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema },
        },
      },
      async (request) => {
        const { clienteId } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'editor');
        return deps.copia.apply({ clienteId, versaoProducao: request.body.versaoProducao, actor: auditActorOf(request) });
      },
    );
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { clienteIdParams } from '../../platform/http/params.ts';
import { actorOf, auditActorOf } from '../../platform/http/painel-guard.ts';
import { assertClienteRole } from '../../platform/http/painel-authz.ts';
import type { OrigensService } from './origens.service.ts';
import { origemSchema } from './origens.schemas.ts';

const tags = ['Painel — segurança: origens'];
export function origensRoutes(deps: { origens: OrigensService }): FastifyPluginAsyncZod {
  return async (app) => {
    const base = '/painel/api/clientes/:clienteId/origens';

    app.get(base, { schema: { tags, summary: 'Origens autorizadas a chamar a API do cliente pelo navegador (CORS)', params: clienteIdParams, response: { 200: z.object({ origens: z.array(origemSchema) }), 404: apiErrorSchema } } }, async (request) => {
      assertClienteRole(actorOf(request), request.params.clienteId, 'leitor');
      return { origens: await deps.origens.list(request.params.clienteId) };
    });

    app.post(
      base,
      {
        schema: {
          tags,
          summary: 'Cadastra uma origem (esquema, host e porta)',
          params: clienteIdParams,
          body: z.object({ origem: z.string().trim().min(1, 'Informe a origem.').max(300, 'A origem deve ter no máximo 300 caracteres.') }),
          response: { 201: origemSchema, 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema },
        },
      },
      async (request, reply) => {
        assertClienteRole(actorOf(request), request.params.clienteId, 'admin');
        return reply.code(201).send(await deps.origens.add({ clienteId: request.params.clienteId, origem: request.body.origem, actor: auditActorOf(request) }));
      },
    );

    app.delete(
      `${base}/:origemId`,
      { schema: { tags, summary: 'Remove uma origem', params: clienteIdParams.extend({ origemId: z.string().trim().min(1).max(64) }), response: { 204: z.null(), 403: apiErrorSchema, 404: apiErrorSchema } } },
      async (request, reply) => {
        assertClienteRole(actorOf(request), request.params.clienteId, 'admin');
        await deps.origens.remove({ clienteId: request.params.clienteId, origemId: request.params.origemId, actor: auditActorOf(request) });
        return reply.code(204).send(null);
      },
    );
  };
}

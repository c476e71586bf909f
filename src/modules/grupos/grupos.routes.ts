import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { instanciaParams } from '../../platform/http/params.ts';
import { actorOf, auditActorOf } from '../../platform/http/painel-guard.ts';
import { assertClienteRole } from '../../platform/http/painel-authz.ts';
import type { GruposService } from './grupos.service.ts';
import { grupoBody, grupoSchema, toGrupoDto } from './grupos.schemas.ts';

const tags = ['Painel — grupos de autorização'];

const grupoParams = instanciaParams.extend({ grupoId: z.string().trim().min(1).max(64) });
const errors = { 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema, 422: apiErrorSchema };

export function gruposRoutes(deps: { grupos: GruposService }): FastifyPluginAsyncZod {
  return async (app) => {
    const base = '/painel/api/clientes/:clienteId/instancias/:instancia/grupos';

    app.get(base, { schema: { tags, summary: 'Grupos de autorização da instância', params: instanciaParams, response: { 200: z.object({ grupos: z.array(grupoSchema) }), 404: apiErrorSchema } } }, async (request) => {
      assertClienteRole(actorOf(request), request.params.clienteId, 'leitor');
      return { grupos: (await deps.grupos.list(request.params.clienteId, request.params.instancia)).map(toGrupoDto) };
    });

    app.post(
      base,
      {
        schema: {
          tags,
          summary: 'Cria um grupo: chama o endpoint /autorizacao ao vivo e salva só se a resposta seguir o contrato (422 com as violações, campo a campo, se não seguir)',
          params: instanciaParams,
          body: grupoBody,
          response: { 201: grupoSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { clienteId, instancia } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'editor');
        const grupo = await deps.grupos.create({ ...request.body, clienteId, instancia, actor: auditActorOf(request) });
        return reply.code(201).send(toGrupoDto(grupo));
      },
    );

    app.put(
      `${base}/:grupoId`,
      {
        schema: {
          tags,
          summary: 'Altera um grupo (nova verificação ao vivo); sem "senha", a senha atual é mantida',
          params: grupoParams,
          body: grupoBody,
          response: { 200: grupoSchema, ...errors },
        },
      },
      async (request) => {
        const { clienteId, grupoId } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'editor');
        return toGrupoDto(await deps.grupos.update({ ...request.body, clienteId, grupoId, actor: auditActorOf(request) }));
      },
    );

    app.post(
      `${base}/:grupoId/renovar`,
      { schema: { tags, summary: 'Renova agora os tokens do grupo', params: grupoParams, response: { 200: grupoSchema, 403: apiErrorSchema, 404: apiErrorSchema } } },
      async (request) => {
        assertClienteRole(actorOf(request), request.params.clienteId, 'editor');
        return toGrupoDto(await deps.grupos.refreshNow(request.params.clienteId, request.params.grupoId));
      },
    );

    app.delete(
      `${base}/:grupoId`,
      { schema: { tags, summary: 'Remove o grupo; 409 enquanto uma integração o usa', params: grupoParams, response: { 204: z.null(), 403: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema } } },
      async (request, reply) => {
        assertClienteRole(actorOf(request), request.params.clienteId, 'editor');
        await deps.grupos.remove({ clienteId: request.params.clienteId, grupoId: request.params.grupoId, actor: auditActorOf(request) });
        return reply.code(204).send(null);
      },
    );
  };
}

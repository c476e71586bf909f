import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { instanciaParams } from '../../platform/http/params.ts';
import { actorOf, auditActorOf } from '../../platform/http/painel-guard.ts';
import { assertClienteRole } from '../../platform/http/painel-authz.ts';
import { type FuncionalidadesService } from './funcionalidades.service.ts';
import { funcionalidadeBodySchema, funcionalidadeSchema, toFuncionalidadeDto } from './funcionalidades.schemas.ts';

const tags = ['Painel — funcionalidades'];

/** Body of create and update; the painel types its form from it. */
const itemParams = instanciaParams.extend({ funcionalidadeId: z.string().trim().min(1).max(64) });
const errors = { 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema };

export function funcionalidadesRoutes(deps: { funcionalidades: FuncionalidadesService }): FastifyPluginAsyncZod {
  return async (app) => {
    const base = '/painel/api/clientes/:clienteId/instancias/:instancia/funcionalidades';

    app.get(base, { schema: { tags, summary: 'Funcionalidades customizadas (WebView) da instância', params: instanciaParams, response: { 200: z.object({ funcionalidades: z.array(funcionalidadeSchema) }), 404: apiErrorSchema } } }, async (request) => {
      assertClienteRole(actorOf(request), request.params.clienteId, 'leitor');
      return { funcionalidades: (await deps.funcionalidades.list(request.params.clienteId, request.params.instancia)).map(toFuncionalidadeDto) };
    });

    app.post(base, { schema: { tags, summary: 'Cadastra uma funcionalidade; a chaveFuncionalidade é gerada', params: instanciaParams, body: funcionalidadeBodySchema, response: { 201: funcionalidadeSchema, ...errors } } }, async (request, reply) => {
      const { clienteId, instancia } = request.params;
      assertClienteRole(actorOf(request), clienteId, 'editor');
      const created = await deps.funcionalidades.create({ ...request.body, clienteId, instancia, actor: auditActorOf(request) });
      return reply.code(201).send(toFuncionalidadeDto(created));
    });

    app.put(`${base}/:funcionalidadeId`, { schema: { tags, summary: 'Altera uma funcionalidade (a chave não muda)', params: itemParams, body: funcionalidadeBodySchema, response: { 200: funcionalidadeSchema, ...errors } } }, async (request) => {
      const { clienteId, instancia, funcionalidadeId } = request.params;
      assertClienteRole(actorOf(request), clienteId, 'editor');
      return toFuncionalidadeDto(await deps.funcionalidades.update({ ...request.body, clienteId, instancia, id: funcionalidadeId, actor: auditActorOf(request) }));
    });

    app.delete(`${base}/:funcionalidadeId`, { schema: { tags, summary: 'Remove uma funcionalidade (e suas chaves passe)', params: itemParams, response: { 204: z.null(), 403: apiErrorSchema, 404: apiErrorSchema } } }, async (request, reply) => {
      const { clienteId, instancia, funcionalidadeId } = request.params;
      assertClienteRole(actorOf(request), clienteId, 'editor');
      await deps.funcionalidades.remove({ clienteId, instancia, id: funcionalidadeId, actor: auditActorOf(request) });
      return reply.code(204).send(null);
    });
  };
}

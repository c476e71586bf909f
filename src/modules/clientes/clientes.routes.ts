import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { actorOf, auditActorOf } from '../../platform/http/painel-guard.ts';
import { assertClienteRole, assertPlatformAdmin } from '../../platform/http/painel-authz.ts';
import { clienteIdParams } from '../../platform/http/params.ts';
import type { Cliente } from './clientes.repo.ts';
import type { ClientesService } from './clientes.service.ts';
import { clienteSchema, toClienteDto } from './clientes.schemas.ts';

const tags = ['Painel — clientes'];


export function clientesRoutes(deps: { clientes: ClientesService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.put(
      '/painel/api/clientes/:clienteId/retencao-logs',
      {
        schema: {
          tags,
          summary: 'Define por quantos dias a central de logs guarda as chamadas do cliente (1 a 365) — admins do cliente',
          params: clienteIdParams,
          body: z.object({ dias: z.number().int().min(1, 'A retenção mínima é 1 dia.').max(365, 'A retenção máxima é 365 dias.') }),
          response: { 200: clienteSchema, 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request) => {
        assertClienteRole(actorOf(request), request.params.clienteId, 'admin');
        return toClienteDto(await deps.clientes.setLogRetention({ clienteId: request.params.clienteId, dias: request.body.dias, actor: auditActorOf(request) }));
      },
    );

    app.post(
      '/painel/api/clientes',
      {
        config: { somenteAdminPlataforma: true },
        schema: {
          tags,
          summary: 'Cria um cliente (operadora) com as instâncias Sandbox e Produção — administradores da plataforma',
          body: z.object({ nome: z.string().trim().min(1, 'Informe o nome do cliente.').max(120, 'O nome deve ter no máximo 120 caracteres.') }),
          response: { 201: clienteSchema, 403: apiErrorSchema },
        },
      },
      async (request, reply) => {
        assertPlatformAdmin(actorOf(request));
        return reply.code(201).send(toClienteDto(await deps.clientes.create(request.body)));
      },
    );

    app.get(
      '/painel/api/clientes',
      { schema: { tags, summary: 'Clientes visíveis ao usuário logado', response: { 200: z.object({ clientes: z.array(clienteSchema) }) } } },
      async (request) => {
        const actor = actorOf(request);
        const clientes = await deps.clientes.list(actor.user.isPlatformAdmin ? {} : { ids: actor.memberships.map((m) => m.clienteId) });
        return { clientes: clientes.map(toClienteDto) };
      },
    );

    app.get(
      '/painel/api/clientes/:clienteId',
      { schema: { tags, summary: 'Um cliente e suas instâncias', params: clienteIdParams, response: { 200: clienteSchema, 404: apiErrorSchema } } },
      async (request) => {
        assertClienteRole(actorOf(request), request.params.clienteId, 'leitor');
        const cliente = await deps.clientes.get(request.params.clienteId);
        if (!cliente) throw new AppError('NOT_FOUND', 'Cliente não encontrado.');
        return toClienteDto(cliente);
      },
    );
  };
}

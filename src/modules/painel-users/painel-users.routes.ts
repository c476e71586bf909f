import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { clienteIdParams } from '../clientes/clientes.routes.ts';
import { actorOf, auditActorOf } from './painel-guard.ts';
import { createMemberBodySchema, memberSchema, toMemberDto, toPainelUserDto } from './painel-users.schemas.ts';
import { assertClienteRole, type PainelUsersService } from './painel-users.service.ts';

const tags = ['Painel — usuários'];

export function painelUsersRoutes(deps: { users: PainelUsersService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/painel/api/clientes/:clienteId/usuarios',
      { schema: { tags, summary: 'Usuários do painel com acesso ao cliente', params: clienteIdParams, response: { 200: z.object({ usuarios: z.array(memberSchema) }), 404: apiErrorSchema } } },
      async (request) => {
        assertClienteRole(actorOf(request), request.params.clienteId, 'leitor');
        return { usuarios: (await deps.users.listMembers(request.params.clienteId)).map(toMemberDto) };
      },
    );

    app.post(
      '/painel/api/clientes/:clienteId/usuarios',
      {
        schema: {
          tags,
          summary: 'Cria um usuário do painel com um papel no cliente — admins do cliente',
          params: clienteIdParams,
          body: createMemberBodySchema,
          response: { 201: memberSchema, 403: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema },
        },
      },
      async (request, reply) => {
        const { clienteId } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'admin');
        const { papel, ...rest } = request.body;
        const user = await deps.users.create({ ...rest, memberships: [{ clienteId, role: papel }], actor: auditActorOf(request) });
        return reply.code(201).send({ ...toPainelUserDto(user), papel });
      },
    );
  };
}

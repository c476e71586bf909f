import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { clienteIdParams } from '../clientes/clientes.routes.ts';
import { actorOf, auditActorOf } from './painel-guard.ts';
import {
  changeRoleBodySchema,
  createdMemberSchema,
  createMemberBodySchema,
  memberListItemSchema,
  memberSchema,
  setActiveBodySchema,
  toMemberDto,
  toPainelUserDto,
} from './painel-users.schemas.ts';
import { assertClienteRole, type PainelUsersService } from './painel-users.service.ts';

const tags = ['Painel — usuários'];

const usuarioParams = clienteIdParams.extend({ usuarioId: z.string().trim().min(1).max(64) });

export function painelUsersRoutes(deps: { users: PainelUsersService }): FastifyPluginAsyncZod {
  return async (app) => {
    const base = '/painel/api/clientes/:clienteId/usuarios';

    app.get(
      base,
      { schema: { tags, summary: 'Usuários do painel com acesso ao cliente', params: clienteIdParams, response: { 200: z.object({ usuarios: z.array(memberListItemSchema) }), 404: apiErrorSchema } } },
      async (request) => {
        const actor = actorOf(request);
        assertClienteRole(actor, request.params.clienteId, 'leitor');
        const members = await deps.users.listMembersFor(actor, request.params.clienteId);
        return { usuarios: members.map((m) => ({ ...toMemberDto(m), podeAlterarStatus: m.podeAlterarStatus })) };
      },
    );

    app.post(
      base,
      {
        schema: {
          tags,
          summary:
            'Inclui uma pessoa no cliente com um papel — admins do cliente. E-mail sem usuário: cria o usuário (sem senha, a Ponte gera uma e a devolve só nesta resposta). E-mail de um usuário existente: inclui esse usuário, que mantém a senha',
          params: clienteIdParams,
          body: createMemberBodySchema,
          response: { 201: createdMemberSchema, 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema },
        },
      },
      async (request, reply) => {
        const { clienteId } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'admin');
        const added = await deps.users.addMember({ ...request.body, clienteId, actor: auditActorOf(request) });
        return reply.code(201).send({ ...toPainelUserDto(added.user), papel: added.papel, usuarioExistente: added.usuarioExistente, senhaGerada: added.senhaGerada });
      },
    );

    app.put(
      `${base}/:usuarioId/papel`,
      {
        schema: {
          tags,
          summary: 'Muda o papel de um membro — admins do cliente. Ninguém muda o próprio papel, e o cliente mantém ao menos um administrador ativo (409)',
          params: usuarioParams,
          body: changeRoleBodySchema,
          response: { 200: memberSchema, 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema },
        },
      },
      async (request) => {
        const { clienteId, usuarioId } = request.params;
        const actor = actorOf(request);
        assertClienteRole(actor, clienteId, 'admin');
        return toMemberDto(await deps.users.changeRole({ clienteId, userId: usuarioId, papel: request.body.papel, actor }));
      },
    );

    app.delete(
      `${base}/:usuarioId`,
      {
        schema: {
          tags,
          summary: 'Tira a pessoa do cliente (a conta continua, com os outros clientes dela) — admins do cliente; mesmas restrições da mudança de papel',
          params: usuarioParams,
          response: { 204: z.null().describe('Removido do cliente'), 403: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema },
        },
      },
      async (request, reply) => {
        const { clienteId, usuarioId } = request.params;
        const actor = actorOf(request);
        assertClienteRole(actor, clienteId, 'admin');
        await deps.users.removeMember({ clienteId, userId: usuarioId, actor });
        return reply.code(204).send(null);
      },
    );

    app.put(
      `${base}/:usuarioId/ativo`,
      {
        schema: {
          tags,
          summary:
            'Desativa ou reativa a conta (em todos os clientes dela; desativar encerra as sessões na hora) — administradores da plataforma, ou o admin do cliente quando a pessoa só participa de clientes que ele administra',
          params: usuarioParams,
          body: setActiveBodySchema,
          response: { 200: memberSchema, 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema },
        },
      },
      async (request) => {
        const { clienteId, usuarioId } = request.params;
        const actor = actorOf(request);
        assertClienteRole(actor, clienteId, 'admin');
        return toMemberDto(await deps.users.setMemberActive({ clienteId, userId: usuarioId, ativo: request.body.ativo, actor }));
      },
    );
  };
}

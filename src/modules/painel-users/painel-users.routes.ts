import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { clienteIdParams } from '../../platform/http/params.ts';
import { actorOf, auditActorOf } from '../../platform/http/painel-guard.ts';
import type { Convite } from './painel-convites.repo.ts';
import {
  changeRoleBodySchema,
  conviteBodySchema,
  conviteCriadoSchema,
  conviteSchema,
  memberListItemSchema,
  memberSchema,
  setActiveBodySchema,
  toMemberDto,
} from './painel-users.schemas.ts';
import { assertClienteRole, type PainelUsersService } from './painel-users.service.ts';

const tags = ['Painel — usuários'];

const usuarioParams = clienteIdParams.extend({ usuarioId: z.string().trim().min(1).max(64) });
const conviteParams = clienteIdParams.extend({ conviteId: z.string().trim().min(1).max(64) });

/** The invitation as the answer to inviting: nothing in it depends on whether the e-mail has an account. */
const conviteCriado = (convite: Convite) => ({
  convite: { id: convite.id, email: convite.email, papel: convite.papel, status: 'pendente' as const, expiraEm: convite.expiraEm, criadoEm: convite.criadoEm },
});

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
            'Convida uma pessoa para o cliente com um papel — admins do cliente. A pessoa recebe por e-mail um link de uso único (72 h): sem conta no painel, escolhe nome e senha; com conta, entra com ela e aceita. A resposta é a mesma para qualquer e-mail e não diz se ele já tem conta; convidar de novo o mesmo e-mail troca o link',
          params: clienteIdParams,
          body: conviteBodySchema,
          response: { 202: conviteCriadoSchema, 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema, 503: apiErrorSchema },
        },
      },
      async (request, reply) => {
        const { clienteId } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'admin');
        const convite = await deps.users.convites.convidar({ ...request.body, clienteId, actor: auditActorOf(request) });
        return reply.code(202).send(conviteCriado(convite));
      },
    );

    app.get(
      '/painel/api/clientes/:clienteId/convites',
      {
        schema: {
          tags,
          summary: 'Convites ainda não aceitos do cliente (pendentes e expirados), do mais novo ao mais antigo — admins do cliente',
          params: clienteIdParams,
          response: { 200: z.object({ convites: z.array(conviteSchema) }), 403: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request) => {
        assertClienteRole(actorOf(request), request.params.clienteId, 'admin');
        return { convites: await deps.users.convites.listar(request.params.clienteId) };
      },
    );

    app.post(
      '/painel/api/clientes/:clienteId/convites/:conviteId/reenviar',
      {
        schema: {
          tags,
          summary: 'Reenvia o convite com um link novo (vale mais 72 h; o link anterior deixa de funcionar) — admins do cliente',
          params: conviteParams,
          response: { 202: conviteCriadoSchema, 403: apiErrorSchema, 404: apiErrorSchema, 503: apiErrorSchema },
        },
      },
      async (request, reply) => {
        const { clienteId, conviteId } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'admin');
        return reply.code(202).send(conviteCriado(await deps.users.convites.reenviar({ clienteId, conviteId, actor: auditActorOf(request) })));
      },
    );

    app.delete(
      '/painel/api/clientes/:clienteId/convites/:conviteId',
      {
        schema: {
          tags,
          summary: 'Cancela o convite: o link deixa de funcionar na hora — admins do cliente',
          params: conviteParams,
          response: { 204: z.null().describe('Convite cancelado'), 403: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request, reply) => {
        const { clienteId, conviteId } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'admin');
        await deps.users.convites.cancelar({ clienteId, conviteId, actor: auditActorOf(request) });
        return reply.code(204).send(null);
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

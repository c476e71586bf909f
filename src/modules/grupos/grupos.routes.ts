import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { instanciaParams } from '../clientes/instancia.schemas.ts';
import { actorOf, auditActorOf } from '../painel-users/painel-guard.ts';
import { assertClienteRole } from '../painel-users/painel-users.service.ts';
import type { Grupo } from './grupos.repo.ts';
import type { GruposService } from './grupos.service.ts';

const tags = ['Painel — grupos de autorização'];

const grupoBody = z.object({
  nome: z.string().trim().min(1, 'Informe o nome do grupo.').max(120, 'O nome deve ter no máximo 120 caracteres.'),
  url: z.string().trim().min(1, 'Informe a URL do endpoint /autorizacao.').max(2048, 'A URL deve ter no máximo 2048 caracteres.'),
  usuario: z.string().trim().min(1, 'Informe o usuário.').max(200, 'O usuário deve ter no máximo 200 caracteres.'),
  senha: z.string().min(1, 'Informe a senha.').max(500, 'A senha deve ter no máximo 500 caracteres.').optional(),
  ttlSegundos: z.number().int().min(60, 'O TTL mínimo é 60 segundos.').max(86_400, 'O TTL máximo é 86400 segundos (24 h).').optional(),
});

const grupoSchema = z.object({
  id: z.string(),
  instancia: z.union([z.literal(1), z.literal(2)]),
  nome: z.string(),
  url: z.string(),
  usuario: z.string(),
  senhaDefinida: z.literal(true).describe('A senha nunca é devolvida'),
  ttlSegundos: z.number().int(),
  status: z.enum(['ativo', 'falhando']),
  ultimaRenovacaoEm: z.number().int().nullable(),
  ultimoErro: z.string().nullable(),
  ultimoErroEm: z.number().int().nullable(),
  atualizadoEm: z.number().int(),
});

function toGrupoDto(g: Grupo) {
  return {
    id: g.id,
    instancia: g.instancia,
    nome: g.nome,
    url: g.url,
    usuario: g.usuario,
    senhaDefinida: true as const,
    ttlSegundos: g.ttlSegundos,
    status: g.status,
    ultimaRenovacaoEm: g.ultimaRenovacaoEm,
    ultimoErro: g.ultimoErro,
    ultimoErroEm: g.ultimoErroEm,
    atualizadoEm: g.updatedAt,
  };
}

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

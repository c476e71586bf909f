import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { instanciaParams } from '../clientes/instancia.schemas.ts';
import { actorOf, auditActorOf } from '../painel-users/painel-guard.ts';
import { assertClienteRole } from '../painel-users/painel-users.service.ts';
import type { Funcionalidade } from './funcionalidades.repo.ts';
import { CHAVE_PASSE_MAX_MINUTES, type FuncionalidadesService } from './funcionalidades.service.ts';

const tags = ['Painel — funcionalidades'];

/** Body of create and update; the painel types its form from it. */
export const funcionalidadeBodySchema = z.object({
  nome: z.string().trim().min(1, 'Informe o nome da funcionalidade.').max(120, 'O nome deve ter no máximo 120 caracteres.'),
  url: z.string().trim().min(1, 'Informe a URL da funcionalidade.').max(2048, 'A URL deve ter no máximo 2048 caracteres.'),
  codigo: z
    .string()
    .trim()
    .max(100, 'O código deve ter no máximo 100 caracteres.')
    .optional()
    .describe('Identificador usado em permissoes[].funcionalidade no login da operadora; padrão: a chaveFuncionalidade'),
  validadeMinutos: z
    .number()
    .int()
    .min(1, 'A validade da chave passe vai de 1 a 10 minutos.')
    .max(CHAVE_PASSE_MAX_MINUTES, 'A validade da chave passe vai de 1 a 10 minutos.')
    .optional(),
  ativa: z.boolean().optional(),
});

export const funcionalidadeSchema = z.object({
  id: z.string(),
  instancia: z.union([z.literal(1), z.literal(2)]),
  nome: z.string(),
  url: z.string(),
  chaveFuncionalidade: z.string().describe('UUID gerado no cadastro; a WebView o envia à API de dados'),
  codigo: z.string(),
  validadeMinutos: z.number().int(),
  ativa: z.boolean(),
  criadaEm: z.number().int(),
  atualizadaEm: z.number().int(),
});

export function toFuncionalidadeDto(f: Funcionalidade) {
  return {
    id: f.id,
    instancia: f.instancia,
    nome: f.nome,
    url: f.url,
    chaveFuncionalidade: f.chave,
    codigo: f.codigo,
    validadeMinutos: f.validadeMinutos,
    ativa: f.ativa,
    criadaEm: f.createdAt,
    atualizadaEm: f.updatedAt,
  };
}

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

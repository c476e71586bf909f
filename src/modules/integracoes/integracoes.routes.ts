import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { instanciaParams } from '../clientes/instancia.schemas.ts';
import { contracts } from '../contracts/contracts.ts';
import { actorOf, auditActorOf } from '../painel-users/painel-guard.ts';
import { assertClienteRole } from '../painel-users/painel-users.service.ts';
import { integrationMethods, type Integracao } from './integracoes.repo.ts';
import { effectiveUrl, integrationLimits, type IntegracoesService } from './integracoes.service.ts';

const tags = ['Painel — integração'];

const url = z.string().trim().max(2048, 'A URL deve ter no máximo 2048 caracteres.');
const methodInput = z.object({ url: url.nullable().optional(), formularioId: z.string().trim().max(64).nullable().optional() });

const integracaoBody = z.object({
  baseUrl: url.nullable(),
  timeoutMs: z
    .number()
    .int()
    .min(integrationLimits.minTimeoutMs, `O tempo limite mínimo é ${integrationLimits.minTimeoutMs} ms.`)
    .max(integrationLimits.maxTimeoutMs, `O tempo limite máximo é ${integrationLimits.maxTimeoutMs} ms (30 s).`)
    .optional(),
  grupoId: z.string().trim().max(64).nullable(),
  metodos: z.object(Object.fromEntries(integrationMethods.map((m) => [m, methodInput.optional()])) as Record<(typeof integrationMethods)[number], z.ZodOptional<typeof methodInput>>),
  headers: z
    .array(
      z.object({
        nome: z.string().trim().min(1, 'Informe o nome do header.').max(128, 'O nome deve ter no máximo 128 caracteres.'),
        valor: z.string().max(8192, 'O valor deve ter no máximo 8192 caracteres.').optional(),
        secreto: z.boolean().default(false),
      }),
    )
    .max(integrationLimits.maxHeaders, `No máximo ${integrationLimits.maxHeaders} headers.`)
    .default([]),
});

const integracaoSchema = z.object({
  configurada: z.boolean(),
  baseUrl: z.string().nullable(),
  timeoutMs: z.number().int(),
  grupoId: z.string().nullable(),
  metodos: z.array(
    z.object({
      metodo: z.enum(integrationMethods),
      nome: z.string(),
      sufixo: z.string(),
      url: z.string().nullable().describe('URL própria do método, se houver'),
      urlEfetiva: z.string().nullable().describe('A URL chamada: a própria, ou a base seguida do sufixo'),
      formularioId: z.string().nullable(),
    }),
  ),
  headers: z.array(z.object({ nome: z.string(), secreto: z.boolean(), valor: z.string().nullable().describe('null para headers secretos: nunca são devolvidos') })),
  atualizadoEm: z.number().int().nullable(),
});

function toIntegracaoDto(integracao: Integracao | undefined) {
  const config: Pick<Integracao, 'baseUrl' | 'metodos' | 'timeoutMs' | 'grupoId' | 'headers'> & { updatedAt: number | null } = integracao ?? {
    baseUrl: null,
    metodos: {},
    timeoutMs: integrationLimits.defaultTimeoutMs,
    grupoId: null,
    headers: [],
    updatedAt: null,
  };
  return {
    configurada: integracao !== undefined,
    baseUrl: config.baseUrl,
    timeoutMs: config.timeoutMs,
    grupoId: config.grupoId,
    metodos: integrationMethods.map((metodo) => ({
      metodo,
      nome: contracts[metodo].label,
      sufixo: contracts[metodo].suffix,
      url: config.metodos[metodo]?.url ?? null,
      urlEfetiva: effectiveUrl(config, metodo) ?? null,
      formularioId: config.metodos[metodo]?.formularioId ?? null,
    })),
    headers: config.headers.map((h) => ({ nome: h.nome, secreto: h.secreto, valor: h.secreto ? null : (h.valor ?? '') })),
    atualizadoEm: config.updatedAt,
  };
}

export function integracoesRoutes(deps: { integracoes: IntegracoesService }): FastifyPluginAsyncZod {
  return async (app) => {
    const path = '/painel/api/clientes/:clienteId/instancias/:instancia/integracao';

    app.get(path, { schema: { tags, summary: 'Configuração da integração da instância', params: instanciaParams, response: { 200: integracaoSchema, 404: apiErrorSchema } } }, async (request) => {
      assertClienteRole(actorOf(request), request.params.clienteId, 'leitor');
      return toIntegracaoDto(await deps.integracoes.get(request.params.clienteId, request.params.instancia));
    });

    app.put(
      path,
      {
        schema: {
          tags,
          summary: 'Salva a integração: URLs conferidas (sufixo e política de endereços), headers secretos cifrados e nunca devolvidos',
          params: instanciaParams,
          body: integracaoBody,
          response: { 200: integracaoSchema, 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request) => {
        const { clienteId, instancia } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'editor');
        return toIntegracaoDto(await deps.integracoes.save({ ...request.body, clienteId, instancia, actor: auditActorOf(request) }));
      },
    );
  };
}

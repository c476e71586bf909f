import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { createAppContextResolver } from '../app-sessions/app-context.ts';
import { appHeaders, camposSchema, codigoEnviadoSchema, codigoVerificadoSchema, mensagemSchema, recuperacaoIniciadaSchema } from '../app-sessions/app-api.schemas.ts';
import type { ClientesService } from '../clientes/clientes.service.ts';
import type { RecuperacaoService } from './recuperacao.service.ts';

const tags = ['API do app (beneficiário)'];
const flowParams = z.object({ id: z.string().trim().min(1).max(64).describe('Id da recuperação (rec_…)') });
const errors = { 400: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema, 422: apiErrorSchema, 429: apiErrorSchema, 502: apiErrorSchema, 503: apiErrorSchema };

/**
 * `/app/v1/recuperacao`: recuperar senha for the beneficiary app (docs/ESPECIFICACAO.md §5). The app is named by
 * `X-App-Id` as in `app.routes.ts`; the flow id it gets back is what ties the four steps together.
 */
export function recuperacaoRoutes(deps: { clientes: ClientesService; recuperacao: RecuperacaoService }): FastifyPluginAsyncZod {
  const appContext = createAppContextResolver(deps.clientes);

  return async (app) => {
    app.addHook('onRequest', appContext.hook);
    const ctx = appContext.of;

    app.post(
      '/app/v1/recuperacao',
      {
        schema: {
          tags,
          summary: 'Recuperar senha, passo 1: envia o formulário de identificação à operadora e devolve os contatos ofuscados',
          headers: appHeaders,
          body: z.object({ campos: camposSchema }),
          response: { 201: recuperacaoIniciadaSchema, ...errors },
        },
      },
      async (request, reply) => {
        const result = await deps.recuperacao.identificar({ app: ctx(request), campos: request.body.campos, ip: request.ip, correlationId: request.id });
        return reply.code(201).send(result);
      },
    );

    app.post(
      '/app/v1/recuperacao/:id/codigo',
      {
        schema: {
          tags,
          summary: 'Passo 2: envia um código de 6 dígitos ao contato escolhido (um novo envio invalida o código anterior)',
          headers: appHeaders,
          params: flowParams,
          body: z.object({ contatoId: z.string().trim().min(1, 'Escolha um contato.').max(64) }),
          response: { 202: codigoEnviadoSchema, ...errors },
        },
      },
      async (request, reply) => {
        const result = await deps.recuperacao.enviarCodigo({ app: ctx(request), id: request.params.id, contatoId: request.body.contatoId, correlationId: request.id });
        return reply.code(202).send(result);
      },
    );

    app.post(
      '/app/v1/recuperacao/:id/verificacao',
      {
        schema: {
          tags,
          summary: 'Passo 3: confere o código (até 5 tentativas por código, válido por 10 minutos)',
          headers: appHeaders,
          params: flowParams,
          body: z.object({ codigo: z.string().trim().regex(/^\d{6}$/, 'O código tem 6 dígitos.') }),
          response: { 200: codigoVerificadoSchema, ...errors },
        },
      },
      async (request) => deps.recuperacao.verificar({ app: ctx(request), id: request.params.id, codigo: request.body.codigo }),
    );

    app.post(
      '/app/v1/recuperacao/:id/nova-senha',
      {
        schema: {
          tags,
          summary: 'Passo 4: envia a nova senha à operadora (uma vez por recuperação, depois do código conferido)',
          headers: appHeaders,
          params: flowParams,
          body: z.object({ campos: camposSchema }),
          response: { 200: mensagemSchema, ...errors },
        },
      },
      async (request) => deps.recuperacao.novaSenha({ app: ctx(request), id: request.params.id, campos: request.body.campos, correlationId: request.id }),
    );
  };
}

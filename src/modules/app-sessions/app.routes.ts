import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { compiledResponse } from '../../platform/http/compiled-serializer.ts';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { tokenFromAuthorization } from '../client-auth/client-auth.service.ts';
import type { ClientesService } from '../clientes/clientes.service.ts';
import type { AppConfigService } from './app-config.service.ts';
import { createAppContextResolver } from './app-context.ts';
import type { AppContext, AppSession, AppSessionsService, FuncionalidadeOpener } from './app-sessions.service.ts';
import { appHeaders, camposSchema, configurationSchema, funcionalidadeAbertaSchema, mensagemSchema, sessaoCriadaSchema, sessionViewSchema, sistemaSchema } from './app-api.schemas.ts';

const tags = ['API do app (beneficiário)'];

const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 404: apiErrorSchema, 422: apiErrorSchema, 429: apiErrorSchema, 502: apiErrorSchema };

/**
 * `/app/v1`: what the beneficiary app calls. The app names its cliente and instância with the
 * public `X-App-Id`; a logged-in user sends `Authorization: Bearer <session token>`.
 */
export function appRoutes(deps: { clientes: ClientesService; sessions: AppSessionsService; chavesPasse: FuncionalidadeOpener; config: AppConfigService }): FastifyPluginAsyncZod {
  const appContext = createAppContextResolver(deps.clientes);

  async function sessionOf(request: FastifyRequest, app: AppContext): Promise<AppSession> {
    const token = tokenFromAuthorization(request.headers.authorization);
    const session = token ? await deps.sessions.resolve(token) : undefined;
    // A session of another app (cliente or instância) does not exist for this one.
    if (!session || session.clienteId !== app.clienteId || session.instancia !== app.instancia) {
      throw new AppError('UNAUTHENTICATED', 'Sessão ausente ou expirada. Entre novamente.');
    }
    return session;
  }

  return async (app) => {
    app.addHook('onRequest', appContext.hook);
    const ctx = appContext.of;

    app.get(
      '/app/v1/configuracao',
      {
        schema: {
          tags,
          summary: 'Configuração do app: cliente, instância, formulários a exibir, fluxos disponíveis e funcionalidades ativas',
          headers: appHeaders,
          response: { 200: configurationSchema, 404: apiErrorSchema },
        },
      },
      async (request) => deps.config.configurationFor(ctx(request)),
    );

    app.post(
      '/app/v1/sessoes',
      {
        schema: {
          tags,
          summary: 'Login: envia o formulário de login à operadora e abre uma sessão',
          headers: appHeaders,
          body: z.object({ campos: camposSchema }),
          // The hot path: serialized by a compiled serializer (platform/http/compiled-serializer.ts).
          response: { 201: compiledResponse(sessaoCriadaSchema), ...errors },
        },
      },
      async (request, reply) => {
        const result = await deps.sessions.login({ app: ctx(request), campos: request.body.campos, ip: request.ip, correlationId: request.id });
        return reply.code(201).send(result);
      },
    );

    // Relogin: a session older than the instância's interval refreshes through elegibilidade first.
    app.get('/app/v1/sessoes/atual', { schema: { tags, summary: 'A sessão atual: perfil e funcionalidades visíveis (renovados pela elegibilidade quando o relogin vence)', headers: appHeaders, response: { 200: sessionViewSchema, ...errors } } }, async (request) =>
      deps.sessions.present(await deps.sessions.refreshIfDue(await sessionOf(request, ctx(request)), request.id)),
    );

    app.delete('/app/v1/sessoes/atual', { schema: { tags, summary: 'Logout: encerra a sessão e invalida suas chaves passe', headers: appHeaders, response: { 204: z.null(), ...errors } } }, async (request, reply) => {
      await deps.sessions.logout(await sessionOf(request, ctx(request)));
      return reply.code(204).send(null);
    });

    app.post(
      '/app/v1/senha',
      {
        schema: {
          tags,
          summary: 'Trocar senha (logado): envia o formulário de troca à operadora',
          headers: appHeaders,
          body: z.object({ campos: camposSchema }),
          response: { 200: mensagemSchema, ...errors },
        },
      },
      async (request) => {
        const app = ctx(request);
        return deps.sessions.trocarSenha({ app, session: await sessionOf(request, app), campos: request.body.campos, correlationId: request.id });
      },
    );

    app.post(
      '/app/v1/funcionalidades/:chaveFuncionalidade/abrir',
      {
        schema: {
          tags,
          summary: 'Abre uma funcionalidade: gera a chave passe e devolve a URL a carregar na WebView',
          headers: appHeaders,
          params: z.object({ chaveFuncionalidade: z.string().trim().min(1).max(100) }),
          body: z.object({ sistema: sistemaSchema }),
          response: { 200: funcionalidadeAbertaSchema, 403: apiErrorSchema, ...errors },
        },
      },
      async (request) => {
        const session = await deps.sessions.refreshIfDue(await sessionOf(request, ctx(request)), request.id);
        return deps.chavesPasse.open({ session, chaveFuncionalidade: request.params.chaveFuncionalidade, sistema: request.body.sistema });
      },
    );
  };
}

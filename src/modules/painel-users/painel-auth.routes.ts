import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { painelContaRoutes } from './painel-conta.routes.ts';
import { actorOf, SESSION_COOKIE } from '../../platform/http/painel-guard.ts';
import { sessionView, setSessionCookie, type PainelSessionDeps } from './painel-session.http.ts';
import { loginBodySchema, sessionSchema } from './painel-users.schemas.ts';

const tags = ['Painel — sessão'];

type Deps = PainelSessionDeps;

/**
 * Login, outside the painel guard; it sets the HttpOnly session cookie. The other public painel
 * routes (invitation links, "esqueci minha senha") are behind the guard as `config.publica`.
 */
export function painelLoginRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/painel/api/auth/login',
      {
        schema: {
          tags,
          summary:
            'Entra no painel com e-mail e senha. E-mail desconhecido, senha errada e conta desativada dão o mesmo 401; depois de 5 erros, aquele e-mail espera (429 com Retry-After, de 30 s dobrando até 15 min) só a partir daquele endereço',
          body: loginBodySchema,
          response: { 200: sessionSchema, 401: apiErrorSchema, 429: apiErrorSchema },
        },
      },
      async (request, reply) => {
        await deps.limiter.assertNotBlocked('painel', request.ip);
        let result;
        try {
          result = await deps.users.login(request.body.email, request.body.senha, request.ip);
        } catch (error) {
          if (error instanceof AppError && error.code === 'INVALID_CREDENTIALS') await deps.limiter.recordFailure('painel', request.ip);
          throw error;
        }
        const actor = await deps.users.resolveSession(result.sessionToken);
        if (!actor) throw new AppError('INTERNAL');
        setSessionCookie(reply, deps, result.sessionToken);
        return sessionView(deps, actor, result.sessionToken);
      },
    );
  };
}

/** Routes behind the painel guard: the session, and the account's own routes (some public). */
export function painelSessionRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(painelContaRoutes(deps));

    app.get(
      '/painel/api/auth/sessao',
      { schema: { tags, summary: 'Usuário logado, seus clientes e o token CSRF', response: { 200: sessionSchema, 401: apiErrorSchema } } },
      async (request) => sessionView(deps, actorOf(request), request.cookies[SESSION_COOKIE] as string),
    );

    app.post(
      '/painel/api/auth/logout',
      { schema: { tags, summary: 'Encerra a sessão atual', response: { 204: z.null().describe('Sessão encerrada') } } },
      async (request, reply) => {
        await deps.users.logout(actorOf(request).sessionTokenHash);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    );
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import type { AuthFailureLimiter } from '../../platform/http/auth-failure-limiter.ts';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import type { ClientesService } from '../clientes/clientes.service.ts';
import { actorOf, SESSION_COOKIE } from './painel-guard.ts';
import { loginBodySchema, sessionSchema, toPainelUserDto } from './painel-users.schemas.ts';
import { csrfTokenFor, roleIn, sessionPolicy, type PainelActor, type PainelUsersService } from './painel-users.service.ts';

const tags = ['Painel — sessão'];

type Deps = { users: PainelUsersService; clientes: ClientesService; limiter: AuthFailureLimiter; secureCookies: boolean };

async function sessionView(deps: Deps, actor: PainelActor, sessionToken: string) {
  const clientes = await deps.clientes.list(actor.user.isPlatformAdmin ? {} : { ids: actor.memberships.map((m) => m.clienteId) });
  return {
    usuario: toPainelUserDto(actor.user),
    clientes: clientes.map((c) => ({ id: c.id, nome: c.nome, papel: roleIn(actor, c.id) ?? 'leitor' })),
    csrfToken: csrfTokenFor(sessionToken),
  };
}

/** Login is the painel API's only public route; it sets the HttpOnly session cookie. */
export function painelLoginRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/painel/api/auth/login',
      {
        schema: {
          tags,
          summary: 'Entra no painel com e-mail e senha',
          body: loginBodySchema,
          response: { 200: sessionSchema, 401: apiErrorSchema, 423: apiErrorSchema, 429: apiErrorSchema },
        },
      },
      async (request, reply) => {
        await deps.limiter.assertNotBlocked('painel', request.ip);
        let result;
        try {
          result = await deps.users.login(request.body.email, request.body.senha);
        } catch (error) {
          if (error instanceof AppError && error.code === 'INVALID_CREDENTIALS') await deps.limiter.recordFailure('painel', request.ip);
          throw error;
        }
        const actor = await deps.users.resolveSession(result.sessionToken);
        if (!actor) throw new AppError('INTERNAL');
        reply.setCookie(SESSION_COOKIE, result.sessionToken, {
          httpOnly: true,
          sameSite: 'strict',
          secure: deps.secureCookies,
          path: '/',
          maxAge: sessionPolicy.absoluteMs / 1000,
        });
        return sessionView(deps, actor, result.sessionToken);
      },
    );
  };
}

/** Routes behind the painel guard. */
export function painelSessionRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
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

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { actorOf, SESSION_COOKIE } from '../../platform/http/painel-guard.ts';
import { sessionView, setSessionCookie, type PainelSessionDeps } from './painel-session.http.ts';
import {
  aceitarConviteBodySchema,
  conviteConsultaSchema,
  conviteTokenBodySchema,
  esqueciSenhaBodySchema,
  redefinirSenhaBodySchema,
  sessionSchema,
  trocarSenhaBodySchema,
} from './painel-users.schemas.ts';

const tags = ['Painel — conta'];

/** Anyone may call it; the guard still says who is logged in (see `FastifyContextConfig.publica`). */
const publica = { publica: true };

/**
 * A person's own painel account: their password (change it logged in; "esqueci minha senha" by
 * e-mail) and the invitation links they receive. Registered behind the painel guard; the routes
 * marked `publica` answer without a session. Tokens travel in bodies, never in URLs.
 */
export function painelContaRoutes(deps: PainelSessionDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.put(
      '/painel/api/auth/senha',
      {
        schema: {
          tags,
          summary: 'Troca a própria senha (exige a senha atual). Encerra todas as outras sessões do painel desta conta; a sessão atual continua',
          body: trocarSenhaBodySchema,
          response: {
            200: z.object({ sessoesEncerradas: z.number().int().describe('Quantas outras sessões desta conta foram encerradas') }),
            400: apiErrorSchema,
            401: apiErrorSchema,
            429: apiErrorSchema,
          },
        },
      },
      async (request) => deps.users.senhas.trocar({ actor: actorOf(request), ...request.body }),
    );

    app.post(
      '/painel/api/auth/senha/esqueci',
      {
        config: publica,
        schema: {
          tags,
          summary:
            'Esqueci minha senha (pública): se o e-mail tiver uma conta ativa no painel, ela recebe um link de uso único que vale 60 minutos. A resposta é sempre a mesma, exista a conta ou não',
          body: esqueciSenhaBodySchema,
          response: { 202: z.object({ mensagem: z.string() }), 400: apiErrorSchema, 429: apiErrorSchema },
        },
      },
      async (request, reply) => {
        await deps.users.senhas.esqueci({ email: request.body.email, ip: request.ip });
        return reply.code(202).send({
          mensagem: 'Se houver uma conta do painel com este e-mail, ela vai receber em instantes um link para criar uma nova senha. O link vale por 60 minutos.',
        });
      },
    );

    app.post(
      '/painel/api/auth/senha/redefinir',
      {
        config: publica,
        schema: {
          tags,
          summary: 'Cria a nova senha com o link de "esqueci minha senha" (pública; o link vale uma vez). Encerra todas as sessões do painel desta conta',
          body: redefinirSenhaBodySchema,
          response: { 204: z.null().describe('Senha redefinida: entre com a nova senha'), 400: apiErrorSchema, 404: apiErrorSchema, 429: apiErrorSchema },
        },
      },
      async (request, reply) => {
        await deps.users.senhas.redefinir({ ...request.body, ip: request.ip });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/painel/api/convites/consultar',
      {
        config: publica,
        schema: {
          tags,
          summary: 'O convite de um link (pública): nome do cliente, e-mail, papel, validade e se o e-mail já tem conta no painel',
          body: conviteTokenBodySchema,
          response: { 200: conviteConsultaSchema, 400: apiErrorSchema, 404: apiErrorSchema, 429: apiErrorSchema },
        },
      },
      async (request) => {
        const convite = await deps.users.convites.consultar(request.body.token, request.ip);
        return { cliente: { nome: convite.clienteNome }, email: convite.email, papel: convite.papel, expiraEm: convite.expiraEm, contaExistente: convite.contaExistente };
      },
    );

    app.post(
      '/painel/api/convites/aceitar',
      {
        config: publica,
        schema: {
          tags,
          summary:
            'Aceita o convite (pública; o link vale uma vez). E-mail sem conta: informe nome e senha — a conta é criada e a sessão aberta. E-mail com conta: é preciso estar logado com ela (cookie e X-CSRF-Token)',
          body: aceitarConviteBodySchema,
          response: {
            200: sessionSchema.extend({ clienteId: z.string().describe('O cliente em que a pessoa acabou de entrar') }),
            400: apiErrorSchema,
            403: apiErrorSchema,
            404: apiErrorSchema,
            409: apiErrorSchema,
            429: apiErrorSchema,
          },
        },
      },
      async (request, reply) => {
        const accepted = await deps.users.convites.aceitar({ ...request.body, ip: request.ip, actor: request.painelActor });
        if (accepted.sessionToken) setSessionCookie(reply, deps, accepted.sessionToken);
        const sessionToken = accepted.sessionToken ?? request.cookies[SESSION_COOKIE];
        // Resolved again: the session now has the new cliente.
        const actor = sessionToken ? await deps.users.resolveSession(sessionToken) : undefined;
        if (!actor || !sessionToken) throw new AppError('INTERNAL');
        return { ...(await sessionView(deps, actor, sessionToken)), clienteId: accepted.clienteId };
      },
    );
  };
}

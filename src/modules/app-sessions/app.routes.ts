import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import type { ChavePasseService } from '../chave-passe/chave-passe.service.ts';
import { tokenFromAuthorization } from '../client-auth/client-auth.service.ts';
import type { ClientesService } from '../clientes/clientes.service.ts';
import { formFinalidades } from '../forms/forms.schemas.ts';
import type { AppConfigService } from './app-config.service.ts';
import { APP_ID_HEADER, createAppContextResolver } from './app-context.ts';
import type { AppContext, AppSession, AppSessionsService } from './app-sessions.service.ts';

const tags = ['API do app (beneficiário)'];

const appHeaders = z.object({ [APP_ID_HEADER]: z.string().trim().min(1).max(64).describe('Id público do app na instância (painel → cliente → instâncias)') });
const campos = z.record(z.string().max(64), z.unknown()).refine((v) => Object.keys(v).length <= 50, 'No máximo 50 campos.');

const funcionalidadeSchema = z.object({ chaveFuncionalidade: z.string(), nome: z.string(), bloqueada: z.boolean(), mensagemBloqueio: z.string().nullable() });
const sessionViewSchema = z.object({
  perfil: z.object({
    usuario: z.object({ login: z.string(), chaveUnica: z.string(), nome: z.string().nullable(), esquemaCor: z.string().nullable() }),
    contratos: z.array(z.object({ numeroContrato: z.string(), tipo: z.string(), descricaoContrato: z.string().nullable() })),
    beneficiarios: z.array(z.object({ chaveUnica: z.string(), nome: z.string(), dataNascimento: z.string() })),
  }),
  funcionalidades: z.array(funcionalidadeSchema),
  expiraEm: z.number().int(),
});

const sistemaSchema = z.object({
  plataforma: z.string().trim().min(1).max(40).describe('ios, android, web…'),
  versaoApp: z.string().trim().min(1).max(40),
  dispositivo: z.string().trim().max(120).nullable().default(null),
  idioma: z.string().trim().max(20).nullable().default(null),
  geolocalizacao: z
    .object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180), precisaoMetros: z.number().min(0).max(1e7).nullable().default(null) })
    .nullable()
    .default(null)
    .describe('Só quando o usuário permitiu'),
});

const configurationSchema = z.object({
  cliente: z.object({ nome: z.string() }),
  instancia: z.object({ numero: z.number().int(), nome: z.string() }),
  formularios: z.record(z.enum(formFinalidades), z.object({ nome: z.string(), campos: z.array(z.unknown()).describe('Campos do Formbuilder (nome, rotulo, tipo, obrigatorio, min, max, padrao, mascara, opcoes, ajuda)') })),
  recursos: z.object({ login: z.boolean(), recuperarSenha: z.boolean(), trocarSenha: z.boolean() }),
  funcionalidades: z.array(z.object({ chaveFuncionalidade: z.string(), nome: z.string() })),
});

const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 404: apiErrorSchema, 422: apiErrorSchema, 429: apiErrorSchema, 502: apiErrorSchema };

/**
 * `/app/v1`: what the beneficiary app calls. The app names its cliente and instância with the
 * public `X-App-Id`; a logged-in user sends `Authorization: Bearer <session token>`.
 */
export function appRoutes(deps: { clientes: ClientesService; sessions: AppSessionsService; chavesPasse: ChavePasseService; config: AppConfigService }): FastifyPluginAsyncZod {
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
          body: z.object({ campos }),
          response: { 201: sessionViewSchema.extend({ token: z.string().describe('Envie como Authorization: Bearer <token>') }), ...errors },
        },
      },
      async (request, reply) => {
        const result = await deps.sessions.login({ app: ctx(request), campos: request.body.campos, ip: request.ip, correlationId: request.id });
        return reply.code(201).send(result);
      },
    );

    app.get('/app/v1/sessoes/atual', { schema: { tags, summary: 'A sessão atual: perfil e funcionalidades visíveis', headers: appHeaders, response: { 200: sessionViewSchema, ...errors } } }, async (request) =>
      deps.sessions.present(await sessionOf(request, ctx(request))),
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
          body: z.object({ campos }),
          response: { 200: z.object({ mensagem: z.string() }), ...errors },
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
          response: { 200: z.object({ url: z.string(), expiraEm: z.number().int() }), 403: apiErrorSchema, ...errors },
        },
      },
      async (request) => {
        const session = await sessionOf(request, ctx(request));
        return deps.chavesPasse.open({ session, chaveFuncionalidade: request.params.chaveFuncionalidade, sistema: request.body.sistema });
      },
    );
  };
}

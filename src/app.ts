import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, LogController, type RawServerDefault } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { appRoutes } from './modules/app-sessions/app.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { chavePasseDataRoutes } from './modules/chave-passe/chave-passe-data.routes.ts';
import { chaveAuthRoutes } from './modules/chave-auth/chave-auth.routes.ts';
import { elegibilidadeRoutes } from './modules/chave-auth/elegibilidade.routes.ts';
import { embedRoutes } from './modules/chave-auth/embed.routes.ts';
import { contractsRoutes } from './modules/contracts/contracts.routes.ts';
import { clientTokensRoutes } from './modules/client-tokens/client-tokens.routes.ts';
import { clientesRoutes } from './modules/clientes/clientes.routes.ts';
import { formsRoutes } from './modules/forms/forms.routes.ts';
import { funcionalidadesRoutes } from './modules/funcionalidades/funcionalidades.routes.ts';
import { gruposRoutes } from './modules/grupos/grupos.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { integracoesRoutes } from './modules/integracoes/integracoes.routes.ts';
import { copiaParaProducaoRoutes } from './modules/copia-producao/copia-para-producao.routes.ts';
import { logCenterRoutes } from './modules/log-center/log-center.routes.ts';
import { painelInicialRoutes } from './modules/log-center/log-center.stats.routes.ts';
import { registerInboundLog } from './modules/log-center/log-center.inbound.ts';
import { registerClientesCors } from './modules/origens/clientes-cors.ts';
import { origensRoutes } from './modules/origens/origens.routes.ts';
import { validadorRoutes } from './modules/validador/validador.routes.ts';
import { painelLoginRoutes, painelSessionRoutes } from './modules/painel-users/painel-auth.routes.ts';
import { responseSerializerCompiler } from './platform/http/compiled-serializer.ts';
import { createPainelGuard } from './platform/http/painel-guard.ts';
import { painelUsersRoutes } from './modules/painel-users/painel-users.routes.ts';
import { caixaDeSaidaRoutes } from './modules/recuperacao/caixa-de-saida.routes.ts';
import { recuperacaoRoutes } from './modules/recuperacao/recuperacao.routes.ts';
import { envioMensagensRoutes } from './modules/mensagens/envio-mensagens.routes.ts';
import { tempAuthRoutes } from './modules/client-auth/temp-auth.routes.ts';
import { AppError } from './platform/errors.ts';
import { apiErrorSchema, clientesFailureSchema } from './platform/http/envelope.ts';
import { registerErrorHandling } from './platform/http/error-handler.ts';
import { faviconSvg } from './platform/http/favicon.ts';
import { createApiDocs } from './platform/http/openapi-docs.ts';
import { registerSecurityHeaders } from './platform/http/security-headers.ts';
import { trustProxyOption } from './platform/http/trust-proxy.ts';
import { jsonTooDeepError, registerInputGuard, renderFrameworkError } from './platform/http/input-guard.ts';
import { jsonNestingExceeds } from './platform/json-depth.ts';
import { newId } from './platform/ids.ts';

import { startRetention } from './retention-tasks.ts';
import { createServices, type AppDeps, type Services } from './services.ts';

export { createServices, type AppDeps, type Services };

/** This installation's version (package.json), shown in /docs. */
const PONTE_VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The painel's web UI, built by `npm run build:painel` (Vite) into this folder. */
const PAINEL_DIST = fileURLToPath(new URL('../painel/dist/', import.meta.url));

const painelNotBuiltPage = `<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><title>Ponte — painel não compilado</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>O painel ainda não foi compilado</h1>
<p>A interface web do painel é gerada a partir de <code>painel/</code>. Rode <code>npm run build:painel</code>
(o <code>npm ci</code> já faz isso) e recarregue esta página. Numa instalação de produção
(<code>npm ci --omit=dev</code>, sem o Vite), compile antes com <code>npm run build</code> e copie a árvore
compilada, com <code>painel/dist</code>.</p>
<p>A API do painel continua disponível em <code>/painel/api</code>; a documentação fica em <a href="/docs">/docs</a>.</p>
</body></html>`;

/**
 * Serves the painel's single-page app at `/painel/`: built files as they are (hashed assets cached
 * for good, `index.html` never), and `index.html` for any other `/painel/…` path so the browser
 * router can take it — except under `/painel/api/`, which stays the API's own 404.
 */
function painelUi(dist: string) {
  return async (scope: App) => {
    const built = existsSync(`${dist}index.html`);
    if (built) {
      await scope.register(fastifyStatic, {
        root: dist,
        prefix: '/painel/',
        wildcard: false,
        cacheControl: false,
        setHeaders: (res, path) => res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
      });
    }
    scope.get('/painel', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/painel/'));
    // Whoever opens the server's address lands on the painel; the brand mark is the favicon of every page.
    scope.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/painel', 302));
    const mark = brandMark(dist);
    const favicon = async (_request: unknown, reply: FastifyReply) => reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').send(mark);
    scope.get('/favicon.ico', { schema: { hide: true } }, favicon);
    // The build ships painel/public/favicon.svg, served by the static routes above; without a build, the same mark from here.
    if (!existsSync(`${dist}favicon.svg`)) scope.get('/painel/favicon.svg', { schema: { hide: true } }, favicon);
    scope.get('/painel/*', { schema: { hide: true } }, async (request, reply) => {
      // The parsed path, not the raw target: `GET http://host/painel/api/x` is the API's 404 too.
      if (new URL(request.url, 'http://ponte.invalid').pathname.startsWith('/painel/api/')) throw new AppError('ROUTE_NOT_FOUND');
      if (!built) return reply.code(503).type('text/html; charset=utf-8').send(painelNotBuiltPage);
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
    // The beneficiary demo app: a second entry of the same build (`painel/demo.html`), assets under /painel/assets/.
    const demoBuilt = built && existsSync(`${dist}demo.html`);
    for (const path of ['/demo', '/demo/']) {
      scope.get(path, { schema: { hide: true } }, async (_request, reply) => {
        if (!demoBuilt) return reply.code(503).type('text/html; charset=utf-8').send(painelNotBuiltPage);
        return reply.header('cache-control', 'no-cache').sendFile('demo.html');
      });
    }
  };
}
/** The painel build's favicon.svg (painel/public), or the mark drawn in platform/http/favicon.ts when there is no build. */
function brandMark(dist: string): string {
  return existsSync(`${dist}favicon.svg`) ? readFileSync(`${dist}favicon.svg`, 'utf8') : faviconSvg;
}

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/**
 * The composition root: one Fastify app over real infrastructure handed in by the caller, who
 * owns (and closes) the database and the key-value store.
 */
export async function buildApp(deps: AppDeps): Promise<{ app: App; services: Services; startDraining(): void }> {
  const services = await createServices(deps);
  const { metrics } = services;
  const retention = startRetention(deps, services);

  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // One small line per response from our own hook instead of Fastify's two (docs/DESEMPENHO.md).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => newId('request'),
    requestIdHeader: false,
    bodyLimit: deps.config.bodyLimitBytes,
    trustProxy: trustProxyOption(deps.config.trustProxy),
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: renderFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  // Any route may meet a database or key-value outage (503 + Retry-After, platform/dependency-outage.ts):
  // declare it once here, in the surface's own shape, instead of on every route.
  app.addHook('onRoute', (route) => {
    const response = route.schema?.response as Record<string, unknown> | undefined;
    if (!response || response[503] !== undefined) return;
    const outage = route.url.startsWith('/clientes') ? clientesFailureSchema : apiErrorSchema;
    route.schema = { ...route.schema, response: { ...response, 503: outage } };
  });

  // Operators call temp-authorization with `Content-Type: application/json` and no body at all
  // (the seed's own example): an empty JSON body is "no body", not an error. Nesting is bounded
  // before parsing: what handles the parsed body afterwards recurses (see json-depth.ts).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
    if (jsonNestingExceeds(body as string)) return done(jsonTooDeepError(), undefined);
    return parseJson(request, body as string, done);
  });
  // Every body Ponte accepts is JSON (docs/ESPECIFICACAO.md §4): without this, Fastify's default text/plain parser
  // hands a string to the route and the caller gets a misleading 400 instead of 415.
  app.removeContentTypeParser('text/plain');

  registerSecurityHeaders(app, { production: deps.config.nodeEnv === 'production' });
  app.decorateRequest('painelActor', null);
  // Every request passes these two: synchronous hooks (`done`) cost no promise each.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // A development console shows every request (info); elsewhere a request that went well is debug.
  // The route pattern, never the URL: a query string may carry a chave passe.
  const requestLevel = deps.config.nodeEnv === 'development' ? 'info' : 'debug';
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'nao_encontrada';
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) request.log.warn({ method: request.method, route, status: reply.statusCode }, 'requisição falhou');
    else request.log[requestLevel]({ method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'requisição');
    done();
  });

  registerInputGuard(app);
  registerErrorHandling(app, { onOutage: (dependency) => metrics.dependencyOutages.inc({ dependency }) });
  await app.register(fastifyCookie);
  // /docs and /docs/json: descriptions, the statuses of each surface, examples and order (platform/http/openapi-docs.ts).
  const apiDocs = createApiDocs({ version: PONTE_VERSION, favicon: brandMark(PAINEL_DIST) });
  app.addHook('onRoute', apiDocs.collect);
  await app.register(fastifySwagger, apiDocs.swagger);
  await app.register(fastifySwaggerUi, apiDocs.ui);

  const limiterDeps = { limiter: services.limiter };
  let draining = false;
  await app.register(healthRoutes({ database: deps.database, kv: deps.kv, metrics, checkTimeoutMs: deps.config.readyCheckTimeoutMs, draining: () => draining }));
  // The public client API is called from operators' servers and from pages inside WebViews:
  // browsers may call it from the origins a cliente registered (Segurança → Origens).
  await app.register(async (clientes) => {
    // The operator's calls, with the reason of each refusal, land in the central de logs (the answer stays the seed's).
    registerInboundLog(clientes, { writer: services.logWriter, clock: deps.clock });
    registerClientesCors(clientes, { origens: services.origens, authenticator: services.authenticator });
    await clientes.register(tempAuthRoutes({ authenticator: services.authenticator, tempTokens: services.tempTokens }));
    await clientes.register(chavePasseDataRoutes({ authenticator: services.authenticator, chavesPasse: services.chavesPasse }));
    await clientes.register(chaveAuthRoutes({ authenticator: services.authenticator, chaveAuth: services.chaveAuth }));
  });
  // Funcionalidades embedded in the operator's own site (framed only by its registered origins).
  await app.register(embedRoutes({ embed: services.embed }));
  await app.register(appRoutes({ clientes: services.clientes, sessions: services.sessions, chavesPasse: services.chavesPasse, config: services.appConfig }));
  await app.register(recuperacaoRoutes({ clientes: services.clientes, recuperacao: services.recuperacao }));

  const sessionDeps = { users: services.users, clientes: services.clientes, ...limiterDeps, secureCookies: deps.config.nodeEnv === 'production' };
  await app.register(painelLoginRoutes(sessionDeps));
  await app.register(async (painel) => {
    painel.addHook('onRequest', createPainelGuard(services.users));
    painel.addHook('onRoute', apiDocs.markGuarded);
    await painel.register(painelSessionRoutes(sessionDeps));
    await painel.register(clientesRoutes({ clientes: services.clientes }));
    await painel.register(painelUsersRoutes({ users: services.users }));
    await painel.register(clientTokensRoutes({ tokens: services.tokens }));
    await painel.register(auditRoutes({ audit: services.audit }));
    await painel.register(gruposRoutes({ grupos: services.grupos }));
    await painel.register(integracoesRoutes({ integracoes: services.integracoes }));
    await painel.register(elegibilidadeRoutes({ elegibilidade: services.elegibilidade }));
    await painel.register(copiaParaProducaoRoutes({ copia: services.copiaParaProducao }));
    await painel.register(validadorRoutes({ validador: services.validador }));
    await painel.register(logCenterRoutes({ logCenter: services.logCenter }));
    await painel.register(painelInicialRoutes({ painelInicial: services.painelInicial }));
    await painel.register(origensRoutes({ origens: services.origens }));
    await painel.register(formsRoutes({ forms: services.forms }));
    await painel.register(funcionalidadesRoutes({ funcionalidades: services.funcionalidades }));
    await painel.register(caixaDeSaidaRoutes({ caixaDeSaida: services.caixaDeSaida }));
    await painel.register(envioMensagensRoutes({ envioMensagens: services.envioMensagens }));
    await painel.register(contractsRoutes());
  });
  await app.register(painelUi(PAINEL_DIST));

  app.addHook('onClose', async () => {
    await retention.stop();
    await services.close();
  });

  return {
    app,
    services,
    /** `/readyz` answers 503 from now on, so load balancers stop sending work before the node closes. */
    startDraining() {
      draining = true;
    },
  };
}

import { createHmac } from 'node:crypto';
import { createAppConfigService } from './modules/app-sessions/app-config.service.ts';
import { createAppSessionsService, type FormIdentifier, type FormSubmission } from './modules/app-sessions/app-sessions.service.ts';
import { createChavePasseService } from './modules/chave-passe/chave-passe.service.ts';
import { createChaveAuthService } from './modules/chave-auth/chave-auth.service.ts';
import { createElegibilidadeService } from './modules/chave-auth/elegibilidade.service.ts';
import { createEmbedService } from './modules/chave-auth/embed.service.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { createClientAuthenticator } from './modules/client-auth/client-auth.service.ts';
import { createClientTokensService } from './modules/client-tokens/client-tokens.service.ts';
import { createClientesService } from './modules/clientes/clientes.service.ts';
import { createFormsService } from './modules/forms/forms.service.ts';
import { createFuncionalidadesService } from './modules/funcionalidades/funcionalidades.service.ts';
import { createGrupoPairsCache } from './modules/grupos/grupos.cache.ts';
import { createGruposService } from './modules/grupos/grupos.service.ts';
import { createIntegracoesService } from './modules/integracoes/integracoes.service.ts';
import { createCopiaParaProducaoService } from './modules/copia-producao/copia-para-producao.ts';
import { createLogCenterService } from './modules/log-center/log-center.service.ts';
import { createPainelInicialService } from './modules/log-center/log-center.stats.ts';
import { createLogCenterWriter } from './modules/log-center/log-center.writer.ts';
import { createOrigensService } from './modules/origens/origens.service.ts';
import { createOperatorCaller } from './modules/operator-call/operator-call.ts';
import { createOutboundService } from './modules/outbound/outbound.service.ts';
import { createValidadorService } from './modules/validador/validador.service.ts';
import { painelUrlFrom } from './modules/painel-users/painel-mail.ts';
import { createPainelUsersService } from './modules/painel-users/painel-users.service.ts';
import { createCaixaDeSaida } from './modules/recuperacao/caixa-de-saida.ts';
import { createMensageiro } from './modules/recuperacao/mensageiro.ts';
import { createEnvioHttp } from './modules/mensagens/envio-http.ts';
import { createEnvioMensagensService } from './modules/mensagens/envio-mensagens.service.ts';
import { createRecuperacaoService } from './modules/recuperacao/recuperacao.service.ts';
import { createTempTokenService } from './modules/temp-auth/temp-tokens.service.ts';
import { createSecretBox } from './platform/crypto.ts';
import { createAttemptLimiter, createAuthFailureLimiter } from './platform/http/auth-failure-limiter.ts';
import { createOutboundClient } from './platform/http-client/http-client.ts';
import { parseCidrList } from './platform/http-client/ssrf-guard.ts';
import type { Infrastructure } from './platform/infrastructure.ts';
import { createInvalidationBus } from './platform/invalidation.ts';
import { createDegradingKv } from './platform/kv/degrading-kv.ts';
import { createMetrics } from './platform/metrics.ts';
import { loadStableKeys } from './platform/stable-keys.ts';
import { createRepositories } from './repositories.ts';
import { createWriterThread } from './writer-thread.ts';


/** The infrastructure the app stands on; the caller opens and closes it. */
export type AppDeps = Omit<Infrastructure, 'close'>;

/** Builds every service from the infrastructure; what the CLI uses without an HTTP server. */
export async function createServices(deps: AppDeps) {
  const { db } = deps.database;
  const { clock, logger } = deps;
  const repos = createRepositories(db);
  const metrics = createMetrics();
  // What nodes share degrades to this node's own counters and locks while Redis is unreachable.
  const kv = createDegradingKv({ primary: deps.kv, logger, onFallback: (operation) => metrics.kvFallbacks.inc({ operation }) });
  const secretBox = createSecretBox(deps.keyring.masterKeys);
  // Keys that index stored rows survive a master-key rotation (platform/stable-keys.ts).
  const stableKeys = await loadStableKeys({ db, secretBox, masterKeys: deps.keyring.masterKeys, now: clock.now() });
  // Revocations, logouts and painel edits drop cached copies on every node (this one at once).
  const invalidation = createInvalidationBus({ db, clock, logger, pollIntervalMs: deps.config.invalidationPollMs });
  const audit = createAuditService({ repos, clock });
  const clientes = createClientesService({ db, repos, clock, audit });
  // E-mails (recovery codes, painel invitations and password links): SMTP, or the development outbox.
  const caixaDeSaida = createCaixaDeSaida({ repos, clock });
  const mensageiro = createMensageiro({ nodeEnv: deps.config.nodeEnv, smtpUrl: deps.config.smtpUrl, smtpFrom: deps.config.smtpFrom, outbox: caixaDeSaida });
  const users = createPainelUsersService({ db, repos, clock, audit, kv, logger, mail: { sender: mensageiro.email, painelUrl: painelUrlFrom(deps.config) } });
  const tokens = createClientTokensService({ db, repos, clock, audit, logger, cacheTtlMs: deps.config.tokenCacheTtlSeconds * 1000, invalidation });
  const tempTokens = await createTempTokenService({ jwtKeys: deps.keyring.jwtKeys, clock });
  const limiter = createAuthFailureLimiter({
    kv,
    maxFailures: deps.config.authFailuresPerIp,
    windowSeconds: deps.config.authFailureWindowSeconds,
  });
  const attempts = createAttemptLimiter(kv);
  // Limit keys never hold what a person typed (a CPF, a token): only HMACs under this key.
  const limitsKey = stableKeys.limites;
  const authenticator = createClientAuthenticator({
    tokens,
    tempTokens,
    failures: limiter,
    requests: attempts,
    maxRequestsPerTokenPerMinute: deps.config.clientesMaxPerTokenPerMinute,
    hashKey: limitsKey,
    failureWindowSeconds: deps.config.authFailureWindowSeconds,
  });

  // Outbound: one HTTP client for every operator, the central de logs behind every call.
  const allowlist = parseCidrList(deps.config.outboundAllowlist);
  const http = createOutboundClient({
    allowlist,
    clock,
    maxConcurrentPerOrigin: deps.config.outboundMaxConcurrency,
    // Bursts queue rather than fail: waiting is bounded by each call's own timeout.
    maxQueuedPerOrigin: deps.config.outboundMaxConcurrency * 16,
    breaker: { failureThreshold: 5, openMs: 30_000 },
  });
  // User keys are stored as an HMAC under their own stable key.
  const hashKey = stableKeys['log-center:chave-usuario'];
  // A writer thread with its own connection redacts and stores the central de logs and, on SQLite,
  // commits new app sessions in groups and takes over the WAL checkpoints (writer-thread.ts). An
  // in-memory SQLite database, which no other connection can open, is written here.
  const { connection } = deps.database;
  const writerThread = connection
    ? createWriterThread({ connection, db, hashKey, clock, logger, onCheckpointing: (active) => deps.database.checkpointOnCommit(!active) })
    : undefined;
  const onDropped = (count: number) => metrics.logEntriesDropped.inc(count);
  const logWriter = writerThread
    ? createLogCenterWriter({ sink: writerThread.logSink, clock, logger, onDropped })
    : createLogCenterWriter({ db, hashKey, clock, logger, onDropped });
  const logCenter = createLogCenterService({ repos, hashKey });
  const callOperator = createOperatorCaller({ http, logCenter: logWriter, clock });
  const grupoCache = createGrupoPairsCache({ kv, secretBox, repo: repos.grupos, callOperator, clock, logger, invalidation });
  const grupos = createGruposService({ db, repos, clock, secretBox, audit, cache: grupoCache, allowlist });
  const integracoes = createIntegracoesService({ db, repos, clock, secretBox, audit, allowlist, invalidation });
  const outbound = createOutboundService({ integracoes, grupoCache, callOperator, clock, logger });
  const validador = createValidadorService({ outbound, grupos, callOperator, secretBox });

  // Beneficiary flows.
  const forms = createFormsService({ db, repos, clock, audit, integracoes, invalidation, limiter: attempts });
  const origens = createOrigensService({ db, repos, clock, audit, invalidation });
  const funcionalidades = createFuncionalidadesService({ db, repos, clock, audit, invalidation });
  const submission: FormSubmission = async (app, finalidade, input) => forms.validatedSubmission(app.clienteId, app.instancia, finalidade, input);
  const identifierOf: FormIdentifier = async (app, finalidade, input) => forms.identifierOf(app.clienteId, app.instancia, finalidade, input);
  const sessions = createAppSessionsService({
    db,
    repos,
    clock,
    secretBox,
    outbound,
    funcionalidades,
    limiter: attempts,
    submission,
    identifierOf,
    limitsKey,
    // The stable key first; then what versions before it derived from each master key, so a
    // session written then is still found.
    personKeys: [stableKeys['app-sessions:pessoa'], ...deps.keyring.masterKeys.map(({ key }) => createHmac('sha256', key).update('ponte:app-sessions:pessoa').digest())],
    invalidation,
    loginLimits: { perIdentifier: deps.config.appLoginMaxPerIdentifier, perIp: deps.config.appLoginMaxPerIp },
    ...(writerThread && deps.database.kind === 'sqlite' ? { insertSession: (row) => writerThread.insert('app_sessions', row) } : {}),
    // Relogin: the instância's elegibilidade, read from the (cached) integração.
    elegibilidadeOf: async (clienteId, instancia) => {
      const integracao = await integracoes.get(clienteId, instancia);
      return { ativa: integracao?.elegibilidadeAtiva ?? false, reloginHoras: integracao?.reloginHoras ?? null };
    },
  });
  const chavesPasse = createChavePasseService({ repos, clock, secretBox, funcionalidades, sessionLogin: (id) => sessions.loginOfSession(id), invalidation });
  // Recovery codes: each instância's SMS provider, e-mail sender and templates ("Envio de mensagens"),
  // every send in the central de logs; the platform's channels above when it configured none.
  const envioHttp = createEnvioHttp({ allowlist, clock });
  const envioMensagens = createEnvioMensagensService({
    db,
    repos,
    clock,
    secretBox,
    audit,
    allowlist,
    http: envioHttp,
    logCenter: logWriter,
    metrics,
    limiter: attempts,
    plataforma: { smtpUrl: deps.config.smtpUrl, smtpFrom: deps.config.smtpFrom },
    semProvedor: mensageiro,
    clienteNome: async (clienteId) => (await clientes.get(clienteId))?.nome ?? 'App',
  });
  const recuperacao = createRecuperacaoService({
    repos,
    clock,
    secretBox,
    outbound,
    limiter: attempts,
    submission,
    identifierOf,
    endSessionsOf: sessions.endSessionsOf,
    codigos: envioMensagens,
    hashKey: stableKeys.recuperacao,
  });

  invalidation.start();

  return {
    metrics,
    audit,
    clientes,
    users,
    tokens,
    tempTokens,
    authenticator,
    secretBox,
    limiter,
    grupos,
    integracoes,
    copiaParaProducao: createCopiaParaProducaoService({ db, repos, integracoes }),
    outbound,
    validador,
    logCenter,
    /** The central de logs' write side: operator calls, and the calls operators make to /clientes (log-center.inbound.ts). */
    logWriter,
    painelInicial: createPainelInicialService({ repos, clock, grupos }),
    origens,
    funcionalidades,
    sessions,
    chavesPasse,
    chaveAuth: createChaveAuthService({ clock, jwtKeys: deps.keyring.jwtKeys, integracoes, outbound, sessions, limiter: attempts, limitsKey }),
    elegibilidade: createElegibilidadeService({ integracoes, validador }),
    embed: createEmbedService({ funcionalidades, origens, sessions, chavesPasse }),
    forms,
    appConfig: createAppConfigService({ forms, integracoes, funcionalidades }),
    recuperacao,
    caixaDeSaida,
    envioMensagens,
    /** Stops background work and releases connections; pending log entries are written first. */
    async close(): Promise<void> {
      await users.settle();
      await invalidation.stop();
      // Operator calls still running (their requests outlived the HTTP server's close, e.g. a
      // client that went away) record their entries before the writer closes.
      await callOperator.settled();
      await logWriter.close();
      await writerThread?.close();
      await kv.close();
      await http.close();
      await envioHttp.close();
    },
  };
}

export type Services = Awaited<ReturnType<typeof createServices>>;

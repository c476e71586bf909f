import { createHmac } from 'node:crypto';
import { createAppConfigService } from './modules/app-sessions/app-config.service.ts';
import { createAppSessionsService, type FormIdentifier, type FormSubmission } from './modules/app-sessions/app-sessions.service.ts';
import { createChavePasseService } from './modules/chave-passe/chave-passe.service.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { createClientAuthenticator } from './modules/client-auth/client-auth.service.ts';
import { createClientTokensService } from './modules/client-tokens/client-tokens.service.ts';
import { createClientesService } from './modules/clientes/clientes.service.ts';
import { createFormsService } from './modules/forms/forms.service.ts';
import { createFuncionalidadesService } from './modules/funcionalidades/funcionalidades.service.ts';
import { createGrupoPairsCache } from './modules/grupos/grupos.cache.ts';
import { createGruposRepo } from './modules/grupos/grupos.repo.ts';
import { createGruposService } from './modules/grupos/grupos.service.ts';
import { createIntegracoesService } from './modules/integracoes/integracoes.service.ts';
import { createCopiaParaProducaoService } from './modules/integracoes/copia-para-producao.ts';
import { createLogCenterService } from './modules/log-center/log-center.service.ts';
import { createPainelInicialService } from './modules/log-center/log-center.stats.ts';
import { createLogCenterWriter } from './modules/log-center/log-center.writer.ts';
import { createOrigensService } from './modules/origens/origens.service.ts';
import { createOperatorCaller } from './modules/outbound/operator-call.ts';
import { createOutboundService } from './modules/outbound/outbound.service.ts';
import { createValidadorService } from './modules/validador/validador.service.ts';
import { painelUrlFrom } from './modules/painel-users/painel-mail.ts';
import { createPainelUsersService } from './modules/painel-users/painel-users.service.ts';
import { createCaixaDeSaida } from './modules/recuperacao/caixa-de-saida.ts';
import { createMensageiro } from './modules/recuperacao/mensageiro.ts';
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


/** The infrastructure the app stands on; the caller opens and closes it. */
export type AppDeps = Omit<Infrastructure, 'close'>;

/** Builds every service from the infrastructure; what the CLI uses without an HTTP server. */
export async function createServices(deps: AppDeps) {
  const { db } = deps.database;
  const { clock, logger } = deps;
  const metrics = createMetrics();
  // What nodes share degrades to this node's own counters and locks while Redis is unreachable.
  const kv = createDegradingKv({ primary: deps.kv, logger, onFallback: (operation) => metrics.kvFallbacks.inc({ operation }) });
  const secretBox = createSecretBox(deps.keyring.masterKeys);
  // Revocations, logouts and painel edits drop cached copies on every node (this one at once).
  const invalidation = createInvalidationBus({ db, clock, logger, pollIntervalMs: deps.config.invalidationPollMs });
  const audit = createAuditService({ db, clock });
  const clientes = createClientesService({ db, clock, audit });
  // E-mails (recovery codes, painel invitations and password links): SMTP, or the development outbox.
  const caixaDeSaida = createCaixaDeSaida({ db, clock });
  const mensageiro = createMensageiro({ nodeEnv: deps.config.nodeEnv, smtpUrl: deps.config.smtpUrl, smtpFrom: deps.config.smtpFrom, outbox: caixaDeSaida });
  const users = createPainelUsersService({ db, clock, audit, kv, logger, mail: { sender: mensageiro.email, painelUrl: painelUrlFrom(deps.config) } });
  const tokens = createClientTokensService({ db, clock, audit, logger, cacheTtlMs: deps.config.tokenCacheTtlSeconds * 1000, invalidation });
  const tempTokens = await createTempTokenService({ jwtKeys: deps.keyring.jwtKeys, clock });
  const limiter = createAuthFailureLimiter({
    kv,
    maxFailures: deps.config.authFailuresPerIp,
    windowSeconds: deps.config.authFailureWindowSeconds,
  });
  const attempts = createAttemptLimiter(kv);
  // Limit keys never hold what a person typed (a CPF, a token): only HMACs under this key.
  const limitsKey = createHmac('sha256', deps.keyring.masterKeys[0]!.key).update('ponte:limites').digest();
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
  // User keys are stored as an HMAC under a key derived from the current master key.
  const hashKey = createHmac('sha256', deps.keyring.masterKeys[0]!.key).update('ponte:log-center:chave-usuario').digest();
  const logWriter = createLogCenterWriter({ db, clock, logger, hashKey, onDropped: (count) => metrics.logEntriesDropped.inc(count) });
  const logCenter = createLogCenterService({ db, hashKey });
  const callOperator = createOperatorCaller({ http, logCenter: logWriter, clock });
  const gruposRepo = createGruposRepo(db);
  const grupoCache = createGrupoPairsCache({ kv, secretBox, repo: gruposRepo, callOperator, clock, logger, invalidation });
  const grupos = createGruposService({ db, clock, secretBox, audit, cache: grupoCache, allowlist });
  const integracoes = createIntegracoesService({ db, clock, secretBox, audit, allowlist, invalidation });
  const outbound = createOutboundService({ integracoes, grupos: gruposRepo, grupoCache, callOperator, clock, logger });
  const validador = createValidadorService({ outbound, grupos, callOperator, secretBox });

  // Beneficiary flows.
  const forms = createFormsService({ db, clock, audit, integracoes, invalidation, limiter: attempts });
  const origens = createOrigensService({ db, clock, audit, invalidation });
  const funcionalidades = createFuncionalidadesService({ db, clock, audit, invalidation });
  const submission: FormSubmission = async (app, finalidade, input) => forms.validatedSubmission(app.clienteId, app.instancia, finalidade, input);
  const identifierOf: FormIdentifier = async (app, finalidade, input) => forms.identifierOf(app.clienteId, app.instancia, finalidade, input);
  const sessions = createAppSessionsService({
    db,
    clock,
    secretBox,
    outbound,
    funcionalidades,
    limiter: attempts,
    submission,
    identifierOf,
    limitsKey,
    // One per master key: a session written under an older key is still found after a rotation.
    personKeys: deps.keyring.masterKeys.map(({ key }) => createHmac('sha256', key).update('ponte:app-sessions:pessoa').digest()),
    invalidation,
    loginLimits: { perIdentifier: deps.config.appLoginMaxPerIdentifier, perIp: deps.config.appLoginMaxPerIp },
  });
  const chavesPasse = createChavePasseService({ db, clock, secretBox, funcionalidades, sessionLogin: (id) => sessions.loginOfSession(id), invalidation });
  const recuperacao = createRecuperacaoService({
    db,
    clock,
    secretBox,
    outbound,
    limiter: attempts,
    submission,
    identifierOf,
    endSessionsOf: sessions.endSessionsOf,
    mensageiro,
    hashKey: createHmac('sha256', deps.keyring.masterKeys[0]!.key).update('ponte:recuperacao').digest(),
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
    copiaParaProducao: createCopiaParaProducaoService({ db, integracoes }),
    outbound,
    validador,
    logCenter,
    painelInicial: createPainelInicialService({ db, clock, grupos }),
    origens,
    funcionalidades,
    sessions,
    chavesPasse,
    forms,
    appConfig: createAppConfigService({ forms, integracoes, funcionalidades }),
    recuperacao,
    caixaDeSaida,
    /** Stops background work and releases connections; pending log entries are written first. */
    async close(): Promise<void> {
      await users.settle();
      await invalidation.stop();
      await logWriter.close();
      await kv.close();
      await http.close();
    },
  };
}

export type Services = Awaited<ReturnType<typeof createServices>>;

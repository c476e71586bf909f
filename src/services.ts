import { createHmac } from 'node:crypto';
import { createAppConfigService } from './modules/app-sessions/app-config.service.ts';
import { createAppSessionsService, type FormSubmission } from './modules/app-sessions/app-sessions.service.ts';
import { createChavePasseService, type ChavePasseService } from './modules/chave-passe/chave-passe.service.ts';
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
import { createMetrics } from './platform/metrics.ts';


/** The infrastructure the app stands on; the caller opens and closes it. */
export type AppDeps = Omit<Infrastructure, 'close'>;

/** Builds every service from the infrastructure; what the CLI uses without an HTTP server. */
export async function createServices(deps: AppDeps) {
  const { db } = deps.database;
  const { clock, logger } = deps;
  const metrics = createMetrics();
  const secretBox = createSecretBox(deps.keyring.masterKeys);
  const audit = createAuditService({ db, clock });
  const clientes = createClientesService({ db, clock, audit });
  const users = createPainelUsersService({ db, clock, audit });
  const tokens = createClientTokensService({ db, clock, audit, logger, cacheTtlMs: deps.config.tokenCacheTtlSeconds * 1000 });
  const tempTokens = await createTempTokenService({ jwtKeys: deps.keyring.jwtKeys, clock });
  const authenticator = createClientAuthenticator({ tokens, tempTokens });
  const limiter = createAuthFailureLimiter({
    kv: deps.kv,
    maxFailures: deps.config.authFailuresPerIp,
    windowSeconds: deps.config.authFailureWindowSeconds,
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
  const logCenter = createLogCenterService({ db, hashKey, clock, logger });
  const callOperator = createOperatorCaller({ http, logCenter: logWriter, clock });
  const gruposRepo = createGruposRepo(db);
  const grupoCache = createGrupoPairsCache({ kv: deps.kv, secretBox, repo: gruposRepo, callOperator, clock, logger });
  const grupos = createGruposService({ db, clock, secretBox, audit, cache: grupoCache, allowlist });
  const integracoes = createIntegracoesService({ db, clock, secretBox, audit, allowlist });
  const outbound = createOutboundService({ integracoes, grupos: gruposRepo, grupoCache, callOperator, clock, logger });
  const validador = createValidadorService({ outbound, grupos, callOperator, secretBox });

  // Beneficiary flows.
  const forms = createFormsService({ db, clock, audit, integracoes });
  const origens = createOrigensService({ db, clock, audit });
  let chavesPasse: ChavePasseService | undefined;
  const funcionalidades = createFuncionalidadesService({ db, clock, audit, onChange: () => chavesPasse?.forgetAll() });
  const attempts = createAttemptLimiter(deps.kv);
  const submission: FormSubmission = async (app, finalidade, input) => forms.validatedSubmission(app.clienteId, app.instancia, finalidade, input);
  const sessions = createAppSessionsService({
    db,
    clock,
    secretBox,
    outbound,
    funcionalidades,
    limiter: attempts,
    submission,
    onChavesPasseRevoked: (sessionId) => chavesPasse?.forgetSession(sessionId),
    loginLimits: { perIdentifier: deps.config.appLoginMaxPerIdentifier, perIp: deps.config.appLoginMaxPerIp },
  });
  chavesPasse = createChavePasseService({ db, clock, secretBox, funcionalidades, sessionLogin: (id) => sessions.loginOfSession(id) });
  const caixaDeSaida = createCaixaDeSaida({ db, clock });
  const recuperacao = createRecuperacaoService({
    db,
    clock,
    secretBox,
    outbound,
    limiter: attempts,
    submission,
    mensageiro: createMensageiro({ nodeEnv: deps.config.nodeEnv, smtpUrl: deps.config.smtpUrl, smtpFrom: deps.config.smtpFrom, outbox: caixaDeSaida }),
    hashKey: createHmac('sha256', deps.keyring.masterKeys[0]!.key).update('ponte:recuperacao').digest(),
  });

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
      await logWriter.close();
      await http.close();
    },
  };
}

export type Services = Awaited<ReturnType<typeof createServices>>;

import { createHmac } from 'node:crypto';
import type { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { newSecretToken, type SecretBox } from '../../platform/crypto.ts';
import type { Insertable } from 'kysely';
import type { AppSessionsTable, Db } from '../../platform/db/schema.ts';
import type { AttemptLimiter } from '../../platform/http/auth-failure-limiter.ts';
import { newId } from '../../platform/ids.ts';
import { createLocalInvalidation, type Invalidation } from '../../platform/invalidation.ts';
import type { FuncionalidadesService } from '../funcionalidades/funcionalidades.service.ts';
import { operatorMessage } from '../operator-call/operator-call.ts';
import { isBusinessRefusal, valueOrThrow } from '../outbound/outcome-to-error.ts';
import { AppError } from '../../platform/errors.ts';
import type { OutboundService, SegurancaPair } from '../outbound/outbound.service.ts';
import type { AppSessionsRepo } from './app-sessions.repo.ts';
import { mergedPermissoes, profileForApp, sessionProfile, visibleFuncionalidades, type LoginResponse, type SessionProfile } from './perfil.ts';
import type { sistemaSchema } from './app-api.schemas.ts';
import { createSessionStore, type AppSession } from './session-store.ts';

export const appSessionPolicy = {
  idleMs: 12 * 60 * 60 * 1000,
  absoluteMs: 30 * 24 * 60 * 60 * 1000,
  touchEveryMs: 60 * 1000,
  loginPerIdentifier: { max: 10, windowSeconds: 15 * 60 },
  loginPerIp: { max: 100, windowSeconds: 15 * 60 },
  /** Each try may be a guess at the current password: per session, and per person across sessions. */
  trocarSenhaPerSession: { max: 5, windowSeconds: 15 * 60 },
  trocarSenhaPerPessoa: { max: 10, windowSeconds: 60 * 60 },
} as const;

export const APP_SESSION_PREFIX = 'pap';

/** Which cliente and instância an app request speaks for (from its public app id). */
export type AppContext = { clienteId: string; clienteNome: string; instancia: 1 | 2 };

/**
 * `origem`: `login` (the password form) or `chaveAuth` (opened by the operator's backend for a
 * person it vouches for). `renovadaEm`: when the login data last came from the operator.
 */
export type { AppSession, SessionOrigem } from './session-store.ts';

/** Whether an instância's elegibilidade is active and how often sessions refresh through it (null: relogin off). */
export type ElegibilidadeConfig = { ativa: boolean; reloginHoras: number | null };

/** The answer the app gets when the operator no longer vouches for the person (relogin refused). */
export const RELOGIN_REFUSED_MESSAGE = 'A operadora não confirmou seu acesso. Entre novamente.';

/**
 * Opens a funcionalidade for a session (the chave passe module does it): declared here, where the
 * app API needs it, so the app routes do not depend on the module that implements it.
 */
export type FuncionalidadeOpener = {
  open(input: { session: AppSession; chaveFuncionalidade: string; sistema: z.infer<typeof sistemaSchema> }): Promise<{ url: string; expiraEm: number }>;
};

/** Validates a submission against the instância's form for `finalidade`; throws VALIDATION_FAILED field by field. */
export type FormSubmission = (app: AppContext, finalidade: 'login' | 'trocarSenha' | 'recuperarSenhaIdentificacao' | 'recuperarSenhaNovaSenha', input: unknown) => Promise<Record<string, unknown>>;

/**
 * The normalized identifier of the person in a submission not validated yet (the form's
 * identifier field: a CPF as its 11 digits, an e-mail in lower case); what attempt limits count by.
 */
export type FormIdentifier = (app: AppContext, finalidade: 'login' | 'recuperarSenhaIdentificacao', input: unknown) => Promise<string>;

/**
 * Beneficiary sessions: login through the operator's `/login`, a durable session (opaque bearer
 * token stored as a hash, profile and seguranca sealed — kept by session-store.ts), seguranca
 * headers on that user's later calls, permissoes applied to funcionalidades, logout that also kills
 * the session's chaves passe. A password changed here ends the person's other sessions; one changed
 * by a recovery, all of them (`endSessionsOf`).
 *
 * Attempt limits run before the form is validated, keyed by HMACs (`limitsKey`) of the person's
 * normalized identifier, never by what was typed or by a password. How a session names its person
 * (HMACs under `personKeys`) is described in session-store.ts.
 */
export function createAppSessionsService(deps: {
  db: Db;
  repos: { appSessions: AppSessionsRepo };
  clock: Clock;
  secretBox: SecretBox;
  outbound: OutboundService;
  funcionalidades: FuncionalidadesService;
  limiter: AttemptLimiter;
  submission: FormSubmission;
  identifierOf: FormIdentifier;
  /** Key of the HMACs attempt limits are counted under. */
  limitsKey: Buffer;
  /** Keys of the HMACs that name a session's person; the first one writes, all of them match. */
  personKeys: readonly Buffer[];
  /** A logout publishes `sessao-app`, so every node drops the session's cached chaves passe at once. */
  invalidation?: Invalidation;
  /** Overrides of the policy's login maxima (configuration); the windows stay the policy's. */
  loginLimits?: { perIdentifier?: number | undefined; perIp?: number | undefined };
  /**
   * How a new session row becomes durable; resolves once it is committed (the 201 waits for it).
   * An INSERT through the repository unless given — on SQLite, the writer thread's group commit (writer-thread.ts).
   */
  insertSession?: (row: Insertable<AppSessionsTable>) => Promise<void>;
  /** The instância's elegibilidade (integração): relogin runs only while it is active with an interval. */
  elegibilidadeOf?: (clienteId: string, instancia: 1 | 2) => Promise<ElegibilidadeConfig>;
}) {
  const loginPerIdentifier = { ...appSessionPolicy.loginPerIdentifier, max: deps.loginLimits?.perIdentifier ?? appSessionPolicy.loginPerIdentifier.max };
  const loginPerIp = { ...appSessionPolicy.loginPerIp, max: deps.loginLimits?.perIp ?? appSessionPolicy.loginPerIp.max };
  const invalidation = deps.invalidation ?? createLocalInvalidation();
  const repo = deps.repos.appSessions;
  const sessions = createSessionStore({
    db: deps.db,
    repo,
    clock: deps.clock,
    secretBox: deps.secretBox,
    personKeys: deps.personKeys,
    invalidation,
    insertSession: deps.insertSession ?? ((row: Insertable<AppSessionsTable>) => repo.insert(row)),
    policy: appSessionPolicy,
  });
  const limitKeyOf = (value: string) => createHmac('sha256', deps.limitsKey).update(value).digest('hex');

  async function present(session: AppSession) {
    const funcionalidades = visibleFuncionalidades(await deps.funcionalidades.listForApp(session.clienteId, session.instancia), mergedPermissoes(session.login));
    return { perfil: profileForApp(session.login), funcionalidades, expiraEm: session.expiresAt };
  }

  /**
   * Relogin: a session whose login data is older than the instância's interval asks elegibilidade
   * again (with the person's chave única, `integracao` and seguranca headers). Success replaces the
   * permissões, beneficiários and seguranca; the operator's refusal (a 4xx with `mensagem`) ends
   * the session — 401, log in again; an outage keeps the session as it is (the failed call is in
   * the central de logs) and tries again on the next request.
   */
  async function refreshIfDue(session: AppSession, correlationId?: string): Promise<AppSession> {
    if (!deps.elegibilidadeOf) return session;
    const config = await deps.elegibilidadeOf(session.clienteId, session.instancia);
    if (!config.ativa || !config.reloginHoras) return session;
    const now = deps.clock.now();
    if (now - session.renovadaEm < config.reloginHoras * 3_600_000) return session;
    const usuario = session.login.usuarioLogado;
    const outcome = await deps.outbound.call({
      clienteId: session.clienteId,
      instancia: session.instancia,
      method: 'elegibilidade',
      body: { chaveUnica: usuario.chaveUnica, integracao: usuario.integracao ?? {} },
      seguranca: session.seguranca,
      chaveUsuario: usuario.chaveUnica,
      correlationId,
    });
    if (outcome.kind === 'sucesso') {
      const login = outcome.value as LoginResponse;
      // The operator answered for someone else: it no longer vouches for this person here.
      if (login.usuarioLogado.chaveUnica !== usuario.chaveUnica) {
        await sessions.endSession(session.id);
        throw new AppError('UNAUTHENTICATED', RELOGIN_REFUSED_MESSAGE);
      }
      const profile = sessionProfile(login);
      const seguranca = login.seguranca?.auth ?? session.seguranca;
      // Also drops the cached chaves passe on every node: they carry the old login.
      await sessions.replaceLogin(session.id, { profile, seguranca, renovadaEm: now });
      return { ...session, login: profile, seguranca, renovadaEm: now };
    }
    if (isBusinessRefusal(outcome)) {
      await sessions.endSession(session.id);
      throw new AppError('UNAUTHENTICATED', `${RELOGIN_REFUSED_MESSAGE} (${outcome.mensagem})`);
    }
    return session;
  }

  return {
    present,
    /** Stores a new session (durable before this resolves) and returns it as `resolve` would. */
    openSession: sessions.openSession,
    refreshIfDue,

    async login(input: { app: AppContext; campos: unknown; ip: string; correlationId: string }) {
      // Limits first: validating the form costs more than counting, and must not be free to repeat.
      const identifier = await deps.identifierOf(input.app, 'login', input.campos);
      await deps.limiter.consume(
        [
          { key: `app-login:id:${limitKeyOf(`${input.app.clienteId}:${identifier}`)}`, ...loginPerIdentifier },
          { key: `app-login:ip:${input.ip}`, ...loginPerIp },
        ],
        'Muitas tentativas de login. Aguarde alguns minutos e tente novamente.',
      );
      const body = await deps.submission(input.app, 'login', input.campos);
      const outcome = await deps.outbound.call({
        clienteId: input.app.clienteId,
        instancia: input.app.instancia,
        method: 'login',
        body,
        chaveUsuario: typeof body.login === 'string' ? body.login : undefined,
        correlationId: input.correlationId,
      });
      const login = valueOrThrow(outcome) as LoginResponse;
      const token = newSecretToken(APP_SESSION_PREFIX);
      const session = await sessions.openSession({
        id: newId('appSession'),
        token,
        clienteId: input.app.clienteId,
        instancia: input.app.instancia,
        login,
        origem: 'login',
        lifetimeMs: appSessionPolicy.absoluteMs,
      });
      return { token, ...(await present(session)) };
    },

    /** The live session behind a bearer token, or undefined (unknown, revoked, idle or expired). */
    resolve: sessions.resolve,

    /** The login a live (not revoked, not expired) session keeps; what the chave passe data API answers from. */
    loginOfSession: sessions.loginOfSession,

    /** Ends the session and every chave passe issued under it. */
    async logout(session: AppSession): Promise<void> {
      await sessions.endSession(session.id);
    },

    endSessionsOf: sessions.endSessionsOf,

    /**
     * Changes the password at the operator; on success every other session of the person in this
     * instância ends, with its chaves passe (a stolen session does not outlive the new password).
     */
    async trocarSenha(input: { app: AppContext; session: AppSession; campos: unknown; correlationId: string }): Promise<{ mensagem: string }> {
      const usuario = input.session.login.usuarioLogado;
      await deps.limiter.consume(
        [
          { key: `trocar-senha:sessao:${input.session.id}`, ...appSessionPolicy.trocarSenhaPerSession },
          { key: `trocar-senha:pessoa:${limitKeyOf(`${input.session.clienteId}:${usuario.chaveUnica}`)}`, ...appSessionPolicy.trocarSenhaPerPessoa },
        ],
        'Muitas tentativas de trocar a senha. Aguarde alguns minutos e tente novamente.',
      );
      const form = await deps.submission(input.app, 'trocarSenha', input.campos);
      const outcome = await deps.outbound.call({
        clienteId: input.session.clienteId,
        instancia: input.session.instancia,
        method: 'trocarSenha',
        body: { chaveUnica: usuario.chaveUnica, integracao: usuario.integracao ?? {}, ...form },
        seguranca: input.session.seguranca,
        chaveUsuario: usuario.chaveUnica,
        correlationId: input.correlationId,
      });
      const answer = valueOrThrow(outcome);
      await sessions.endSessionsOf({ clienteId: input.session.clienteId, instancia: input.session.instancia, chaveUnica: usuario.chaveUnica, exceptId: input.session.id });
      return { mensagem: operatorMessage(answer) ?? 'Senha alterada com sucesso.' };
    },
  };
}

export type AppSessionsService = ReturnType<typeof createAppSessionsService>;
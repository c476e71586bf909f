import { createHmac } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { newSecretToken, sha256Hex, type SecretBox } from '../../platform/crypto.ts';
import type { Db } from '../../platform/db/schema.ts';
import type { AttemptLimiter } from '../../platform/http/auth-failure-limiter.ts';
import { newId } from '../../platform/ids.ts';
import { createLocalInvalidation, type Invalidation } from '../../platform/invalidation.ts';
import type { FuncionalidadesService } from '../funcionalidades/funcionalidades.service.ts';
import { operatorMessage } from '../outbound/operator-call.ts';
import { valueOrThrow } from '../outbound/outcome-to-error.ts';
import type { OutboundService, SegurancaPair } from '../outbound/outbound.service.ts';
import { createAppSessionsRepo } from './app-sessions.repo.ts';
import { mergedPermissoes, profileForApp, visibleFuncionalidades, type LoginResponse } from './perfil.ts';

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

/**
 * More sessions than this ended at once are announced as "every session" (each node then drops all
 * its cached chaves passe, which refill from the database) rather than one invalidation row each.
 */
const MAX_SESSIONS_PUBLISHED_ONE_BY_ONE = 100;

export const APP_SESSION_PREFIX = 'pap';

/** Which cliente and instância an app request speaks for (from its public app id). */
export type AppContext = { clienteId: string; clienteNome: string; instancia: 1 | 2 };

export type AppSession = { id: string; clienteId: string; instancia: 1 | 2; login: LoginResponse; seguranca: SegurancaPair[]; expiresAt: number };

/** Validates a submission against the instância's form for `finalidade`; throws VALIDATION_FAILED field by field. */
export type FormSubmission = (app: AppContext, finalidade: 'login' | 'trocarSenha' | 'recuperarSenhaIdentificacao' | 'recuperarSenhaNovaSenha', input: unknown) => Promise<Record<string, unknown>>;

/**
 * The normalized identifier of the person in a submission not validated yet (the form's
 * identifier field: a CPF as its 11 digits, an e-mail in lower case); what attempt limits count by.
 */
export type FormIdentifier = (app: AppContext, finalidade: 'login' | 'recuperarSenhaIdentificacao', input: unknown) => Promise<string>;

/**
 * Beneficiary sessions: login through the operator's `/login`, a durable session (opaque bearer
 * token stored as a hash, profile and seguranca sealed), seguranca headers on that user's later
 * calls, permissoes applied to funcionalidades, logout that also kills the session's chaves passe.
 * A password changed here ends the person's other sessions; one changed by a recovery, all of them
 * (`endSessionsOf`).
 *
 * Attempt limits run before the form is validated, keyed by HMACs (`limitsKey`) of the person's
 * normalized identifier, never by what was typed or by a password. Sessions remember their person
 * as an HMAC of `cliente:chaveUnica` under the first of `personKeys` (keys derived from the master
 * keys: a rotation keeps older sessions findable); sessions from before keyed hashes carry a
 * SHA-256 and are matched too, until they expire (30 days at most).
 */
export function createAppSessionsService(deps: {
  db: Db;
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
}) {
  const loginPerIdentifier = { ...appSessionPolicy.loginPerIdentifier, max: deps.loginLimits?.perIdentifier ?? appSessionPolicy.loginPerIdentifier.max };
  const loginPerIp = { ...appSessionPolicy.loginPerIp, max: deps.loginLimits?.perIp ?? appSessionPolicy.loginPerIp.max };
  const seal = (value: unknown, aad: string) => deps.secretBox.seal(JSON.stringify(value), aad);
  const open = <T>(sealed: string, aad: string) => JSON.parse(deps.secretBox.open(sealed, aad)) as T;
  const invalidation = deps.invalidation ?? createLocalInvalidation();
  const repo = createAppSessionsRepo(deps.db);
  const limitKeyOf = (value: string) => createHmac('sha256', deps.limitsKey).update(value).digest('hex');
  const personOf = (key: Buffer, clienteId: string, chaveUnica: string) => createHmac('sha256', key).update(`${clienteId}:${chaveUnica}`).digest('hex');
  /** Every hash a session of this person may carry: keyed by each master key's derivation, and the unkeyed one of older rows. */
  const personHashes = (clienteId: string, chaveUnica: string) => [...deps.personKeys.map((key) => personOf(key, clienteId, chaveUnica)), sha256Hex(`${clienteId}:${chaveUnica}`)];

  /**
   * Ends every live session of the person in this cliente's instância (but `exceptId`) and their
   * chaves passe; every node drops the cached keys at once. Returns how many sessions ended.
   */
  async function endSessionsOf(person: { clienteId: string; instancia: 1 | 2; chaveUnica: string; exceptId?: string }): Promise<number> {
    const ended = await repo.endSessionsOf(
      { clienteId: person.clienteId, instancia: person.instancia, chaveUnicaHashes: personHashes(person.clienteId, person.chaveUnica), exceptId: person.exceptId },
      deps.clock.now(),
    );
    if (ended.length > MAX_SESSIONS_PUBLISHED_ONE_BY_ONE) await invalidation.publish('sessao-app');
    else for (const id of ended) await invalidation.publish('sessao-app', id);
    return ended.length;
  }

  async function present(session: AppSession) {
    const funcionalidades = visibleFuncionalidades(await deps.funcionalidades.list(session.clienteId, session.instancia), mergedPermissoes(session.login));
    return { perfil: profileForApp(session.login), funcionalidades, expiraEm: session.expiresAt };
  }

  return {
    present,

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
      const { seguranca, ...profile } = login;
      const now = deps.clock.now();
      const token = newSecretToken(APP_SESSION_PREFIX);
      const id = newId('appSession');
      const session: AppSession = { id, clienteId: input.app.clienteId, instancia: input.app.instancia, login: profile, seguranca: seguranca?.auth ?? [], expiresAt: now + appSessionPolicy.absoluteMs };
      await deps.db
        .insertInto('app_sessions')
        .values({
          id,
          token_hash: sha256Hex(token),
          cliente_id: session.clienteId,
          instancia: session.instancia,
          chave_unica_hash: personOf(deps.personKeys[0]!, session.clienteId, profile.usuarioLogado.chaveUnica),
          perfil_selado: seal(profile, `sessao:${id}:perfil`),
          seguranca_selada: session.seguranca.length > 0 ? seal(session.seguranca, `sessao:${id}:seguranca`) : null,
          created_at: now,
          last_seen_at: now,
          idle_expires_at: now + appSessionPolicy.idleMs,
          expires_at: session.expiresAt,
          revoked_at: null,
        })
        .execute();
      return { token, ...(await present(session)) };
    },

    /** The live session behind a bearer token, or undefined (unknown, revoked, idle or expired). */
    async resolve(token: string): Promise<AppSession | undefined> {
      const row = await deps.db.selectFrom('app_sessions').selectAll().where('token_hash', '=', sha256Hex(token)).executeTakeFirst();
      const now = deps.clock.now();
      if (!row || row.revoked_at !== null || row.expires_at <= now || row.idle_expires_at <= now) return undefined;
      if (now - row.last_seen_at >= appSessionPolicy.touchEveryMs) {
        await deps.db
          .updateTable('app_sessions')
          .set({ last_seen_at: now, idle_expires_at: Math.min(row.expires_at, now + appSessionPolicy.idleMs) })
          .where('id', '=', row.id)
          .execute();
      }
      return {
        id: row.id,
        clienteId: row.cliente_id,
        instancia: row.instancia as 1 | 2,
        login: open<LoginResponse>(row.perfil_selado, `sessao:${row.id}:perfil`),
        seguranca: row.seguranca_selada ? open<SegurancaPair[]>(row.seguranca_selada, `sessao:${row.id}:seguranca`) : [],
        expiresAt: row.expires_at,
      };
    },

    /** The login a live (not revoked, not expired) session keeps; what the chave passe data API answers from. */
    async loginOfSession(sessionId: string): Promise<LoginResponse | undefined> {
      const row = await deps.db.selectFrom('app_sessions').select(['id', 'perfil_selado', 'revoked_at', 'expires_at']).where('id', '=', sessionId).executeTakeFirst();
      if (!row || row.revoked_at !== null || row.expires_at <= deps.clock.now()) return undefined;
      return open<LoginResponse>(row.perfil_selado, `sessao:${row.id}:perfil`);
    },

    /** Ends the session and every chave passe issued under it. */
    async logout(session: AppSession): Promise<void> {
      const now = deps.clock.now();
      await deps.db.transaction().execute(async (trx) => {
        await trx.updateTable('app_sessions').set({ revoked_at: now }).where('id', '=', session.id).where('revoked_at', 'is', null).execute();
        await trx.updateTable('chaves_passe').set({ revoked_at: now }).where('session_id', '=', session.id).where('revoked_at', 'is', null).execute();
      });
      await invalidation.publish('sessao-app', session.id);
    },

    endSessionsOf,

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
      await endSessionsOf({ clienteId: input.session.clienteId, instancia: input.session.instancia, chaveUnica: usuario.chaveUnica, exceptId: input.session.id });
      return { mensagem: operatorMessage(answer) ?? 'Senha alterada com sucesso.' };
    },
  };
}

export type AppSessionsService = ReturnType<typeof createAppSessionsService>;

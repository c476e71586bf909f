import { createHmac, randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import type { AttemptLimiter } from '../../platform/http/auth-failure-limiter.ts';
import type { JwtKey } from '../../platform/keyring.ts';
import type { AppSession, AppSessionsService } from '../app-sessions/app-sessions.service.ts';
import type { LoginResponse } from '../app-sessions/perfil.ts';
import type { IntegracoesService } from '../integracoes/integracoes.service.ts';
import { isBusinessRefusal, valueOrThrow } from '../outbound/outcome-to-error.ts';
import type { OutboundService } from '../outbound/outbound.service.ts';

/**
 * chaveAuth (platform reference §3.3): the operator's backend, holding a token do cliente with the
 * `seguranca` API, vouches for a person by chave única; Ponte asks the operator's elegibilidade
 * and, when it answers, opens an ordinary app session (revocation, chave passe rules, logout,
 * limits and the central de logs as any other) that lives 30 minutes.
 */
export const chaveAuthPolicy = {
  /** The platform's example: `expireAt − timestamp` ≈ 30 minutes. */
  lifetimeMs: 30 * 60 * 1000,
  /** Sessions opened for one person (per cliente) in a window, whichever token asks. */
  perChaveUnica: { max: 10, windowSeconds: 10 * 60 },
  maxChaveUnicaLength: 200,
} as const;

export const CHAVE_AUTH_AUDIENCE = 'beneficiario';
export const CHAVE_AUTH_VERSION = '2';
export const CHAVE_AUTH_SUCCESS_MESSAGE = 'Beneficiário autenticado';

/** The claims of a chaveAuth session token, in the platform example's order. */
export type ChaveAuthClaims = { idSessao: string; expiracao: number; aud: typeof CHAVE_AUTH_AUDIENCE; versao: typeof CHAVE_AUTH_VERSION; iat: number };

export function createChaveAuthService(deps: {
  clock: Clock;
  jwtKeys: JwtKey[];
  integracoes: Pick<IntegracoesService, 'get'>;
  outbound: OutboundService;
  sessions: Pick<AppSessionsService, 'openSession'>;
  limiter: AttemptLimiter;
  /** Key of the HMACs the per-person limit is counted under (never the chave única itself). */
  limitsKey: Buffer;
}) {
  const [signingKey] = deps.jwtKeys;
  if (!signingKey) throw new Error('createChaveAuthService needs at least one JWT key');
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: signingKey.kid })).toString('base64url');

  /**
   * The session's bearer token: an HS256 JWT with the platform's claims. Ponte stores only its
   * SHA-256 (as for every app session), so revoking the session revokes the token whatever the
   * signature says; the signature lets the operator's backend trust the claims it reads.
   */
  function mint(claims: ChaveAuthClaims): string {
    const signingInput = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${signingInput}.${createHmac('sha256', signingKey!.secret).update(signingInput).digest('base64url')}`;
  }

  return {
    /**
     * Opens a session for `chaveUnica` in the cliente's instância. Refusals: elegibilidade not
     * active (422 ELEGIBILIDADE_INATIVA), the operator not recognising the person (422
     * BENEFICIARIO_NAO_RECONHECIDO with its mensagem), too many sessions for the person (429), an
     * operator outage (502 + Retry-After).
     */
    async authenticate(input: { clienteId: string; instancia: 1 | 2; chaveUnica: string; correlationId?: string }): Promise<{ token: string; expireAt: number; session: AppSession }> {
      const person = createHmac('sha256', deps.limitsKey).update(`${input.clienteId}:${input.chaveUnica}`).digest('hex');
      await deps.limiter.consume(
        [{ key: `chave-auth:pessoa:${person}`, ...chaveAuthPolicy.perChaveUnica }],
        `Muitas sessões abertas para esta chaveUnica em pouco tempo (no máximo ${chaveAuthPolicy.perChaveUnica.max} a cada ${chaveAuthPolicy.perChaveUnica.windowSeconds / 60} minutos). Reaproveite o token enquanto ele vale (30 minutos) e tente de novo após o tempo indicado em Retry-After.`,
      );
      const integracao = await deps.integracoes.get(input.clienteId, input.instancia);
      if (!integracao?.elegibilidadeAtiva) throw new AppError('ELEGIBILIDADE_INATIVA');
      const outcome = await deps.outbound.call({
        clienteId: input.clienteId,
        instancia: input.instancia,
        method: 'elegibilidade',
        body: { chaveUnica: input.chaveUnica, integracao: {} },
        chaveUsuario: input.chaveUnica,
        correlationId: input.correlationId,
      });
      if (isBusinessRefusal(outcome)) throw new AppError('BENEFICIARIO_NAO_RECONHECIDO', `A operadora não reconheceu o beneficiário: ${outcome.mensagem}`);
      const login = valueOrThrow(outcome) as LoginResponse;
      const now = deps.clock.now();
      const id = randomUUID();
      const expireAt = now + chaveAuthPolicy.lifetimeMs;
      const token = mint({ idSessao: id, expiracao: expireAt, aud: CHAVE_AUTH_AUDIENCE, versao: CHAVE_AUTH_VERSION, iat: Math.floor(now / 1000) });
      const session = await deps.sessions.openSession({
        id,
        token,
        clienteId: input.clienteId,
        instancia: input.instancia,
        login,
        origem: 'chaveAuth',
        lifetimeMs: chaveAuthPolicy.lifetimeMs,
      });
      // The token's own `expiracao`; the stored session ends within the same millisecond.
      return { token, expireAt, session };
    },
  };
}

export type ChaveAuthService = ReturnType<typeof createChaveAuthService>;

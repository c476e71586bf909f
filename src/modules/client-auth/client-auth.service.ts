import { createHmac } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { AppError } from '../../platform/errors.ts';
import type { AttemptLimiter, AuthFailureLimiter } from '../../platform/http/auth-failure-limiter.ts';
import type { ClientApi } from '../client-tokens/client-tokens.repo.ts';
import { isClientTokenShaped, type ClientTokensService, type VerifiedClientToken } from '../client-tokens/client-tokens.service.ts';
import type { TempTokenService } from '../temp-auth/temp-tokens.service.ts';

/** Who is calling the public client API. */
export type ClientPrincipal = {
  clienteId: string;
  /** The cliente's numeric code: the `idCliente` claim of temp tokens. */
  clienteCodigo: number;
  /** The token do cliente itself, or the parent of the temp token used. */
  tokenId: string;
  /** That token's public key: the `key` claim of its temp tokens. */
  tokenChave: string;
  apis: ClientApi[];
  viaTempToken: boolean;
};

const MAX_AUTHORIZATION_LENGTH = 4096;

/** The token from `Authorization: <token>` or `Authorization: Bearer <token>`. */
export function tokenFromAuthorization(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string' || header.length === 0 || header.length > MAX_AUTHORIZATION_LENGTH) return undefined;
  const value = header.trim();
  const token = /^bearer(?:\s+|$)/i.test(value) ? value.replace(/^bearer(?:\s+|$)/i, '').trim() : value;
  return token.length > 0 && !/\s/.test(token) ? token : undefined;
}

const looksLikeJwt = (token: string) => token.split('.').length === 3;

/** How many failed credentials a node remembers (their keyed hashes): bounded, so a flood of guesses costs little memory. */
const FAILED_CREDENTIALS_REMEMBERED = 50_000;
const REQUEST_WINDOW_SECONDS = 60;

/**
 * Authenticates `/clientes` callers and applies the limits of that API (README, "Limites"):
 *
 * - A temp token is accepted wherever its parent is, as long as the parent is still active and
 *   belongs to the same cliente; it can never mint another temp token. Every failure is the same
 *   INVALID_TOKEN; a token lacking the API is TOKEN_SCOPE_MISSING.
 * - **A valid credential is never refused because of someone else's failures.** Failures are
 *   counted per IP (shared by every node through the key-value store) and per presented credential
 *   (a keyed hash of the token string, remembered by this node for the failure window). Past its
 *   limit an IP's refusals say so — 429 with `Retry-After`, which temp-authorization turns into its
 *   seed 401 plus `Retry-After` — but each credential it presents is still checked: one verified on
 *   this node is answered from memory, one never seen is looked up once, and one that already failed
 *   is refused without a lookup (a token that failed never becomes valid: a revoked or expired one
 *   stays so, and an unknown one was never issued). Malformed tokens and forged JWTs never reach the
 *   database either, so what a flood of guesses can cost is one indexed read per never-seen,
 *   well-formed token — the price of a valid call.
 * - `countRequest`: requests per token do cliente (a temp token counts against its parent) per
 *   minute, 429 with `Retry-After` past `maxRequestsPerTokenPerMinute`.
 */
export function createClientAuthenticator(deps: {
  tokens: ClientTokensService;
  tempTokens: TempTokenService;
  failures: Pick<AuthFailureLimiter, 'recordFailure'>;
  requests: AttemptLimiter;
  maxRequestsPerTokenPerMinute: number;
  /** Key of the hashes failed credentials are remembered by. */
  hashKey: Buffer;
  /** How long a failed credential is remembered: the failure window. */
  failureWindowSeconds: number;
}) {
  const failed = new LRUCache<string, true>({ max: FAILED_CREDENTIALS_REMEMBERED, ttl: deps.failureWindowSeconds * 1000 });
  const credentialOf = (token: string) => createHmac('sha256', deps.hashKey).update(token).digest('base64url');

  const principalFrom = (verified: VerifiedClientToken, viaTempToken: boolean): ClientPrincipal => ({
    clienteId: verified.clienteId,
    clienteCodigo: verified.clienteCodigo,
    tokenId: verified.id,
    tokenChave: verified.chavePublica,
    apis: verified.apis,
    viaTempToken,
  });

  /**
   * What this node can tell without the database: the principal, `invalid` (malformed, forged or
   * expired, a temp token where none is allowed) or `unknown` (needs a lookup).
   */
  async function fromMemory(token: string, allowTemp: boolean): Promise<ClientPrincipal | 'invalid' | 'unknown'> {
    if (!looksLikeJwt(token)) {
      if (!isClientTokenShaped(token)) return 'invalid';
      const verified = deps.tokens.cachedPlaintext(token);
      return verified ? principalFrom(verified, false) : 'unknown';
    }
    if (!allowTemp) return 'invalid';
    const claims = await deps.tempTokens.verify(token);
    if (!claims) return 'invalid';
    const parent = deps.tokens.cachedByChave(claims.key);
    if (!parent) return 'unknown';
    return parent.clienteCodigo === claims.idCliente ? principalFrom(parent, true) : 'invalid';
  }

  async function fromStore(token: string, allowTemp: boolean): Promise<ClientPrincipal | undefined> {
    if (!looksLikeJwt(token)) {
      const verified = await deps.tokens.verifyPlaintext(token);
      return verified && principalFrom(verified, false);
    }
    const claims = allowTemp ? await deps.tempTokens.verify(token) : undefined;
    const parent = claims && (await deps.tokens.verifyByChave(claims.key));
    return parent && parent.clienteCodigo === claims.idCliente ? principalFrom(parent, true) : undefined;
  }

  /** The principal, or undefined after counting the failure (which may say the IP is over its limit). */
  async function principalOf(token: string | undefined, allowTemp: boolean): Promise<ClientPrincipal | undefined> {
    if (token === undefined) return undefined;
    const known = await fromMemory(token, allowTemp);
    if (known === 'invalid') return undefined;
    if (known !== 'unknown') return known;
    const credential = credentialOf(token);
    if (failed.has(credential)) return undefined;
    const principal = await fromStore(token, allowTemp);
    if (!principal) failed.set(credential, true);
    return principal;
  }

  return {
    async authenticate(
      authorization: string | string[] | undefined,
      options: {
        api?: ClientApi;
        allowTemp: boolean;
        ip: string;
        countRequest?: boolean;
        /** Told the verified caller before the scope and rate checks, so a refusal for those can be logged for its cliente. */
        onPrincipal?: (principal: ClientPrincipal) => void;
      },
    ): Promise<ClientPrincipal> {
      const principal = await principalOf(tokenFromAuthorization(authorization), options.allowTemp);
      if (!principal) {
        const retryAfterSeconds = await deps.failures.recordFailure('clientes', options.ip);
        if (retryAfterSeconds === undefined) throw new AppError('INVALID_TOKEN');
        throw new AppError('RATE_LIMITED', 'Muitas tentativas de autenticação malsucedidas a partir deste endereço. Confira o token e aguarde para tentar de novo.', {
          retryAfterSeconds,
        });
      }
      options.onPrincipal?.(principal);
      if (options.api && !principal.apis.includes(options.api)) throw new AppError('TOKEN_SCOPE_MISSING');
      if (options.countRequest) {
        await deps.requests.consume(
          [{ key: `clientes:token:${principal.tokenId}`, max: deps.maxRequestsPerTokenPerMinute, windowSeconds: REQUEST_WINDOW_SECONDS }],
          `Este token do cliente passou de ${deps.maxRequestsPerTokenPerMinute} requisições por minuto. Aguarde o tempo indicado em Retry-After e distribua as chamadas.`,
        );
      }
      return principal;
    },

    /**
     * The principal of a credential this node verified lately, without a lookup or any counting
     * (undefined: not verified here lately). For decisions after a route already authenticated,
     * such as CORS on its response.
     */
    async cached(authorization: string | string[] | undefined): Promise<ClientPrincipal | undefined> {
      const token = tokenFromAuthorization(authorization);
      const known = token === undefined ? 'invalid' : await fromMemory(token, true);
      return typeof known === 'string' ? undefined : known;
    },
  };
}

export type ClientAuthenticator = ReturnType<typeof createClientAuthenticator>;

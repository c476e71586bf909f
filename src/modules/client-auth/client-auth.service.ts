import { AppError } from '../../platform/errors.ts';
import type { ClientApi } from '../client-tokens/client-tokens.repo.ts';
import type { ClientTokensService } from '../client-tokens/client-tokens.service.ts';
import type { TempTokenService } from '../temp-auth/temp-tokens.service.ts';

/** Who is calling the public client API. */
export type ClientPrincipal = {
  clienteId: string;
  /** The token do cliente itself, or the parent of the temp token used. */
  tokenId: string;
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

/**
 * Authenticates `/clientes` callers. A temp token is accepted wherever its parent is, as long as
 * the parent is still active and belongs to the same cliente; it can never mint another temp token.
 * Every failure is the same INVALID_TOKEN; a token lacking the API is TOKEN_SCOPE_MISSING.
 */
export function createClientAuthenticator(deps: { tokens: ClientTokensService; tempTokens: TempTokenService }) {
  async function principalOf(token: string, allowTemp: boolean): Promise<ClientPrincipal | undefined> {
    if (!looksLikeJwt(token)) {
      const verified = await deps.tokens.verifyPlaintext(token);
      return verified && { clienteId: verified.clienteId, tokenId: verified.id, apis: verified.apis, viaTempToken: false };
    }
    if (!allowTemp) return undefined;
    const claims = await deps.tempTokens.verify(token);
    if (!claims) return undefined;
    const parent = await deps.tokens.verifyById(claims.key);
    if (!parent || parent.clienteId !== claims.idCliente) return undefined;
    return { clienteId: parent.clienteId, tokenId: parent.id, apis: parent.apis, viaTempToken: true };
  }

  return {
    async authenticate(authorization: string | string[] | undefined, options: { api?: ClientApi; allowTemp: boolean }): Promise<ClientPrincipal> {
      const token = tokenFromAuthorization(authorization);
      const principal = token === undefined ? undefined : await principalOf(token, options.allowTemp);
      if (!principal) throw new AppError('INVALID_TOKEN');
      if (options.api && !principal.apis.includes(options.api)) throw new AppError('TOKEN_SCOPE_MISSING');
      return principal;
    },
  };
}

export type ClientAuthenticator = ReturnType<typeof createClientAuthenticator>;

import { createHash, createHmac, webcrypto } from 'node:crypto';
import { errors as joseErrors, jwtVerify, decodeProtectedHeader } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../../platform/clock.ts';
import type { JwtKey } from '../../platform/keyring.ts';

export const TEMP_TOKEN_AUDIENCE = 'cliente_temporario';
/** The seed fixes it: a temp token always expires 12 hours after it was generated. */
export const TEMP_TOKEN_LIFETIME_SECONDS = 43_200;

/**
 * Typed as the seed's example: `key` is 64 lowercase hex characters naming the parent token do
 * cliente (its `chavePublica`, never the token or its hash), `idCliente` the cliente's numeric code.
 */
export type TempTokenClaims = { key: string; idCliente: number; iat: number; exp: number };

const KEY_CLAIM_SHAPE = /^[0-9a-f]{64}$/;

/**
 * Temporary tokens: HS256 JWTs `{key, aud, idCliente, iat, exp}` signed with the first JWT key
 * (its `kid` in the header); every key still in the ring verifies, so rotation is: put a new key
 * first, wait 12 h, remove the old one. Verified tokens are cached by hash until they expire.
 * The cache holds only what the signature proves, never whether the parent token is still active:
 * `client-auth` asks `verifyByChave` about the parent on every call, so a temp token dies with its
 * parent as soon as the parent's revocation reaches the node.
 */
export async function createTempTokenService(deps: { jwtKeys: JwtKey[]; clock: Clock }) {
  const [signingKey] = deps.jwtKeys;
  if (!signingKey) throw new Error('createTempTokenService needs at least one JWT key');
  // Importing once as CryptoKey halves jose's per-token cost (docs/DESEMPENHO.md).
  const cryptoKeys = new Map<string, webcrypto.CryptoKey>();
  for (const key of deps.jwtKeys) {
    cryptoKeys.set(key.kid, await webcrypto.subtle.importKey('raw', key.secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']));
  }
  const encodedHeader = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: signingKey.kid })).toString('base64url');
  const verified = new LRUCache<string, TempTokenClaims>({ max: 20_000, ttlAutopurge: false });

  return {
    /** `parentChave`: the parent token's `chavePublica`; `clienteCodigo`: its cliente's numeric code. */
    async mint(input: { clienteCodigo: number; parentChave: string }): Promise<{ token: string; expireAt: number }> {
      const nowMs = deps.clock.now();
      const iat = Math.floor(nowMs / 1000);
      // The seed example's claim order: key, aud, idCliente, iat, exp.
      const payload = { key: input.parentChave, aud: TEMP_TOKEN_AUDIENCE, idCliente: input.clienteCodigo, iat, exp: iat + TEMP_TOKEN_LIFETIME_SECONDS };
      const signingInput = `${encodedHeader}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      // HS256 signed with node:crypto's synchronous HMAC: jose's WebCrypto path costs ~8x more per
      // token and was a third of the endpoint's CPU (docs/BENCHMARKS.md). Verification stays on jose.
      const signature = createHmac('sha256', signingKey.secret).update(signingInput).digest('base64url');
      // As in the seed's example: expireAt is 12 h after the request, in milliseconds.
      return { token: `${signingInput}.${signature}`, expireAt: nowMs + TEMP_TOKEN_LIFETIME_SECONDS * 1000 };
    },

    /** The claims of a valid, unexpired temp token signed by a key in the ring, else undefined. */
    async verify(token: string): Promise<TempTokenClaims | undefined> {
      const cacheKey = createHash('sha256').update(token).digest('base64url');
      const nowSeconds = Math.floor(deps.clock.now() / 1000);
      const cached = verified.get(cacheKey);
      if (cached) return cached.exp > nowSeconds ? cached : undefined;
      try {
        const { kid } = decodeProtectedHeader(token);
        const key = kid === undefined ? undefined : cryptoKeys.get(kid);
        if (!key) return undefined;
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          audience: TEMP_TOKEN_AUDIENCE,
          currentDate: new Date(deps.clock.now()),
          requiredClaims: ['iat', 'exp'],
        });
        // Temp tokens minted before migration 0008 carried `key: "tok_…"` and `idCliente: "cli_…"`
        // (strings): they are refused from then on, and operators mint new ones with their token do
        // cliente — at most 12 hours of old tokens are affected, the lifetime of a temp token.
        const { key: claimKey, idCliente } = payload;
        if (typeof claimKey !== 'string' || !KEY_CLAIM_SHAPE.test(claimKey) || typeof idCliente !== 'number' || !Number.isSafeInteger(idCliente)) return undefined;
        const claims: TempTokenClaims = { key: claimKey, idCliente, iat: payload.iat as number, exp: payload.exp as number };
        verified.set(cacheKey, claims, { ttl: Math.max(1, (claims.exp - nowSeconds) * 1000) });
        return claims;
      } catch (error) {
        if (error instanceof joseErrors.JOSEError || error instanceof TypeError) return undefined;
        throw error;
      }
    },
  };
}

export type TempTokenService = Awaited<ReturnType<typeof createTempTokenService>>;

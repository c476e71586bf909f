import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.ts';
import { newSecretToken, sha256Hex } from '../../platform/crypto.ts';
import type { Db } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { createLocalInvalidation, type Invalidation } from '../../platform/invalidation.ts';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import type { ClientApi, ClientToken, ClientTokensRepo, TokenWithCodigo } from './client-tokens.repo.ts';

export const CLIENT_TOKEN_PREFIX = 'ptk';
/** Characters of the plaintext kept for display: the `ptk_` prefix and 8 random ones. */
const VISIBLE_START_LENGTH = 12;
const LAST_USED_WRITE_EVERY_MS = 60_000;
/** What `newSecretToken(CLIENT_TOKEN_PREFIX)` makes: the prefix and 32 random bytes in base64url. */
const CLIENT_TOKEN_SHAPE = /^ptk_[A-Za-z0-9_-]{43}$/;

/** Whether `plaintext` could be a token do cliente at all; anything else is refused without a lookup. */
export const isClientTokenShaped = (plaintext: string) => CLIENT_TOKEN_SHAPE.test(plaintext);

/**
 * What a verified token do cliente grants, and what its temp tokens carry: `clienteCodigo` (claim
 * `idCliente`) and `chavePublica` (claim `key`).
 */
export type VerifiedClientToken = { id: string; clienteId: string; clienteCodigo: number; chavePublica: string; apis: ClientApi[] };

/** 32 random bytes in lowercase hex: the `key` claim of a token's temp tokens (the seed's example has 64 hex characters). */
const newChavePublica = () => randomBytes(32).toString('hex');

/**
 * Tokens do cliente: created for chosen APIs, shown once, stored as SHA-256 with a visible start.
 *
 * Verification is cached in process for `cacheTtlMs`. A revoke publishes `token-do-cliente`:
 * the revoking node drops the entry at once, every other node (and a server on the same database
 * when the CLI revokes) within the invalidation poll interval; `cacheTtlMs`
 * (`PONTE_TOKEN_CACHE_TTL_SECONDS`) only bounds a node the invalidation never reached. Temp tokens
 * die with their parent: they are accepted only while `verifyByChave` still finds it. Unknown tokens
 * are never cached, so a flood of guesses cannot evict real entries.
 */
export function createClientTokensService(deps: { db: Db; repos: { clientTokens: ClientTokensRepo }; clock: Clock; audit: AuditService; logger: Logger; cacheTtlMs: number; invalidation?: Invalidation }) {
  const repo = deps.repos.clientTokens;
  const byHash = new LRUCache<string, VerifiedClientToken>({ max: 10_000, ttl: deps.cacheTtlMs });
  const byChave = new LRUCache<string, VerifiedClientToken>({ max: 10_000, ttl: deps.cacheTtlMs });
  const lastUsedWrittenAt = new Map<string, number>();
  const invalidation = deps.invalidation ?? createLocalInvalidation(deps.logger);

  invalidation.subscribe('token-do-cliente', (tokenId) => {
    if (tokenId === undefined) {
      byHash.clear();
      byChave.clear();
      return;
    }
    // Revocations are rare and the caches are bounded: a scan beats keeping another index in step.
    for (const cache of [byHash, byChave]) {
      const keys = [...cache.entries()].filter(([, verified]) => verified.id === tokenId).map(([key]) => key);
      for (const key of keys) cache.delete(key);
    }
  });

  function noteUse(tokenId: string): void {
    const now = deps.clock.now();
    if (now - (lastUsedWrittenAt.get(tokenId) ?? 0) < LAST_USED_WRITE_EVERY_MS) return;
    lastUsedWrittenAt.set(tokenId, now);
    // Off the request path: a failed bookkeeping write must never fail an API call.
    repo.touchLastUsed(tokenId, now).catch((err: unknown) => deps.logger.warn({ err, tokenId }, 'não foi possível registrar o uso do token'));
  }

  const toVerified = (token: TokenWithCodigo): VerifiedClientToken => ({
    id: token.id,
    clienteId: token.clienteId,
    clienteCodigo: token.clienteCodigo,
    chavePublica: token.chavePublica,
    apis: token.apis,
  });

  return {
    /** Creates a token; the returned `plaintext` exists only in this answer. */
    async create(input: { clienteId: string; apis: ClientApi[]; descricao: string; actor: AuditActor; requestId?: string }) {
      const plaintext = newSecretToken(CLIENT_TOKEN_PREFIX);
      const token: ClientToken = {
        id: newId('clientToken'),
        clienteId: input.clienteId,
        chavePublica: newChavePublica(),
        tokenStart: plaintext.slice(0, VISIBLE_START_LENGTH),
        apis: [...new Set(input.apis)],
        descricao: input.descricao.trim(),
        createdBy: input.actor.userId,
        createdAt: deps.clock.now(),
        lastUsedAt: null,
        revokedAt: null,
      };
      await deps.db.transaction().execute(async (trx) => {
        await repo.insert({ ...token, tokenHash: sha256Hex(plaintext) }, trx);
        await deps.audit.record(
          {
            clienteId: input.clienteId,
            actor: input.actor,
            action: 'token.criado',
            targetType: 'token',
            targetId: token.id,
            after: { prefixo: token.tokenStart, apis: token.apis, descricao: token.descricao },
            requestId: input.requestId ?? null,
          },
          trx,
        );
      });
      return { token, plaintext };
    },

    list: (clienteId: string) => repo.listByCliente(clienteId),

    /**
     * Revokes a token; NOT_FOUND when it does not exist, is already revoked or, when `clienteId`
     * is given (the painel always gives it), belongs to another cliente.
     */
    async revoke(input: { clienteId?: string; tokenId: string; actor: AuditActor; requestId?: string }): Promise<ClientToken> {
      const existing = await repo.findById(input.tokenId);
      if (!existing || (input.clienteId !== undefined && existing.clienteId !== input.clienteId)) {
        throw new AppError('NOT_FOUND', 'Token não encontrado.');
      }
      const now = deps.clock.now();
      const revoked = await deps.db.transaction().execute(async (trx) => {
        const changed = await repo.revoke(existing.clienteId, input.tokenId, now, trx);
        if (changed) {
          await deps.audit.record(
            {
              clienteId: existing.clienteId,
              actor: input.actor,
              action: 'token.revogado',
              targetType: 'token',
              targetId: input.tokenId,
              before: { prefixo: existing.tokenStart, apis: existing.apis, revogadoEm: null },
              after: { prefixo: existing.tokenStart, apis: existing.apis, revogadoEm: now },
              requestId: input.requestId ?? null,
            },
            trx,
          );
        }
        return changed;
      });
      // An earlier revoke already told every node; this one changed nothing.
      if (!revoked) throw new AppError('NOT_FOUND', 'Token não encontrado ou já revogado.');
      await invalidation.publish('token-do-cliente', existing.id);
      const { tokenHash: _hash, ...token } = existing;
      return { ...token, revokedAt: now };
    },

    /** The active token behind a plaintext, or undefined. */
    async verifyPlaintext(plaintext: string): Promise<VerifiedClientToken | undefined> {
      if (!isClientTokenShaped(plaintext)) return undefined;
      const tokenHash = sha256Hex(plaintext);
      let verified = byHash.get(tokenHash);
      if (!verified) {
        const token = await repo.findByHash(tokenHash);
        if (!token || token.revokedAt !== null) return undefined;
        verified = toVerified(token);
        byHash.set(tokenHash, verified);
        byChave.set(verified.chavePublica, verified);
      }
      noteUse(verified.id);
      return verified;
    },

    /**
     * The verification of a plaintext this node holds, without reading the database: undefined
     * means only "not verified here lately", not "invalid".
     */
    cachedPlaintext(plaintext: string): VerifiedClientToken | undefined {
      if (!isClientTokenShaped(plaintext)) return undefined;
      const verified = byHash.get(sha256Hex(plaintext));
      if (verified) noteUse(verified.id);
      return verified;
    },

    /** `cachedPlaintext` for a temp token's parent: the cached verification of the token with this `key`, if any. */
    cachedByChave(chavePublica: string): VerifiedClientToken | undefined {
      const verified = byChave.get(chavePublica);
      if (verified) noteUse(verified.id);
      return verified;
    },

    /** The active token whose temp tokens carry this `key`, or undefined; what a temp token checks about its parent. */
    async verifyByChave(chavePublica: string): Promise<VerifiedClientToken | undefined> {
      let verified = byChave.get(chavePublica);
      if (!verified) {
        const token = await repo.findByChavePublica(chavePublica);
        if (!token || token.revokedAt !== null) return undefined;
        verified = toVerified(token);
        byChave.set(chavePublica, verified);
      }
      noteUse(verified.id);
      return verified;
    },
  };
}

export type ClientTokensService = ReturnType<typeof createClientTokensService>;

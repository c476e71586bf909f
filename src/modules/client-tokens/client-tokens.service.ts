import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.ts';
import { newSecretToken, sha256Hex } from '../../platform/crypto.ts';
import type { Db } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import { type ClientApi, type ClientToken, createClientTokensRepo } from './client-tokens.repo.ts';

export const CLIENT_TOKEN_PREFIX = 'ptk';
/** Characters of the plaintext kept for display: the `ptk_` prefix and 8 random ones. */
const VISIBLE_START_LENGTH = 12;
const LAST_USED_WRITE_EVERY_MS = 60_000;

/** What a verified token do cliente grants. */
export type VerifiedClientToken = { id: string; clienteId: string; apis: ClientApi[] };

/**
 * Tokens do cliente: created for chosen APIs, shown once, stored as SHA-256 with a visible start.
 *
 * Verification is cached in process for `cacheTtlMs`. A revoke drops the entry on the node that
 * revoked at once; every other node stops accepting the token within `cacheTtlMs`
 * (`PONTE_TOKEN_CACHE_TTL_SECONDS`, 30 s by default). Unknown tokens are never cached, so a
 * flood of guesses cannot evict real entries.
 */
export function createClientTokensService(deps: { db: Db; clock: Clock; audit: AuditService; logger: Logger; cacheTtlMs: number }) {
  const repo = createClientTokensRepo(deps.db);
  const byHash = new LRUCache<string, VerifiedClientToken>({ max: 10_000, ttl: deps.cacheTtlMs });
  const byId = new LRUCache<string, VerifiedClientToken>({ max: 10_000, ttl: deps.cacheTtlMs });
  const lastUsedWrittenAt = new Map<string, number>();

  function noteUse(tokenId: string): void {
    const now = deps.clock.now();
    if (now - (lastUsedWrittenAt.get(tokenId) ?? 0) < LAST_USED_WRITE_EVERY_MS) return;
    lastUsedWrittenAt.set(tokenId, now);
    // Off the request path: a failed bookkeeping write must never fail an API call.
    repo.touchLastUsed(tokenId, now).catch((err: unknown) => deps.logger.warn({ err, tokenId }, 'could not record token use'));
  }

  const toVerified = (token: ClientToken): VerifiedClientToken => ({ id: token.id, clienteId: token.clienteId, apis: token.apis });

  return {
    /** Creates a token; the returned `plaintext` exists only in this answer. */
    async create(input: { clienteId: string; apis: ClientApi[]; descricao: string; actor: AuditActor; requestId?: string }) {
      const plaintext = newSecretToken(CLIENT_TOKEN_PREFIX);
      const token: ClientToken = {
        id: newId('clientToken'),
        clienteId: input.clienteId,
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
      byHash.delete(existing.tokenHash);
      byId.delete(existing.id);
      if (!revoked) throw new AppError('NOT_FOUND', 'Token não encontrado ou já revogado.');
      const { tokenHash: _hash, ...token } = existing;
      return { ...token, revokedAt: now };
    },

    /** The active token behind a plaintext, or undefined. */
    async verifyPlaintext(plaintext: string): Promise<VerifiedClientToken | undefined> {
      const tokenHash = sha256Hex(plaintext);
      let verified = byHash.get(tokenHash);
      if (!verified) {
        const token = await repo.findByHash(tokenHash);
        if (!token || token.revokedAt !== null) return undefined;
        verified = toVerified(token);
        byHash.set(tokenHash, verified);
        byId.set(verified.id, verified);
      }
      noteUse(verified.id);
      return verified;
    },

    /** The active token with this id, or undefined; what a temp token checks about its parent. */
    async verifyById(tokenId: string): Promise<VerifiedClientToken | undefined> {
      let verified = byId.get(tokenId);
      if (!verified) {
        const token = await repo.findById(tokenId);
        if (!token || token.revokedAt !== null) return undefined;
        verified = toVerified(token);
        byId.set(tokenId, verified);
      }
      noteUse(verified.id);
      return verified;
    },
  };
}

export type ClientTokensService = ReturnType<typeof createClientTokensService>;

import { LRUCache } from 'lru-cache';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { createLocalInvalidation, type Invalidation } from '../../platform/invalidation.ts';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import type { OrigensRepo } from './origens.repo.ts';

export type Origem = { id: string; origem: string; criadaEm: number };

/** How long a node may answer CORS from what it read before: a safety net, since a change publishes `origem` to every node. */
const CORS_CACHE_TTL_MS = 10_000;

/** `https://app.operadora.com.br[:port]` exactly as browsers send `Origin`, or why not. */
export function normalizeOrigin(raw: string): { origem: string } | { problem: string } {
  // Browsers send one exact origin: a wildcard would be saved and never match anything.
  if (raw.includes('*')) return { problem: 'Curingas (*) não valem: cadastre cada origem exata, como https://app.operadora.com.br (uma por subdomínio).' };
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { problem: 'Informe a origem completa, como https://app.operadora.com.br.' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: 'A origem deve começar com https:// (ou http:// para testes locais).' };
  if (url.pathname !== '/' || url.search || url.hash || url.username) return { problem: 'A origem é só esquema, host e porta, sem caminho (ex.: https://app.operadora.com.br).' };
  return { origem: url.origin };
}

/** Origens (Segurança → Origens): which browser origins may call `/clientes` from WebViews and pages. */
export function createOrigensService(deps: { db: Db; repos: { origens: OrigensRepo }; clock: Clock; audit: AuditService; invalidation?: Invalidation }) {
  const repo = deps.repos.origens;
  const clientesByOrigin = new LRUCache<string, string[]>({ max: 10_000, ttl: CORS_CACHE_TTL_MS });
  const invalidation = deps.invalidation ?? createLocalInvalidation();
  invalidation.subscribe('origem', (origin) => (origin === undefined ? clientesByOrigin.clear() : clientesByOrigin.delete(origin)));

  return {
    async list(clienteId: string): Promise<Origem[]> {
      const rows = await repo.listForCliente(clienteId);
      return rows.map(({ id, origem, criadaEm }) => ({ id, origem, criadaEm }));
    },

    async add(input: { clienteId: string; origem: string; actor: AuditActor }): Promise<Origem> {
      const normalized = normalizeOrigin(input.origem);
      if ('problem' in normalized) throw new AppError('VALIDATION_FAILED', undefined, { details: [{ field: 'origem', message: normalized.problem }] });
      if (await repo.isRegistered(input.clienteId, normalized.origem)) throw new AppError('CONFLICT', `A origem ${normalized.origem} já está cadastrada.`);
      const origem: Origem = { id: newId('origem'), origem: normalized.origem, criadaEm: deps.clock.now() };
      try {
        await deps.db.transaction().execute(async (trx) => {
          await repo.insert({ ...origem, clienteId: input.clienteId }, trx);
          await deps.audit.record({ clienteId: input.clienteId, actor: input.actor, action: 'origem.criada', targetType: 'origem', targetId: origem.id, after: { origem: origem.origem } }, trx);
        });
      } catch (error) {
        // A simultaneous request registered it between the check above and the insert (unique constraint).
        if (await repo.isRegistered(input.clienteId, normalized.origem)) throw new AppError('CONFLICT', `A origem ${normalized.origem} já está cadastrada.`);
        throw error;
      }
      await invalidation.publish('origem', origem.origem);
      return origem;
    },

    async remove(input: { clienteId: string; origemId: string; actor: AuditActor }): Promise<void> {
      const row = await repo.find(input.clienteId, input.origemId);
      if (!row) throw new AppError('NOT_FOUND', 'Origem não encontrada.');
      await deps.db.transaction().execute(async (trx) => {
        await repo.delete(row.id, trx);
        await deps.audit.record({ clienteId: input.clienteId, actor: input.actor, action: 'origem.removida', targetType: 'origem', targetId: row.id, before: { origem: row.origem } }, trx);
      });
      await invalidation.publish('origem', row.origem);
    },

    /** The clientes that registered `origin` (cached briefly: CORS preflights are frequent). */
    async clientesAllowing(origin: string): Promise<string[]> {
      const cached = clientesByOrigin.get(origin);
      if (cached) return cached;
      const clientes = await repo.clientesAllowing(origin);
      clientesByOrigin.set(origin, clientes);
      return clientes;
    },
  };
}

export type OrigensService = ReturnType<typeof createOrigensService>;

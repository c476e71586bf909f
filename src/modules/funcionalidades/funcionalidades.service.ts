import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { createLocalInvalidation, type Invalidation } from '../../platform/invalidation.ts';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import { funcionalidadeUrlProblem } from './funcionalidade-url.ts';
import type { Funcionalidade, FuncionalidadesRepo } from './funcionalidades.repo.ts';

export const CHAVE_PASSE_MAX_MINUTES = 10;

/**
 * How long a node may answer the app (login, session, configuration) from its copy of an
 * instância's funcionalidades: a safety net, since every change publishes `funcionalidade` and
 * every node drops its copies at once.
 */
const APP_LIST_CACHE_TTL_MS = 5_000;

export type FuncionalidadeInput = { nome: string; url: string; codigo?: string | undefined; validadeMinutos?: number | undefined; ativa?: boolean | undefined };

/**
 * Funcionalidades customizadas (WebView): name, URL, generated chaveFuncionalidade, chave passe
 * validity, active flag. A creation, edit or removal publishes `funcionalidade`: resolved chaves
 * passe cached on any node carry a copy of it, and the app's lists are cached per instância.
 */
export function createFuncionalidadesService(deps: { db: Db; repos: { funcionalidades: FuncionalidadesRepo }; clock: Clock; audit: AuditService; invalidation?: Invalidation }) {
  const repo = deps.repos.funcionalidades;
  const invalidation = deps.invalidation ?? createLocalInvalidation();
  const appLists = new LRUCache<string, Funcionalidade[]>({ max: 5_000, ttl: APP_LIST_CACHE_TTL_MS, perf: deps.clock });
  // The key names one funcionalidade, not its instância: any change drops every list (they refill from one query each).
  invalidation.subscribe('funcionalidade', () => appLists.clear());
  const describe = (f: Funcionalidade) => ({ nome: f.nome, url: f.url, codigo: f.codigo, validadeMinutos: f.validadeMinutos, ativa: f.ativa });

  function assertUrl(url: string, instancia: 1 | 2): void {
    const problem = funcionalidadeUrlProblem(url, instancia);
    if (problem) throw new AppError('VALIDATION_FAILED', undefined, { details: [{ field: 'url', message: problem }] });
  }

  async function owned(clienteId: string, instancia: 1 | 2, id: string): Promise<Funcionalidade> {
    const found = await repo.findById(id);
    if (!found || found.clienteId !== clienteId || found.instancia !== instancia) throw new AppError('NOT_FOUND', 'Funcionalidade não encontrada.');
    return found;
  }

  return {
    /** Straight from the database: what the painel shows and edits. */
    list: (clienteId: string, instancia: 1 | 2) => repo.list(clienteId, instancia),

    /** The same list for the app's hot paths (every login), cached per instância. Treat it as read-only. */
    async listForApp(clienteId: string, instancia: 1 | 2): Promise<Funcionalidade[]> {
      const key = `${clienteId}:${instancia}`;
      const cached = appLists.get(key);
      if (cached) return cached;
      const found = await repo.list(clienteId, instancia);
      appLists.set(key, found);
      return found;
    },
    get: owned,
    findByChave: (chave: string) => repo.findByChave(chave),
    findById: (id: string) => repo.findById(id),

    async create(input: FuncionalidadeInput & { clienteId: string; instancia: 1 | 2; actor: AuditActor }): Promise<Funcionalidade> {
      assertUrl(input.url, input.instancia);
      const now = deps.clock.now();
      const chave = randomUUID();
      const f: Funcionalidade = {
        id: newId('funcionalidade'),
        clienteId: input.clienteId,
        instancia: input.instancia,
        nome: input.nome,
        url: input.url,
        chave,
        codigo: input.codigo?.trim() || chave,
        validadeMinutos: input.validadeMinutos ?? CHAVE_PASSE_MAX_MINUTES,
        ativa: input.ativa ?? true,
        createdAt: now,
        updatedAt: now,
      };
      await deps.db.transaction().execute(async (trx) => {
        await repo.insert(f, trx);
        await deps.audit.record({ clienteId: f.clienteId, instancia: f.instancia, actor: input.actor, action: 'funcionalidade.criada', targetType: 'funcionalidade', targetId: f.id, after: describe(f) }, trx);
      });
      await invalidation.publish('funcionalidade', f.id);
      return f;
    },

    async update(input: FuncionalidadeInput & { clienteId: string; instancia: 1 | 2; id: string; actor: AuditActor }): Promise<Funcionalidade> {
      const before = await owned(input.clienteId, input.instancia, input.id);
      assertUrl(input.url, input.instancia);
      const f: Funcionalidade = {
        ...before,
        nome: input.nome,
        url: input.url,
        codigo: input.codigo?.trim() || before.codigo,
        validadeMinutos: input.validadeMinutos ?? before.validadeMinutos,
        ativa: input.ativa ?? before.ativa,
        updatedAt: deps.clock.now(),
      };
      await deps.db.transaction().execute(async (trx) => {
        await repo.update(f, trx);
        await deps.audit.record({ clienteId: f.clienteId, instancia: f.instancia, actor: input.actor, action: 'funcionalidade.alterada', targetType: 'funcionalidade', targetId: f.id, before: describe(before), after: describe(f) }, trx);
      });
      await invalidation.publish('funcionalidade', f.id);
      return f;
    },

    async remove(input: { clienteId: string; instancia: 1 | 2; id: string; actor: AuditActor }): Promise<void> {
      const f = await owned(input.clienteId, input.instancia, input.id);
      await deps.db.transaction().execute(async (trx) => {
        await repo.delete(f.id, trx);
        await deps.audit.record({ clienteId: f.clienteId, instancia: f.instancia, actor: input.actor, action: 'funcionalidade.removida', targetType: 'funcionalidade', targetId: f.id, before: describe(f) }, trx);
      });
      await invalidation.publish('funcionalidade', f.id);
    },
  };
}

export type FuncionalidadesService = ReturnType<typeof createFuncionalidadesService>;

import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';

export type AuditActor = { userId: string | null; label: string };

export type AuditEntry = {
  clienteId: string | null;
  actor: AuditActor;
  action: string;
  targetType: string;
  targetId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  requestId?: string | null;
};

const SECRET_KEY = /senha|secret|token|password|chave|hash/i;

/** Masks every value whose key names a secret, at any depth, before it is stored. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && v != null ? '***' : maskSecrets(v)]));
  }
  return value;
}

/** Who changed what, before and after, with secrets masked. Written in the caller's transaction. */
export function createAuditService(deps: { db: Db; clock: Clock }) {
  return {
    async record(entry: AuditEntry, trx: Executor = deps.db): Promise<void> {
      await trx
        .insertInto('audit_events')
        .values({
          id: newId('auditEvent'),
          cliente_id: entry.clienteId,
          actor_user_id: entry.actor.userId,
          actor_label: entry.actor.label,
          action: entry.action,
          target_type: entry.targetType,
          target_id: entry.targetId,
          before_json: entry.before ? JSON.stringify(maskSecrets(entry.before)) : null,
          after_json: entry.after ? JSON.stringify(maskSecrets(entry.after)) : null,
          request_id: entry.requestId ?? null,
          created_at: deps.clock.now(),
        })
        .execute();
    },

    async listForCliente(clienteId: string, options: { limit: number; before?: number }) {
      let query = deps.db
        .selectFrom('audit_events')
        .selectAll()
        .where('cliente_id', '=', clienteId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(options.limit);
      if (options.before !== undefined) query = query.where('created_at', '<', options.before);
      const rows = await query.execute();
      return rows.map((r) => ({
        id: r.id,
        ator: r.actor_label,
        acao: r.action,
        alvo: { tipo: r.target_type, id: r.target_id },
        antes: r.before_json ? (JSON.parse(r.before_json) as unknown) : null,
        depois: r.after_json ? (JSON.parse(r.after_json) as unknown) : null,
        requestId: r.request_id,
        criadoEm: r.created_at,
      }));
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;

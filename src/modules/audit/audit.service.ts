import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import { redactAudit } from '../../platform/redaction.ts';

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

/**
 * Who changed what, before and after, written in the caller's transaction. Before and after pass
 * through `redactAudit` (`platform/redaction.ts`): credentials masked, beneficiary personal data
 * masked, configuration and the painel accounts involved kept.
 */
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
          before_json: entry.before ? JSON.stringify(redactAudit(entry.before)) : null,
          after_json: entry.after ? JSON.stringify(redactAudit(entry.after)) : null,
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

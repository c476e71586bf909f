import type { Clock } from '../../platform/clock.ts';
import { toCsv } from '../../platform/csv.ts';
import type { AuditEventsTable, Executor } from '../../platform/db/schema.ts';
import { newTimeOrderedId } from '../../platform/ids.ts';
import { redactAudit } from '../../platform/redaction.ts';
import type { AuditFilter, AuditRepo } from './audit.repo.ts';

export type AuditActor = { userId: string | null; label: string };

export type AuditEntry = {
  clienteId: string | null;
  actor: AuditActor;
  action: string;
  targetType: string;
  targetId: string;
  /** The instância changed (1 Sandbox, 2 Produção); absent or null for what belongs to the whole cliente. */
  instancia?: 1 | 2 | null | undefined;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  requestId?: string | null;
};

/** An audit event as the painel reads it: ids resolved to names where the cliente still has them. */
export type AuditEventView = {
  id: string;
  ator: string;
  atorId: string | null;
  acao: string;
  instancia: 1 | 2 | null;
  alvo: { tipo: string; id: string; nome: string | null };
  antes: unknown;
  depois: unknown;
  /** Names of the ids that appear inside `antes`/`depois` (a grupoId, a formularioId…). */
  nomes: Record<string, string>;
  requestId: string | null;
  criadoEm: number;
};

/** Rows one CSV export holds at most. */
export const MAX_AUDIT_EXPORT_ROWS = 10_000;

const ID_PATTERN = /^(grp|fun|frm|tok|org|usr|cnv)_[A-Za-z0-9_-]{4,60}$/;

/** Every minted id inside a snapshot (bounded walk). */
function idsIn(value: unknown, found: Set<string>, depth = 0): void {
  if (depth > 6 || found.size > 200) return;
  if (typeof value === 'string') {
    if (ID_PATTERN.test(value)) found.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value.slice(0, 100)) idsIn(item, found, depth + 1);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value).slice(0, 100)) idsIn(item, found, depth + 1);
  }
}

/** What the event's own snapshot calls its target: the name of a grupo, the prefix of a token… */
function snapshotName(before: unknown, after: unknown): string | null {
  for (const snapshot of [after, before]) {
    if (typeof snapshot !== 'object' || snapshot === null) continue;
    const s = snapshot as Record<string, unknown>;
    if (typeof s.nome === 'string' && s.nome.trim() !== '') return s.nome;
    if (typeof s.origem === 'string') return s.origem;
    if (typeof s.prefixo === 'string') return `${s.prefixo}…${typeof s.descricao === 'string' && s.descricao ? ` (${s.descricao})` : ''}`;
    if (typeof s.email === 'string') return s.email;
  }
  return null;
}

const parse = (text: string | null): unknown => (text ? (JSON.parse(text) as unknown) : null);

/**
 * Who changed what, before and after, written in the caller's transaction. Before and after pass
 * through `redactAudit` (`platform/redaction.ts`): credentials masked, beneficiary personal data
 * masked, configuration and the painel accounts involved kept.
 */
export function createAuditService(deps: { repos: { audit: AuditRepo }; clock: Clock }) {
  const repo = deps.repos.audit;

  async function views(clienteId: string, rows: AuditEventsTable[]): Promise<AuditEventView[]> {
    const parsed = rows.map((r) => ({ row: r, antes: parse(r.before_json), depois: parse(r.after_json) }));
    const ids = new Set<string>();
    for (const p of parsed) {
      ids.add(p.row.target_id);
      idsIn(p.antes, ids);
      idsIn(p.depois, ids);
    }
    const names = new Map((await repo.names(clienteId, [...ids])).map((n) => [n.id, n.nome]));
    // A removed grupo no longer resolves from its table: its events' own snapshots still name it.
    for (const p of parsed) {
      if (!names.has(p.row.target_id)) {
        const nome = snapshotName(p.antes, p.depois);
        if (nome) names.set(p.row.target_id, nome);
      }
    }
    return parsed.map(({ row, antes, depois }) => {
      const inner = new Set<string>();
      idsIn(antes, inner);
      idsIn(depois, inner);
      return {
        id: row.id,
        ator: row.actor_label,
        atorId: row.actor_user_id,
        acao: row.action,
        instancia: row.instancia === 1 || row.instancia === 2 ? row.instancia : null,
        alvo: { tipo: row.target_type, id: row.target_id, nome: names.get(row.target_id) ?? null },
        antes,
        depois,
        nomes: Object.fromEntries([...inner].filter((id) => names.has(id)).map((id) => [id, names.get(id)!])),
        requestId: row.request_id,
        criadoEm: row.created_at,
      };
    });
  }

  return {
    async record(entry: AuditEntry, trx?: Executor): Promise<void> {
      const now = deps.clock.now();
      await repo.insert(
        {
          id: newTimeOrderedId('auditEvent', now),
          cliente_id: entry.clienteId,
          actor_user_id: entry.actor.userId,
          actor_label: entry.actor.label,
          action: entry.action,
          target_type: entry.targetType,
          target_id: entry.targetId,
          instancia: entry.instancia ?? null,
          before_json: entry.before ? JSON.stringify(redactAudit(entry.before)) : null,
          after_json: entry.after ? JSON.stringify(redactAudit(entry.after)) : null,
          request_id: entry.requestId ?? null,
          created_at: now,
        },
        trx,
      );
    },

    /** Newest first, filtered; `antesDe` pages back in time. */
    async listForCliente(clienteId: string, options: Omit<AuditFilter, 'clienteId'> & { limit: number; before?: number | undefined }): Promise<AuditEventView[]> {
      const { limit, before, ...filter } = options;
      const rows = await repo.list({ clienteId, ...filter, antesDe: filter.antesDe ?? before }, limit);
      return views(clienteId, rows);
    },

    /** Everyone who ever changed something in the cliente (the "quem" filter). */
    actors: (clienteId: string) => repo.actors(clienteId),

    /** The filtered events as CSV (at most `MAX_AUDIT_EXPORT_ROWS`), names resolved, snapshots as JSON. */
    async exportCsv(clienteId: string, filter: Omit<AuditFilter, 'clienteId' | 'antesDe'>): Promise<{ csv: string; total: number; truncated: boolean }> {
      const [rows, total] = await Promise.all([repo.list({ clienteId, ...filter }, MAX_AUDIT_EXPORT_ROWS), repo.count({ clienteId, ...filter })]);
      const events = await views(clienteId, rows);
      const csv = toCsv(
        ['quando', 'instancia', 'quem', 'acao', 'alvoTipo', 'alvoNome', 'alvoId', 'antes', 'depois', 'requestId'],
        events.map((e) => [
          new Date(e.criadoEm).toISOString(),
          e.instancia === 1 ? 'Sandbox' : e.instancia === 2 ? 'Produção' : '',
          e.ator,
          e.acao,
          e.alvo.tipo,
          e.alvo.nome,
          e.alvo.id,
          e.antes === null ? '' : JSON.stringify(e.antes),
          e.depois === null ? '' : JSON.stringify(e.depois),
          e.requestId,
        ]),
      );
      return { csv, total, truncated: total > events.length };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;

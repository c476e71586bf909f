import type { AuditEventsTable, Executor } from '../../platform/db/schema.ts';

/** Filters of the auditoria screen; every one optional, all combined with AND. */
export type AuditFilter = {
  clienteId: string;
  /** Exact action (`grupo.alterado`) or a family (`grupo.`: every grupo action). */
  acao?: string | undefined;
  /** The actor's painel user id, or `sistema` for changes no person made. */
  atorId?: string | undefined;
  /** Epoch ms, inclusive. */
  de?: number | undefined;
  /** Epoch ms, inclusive. */
  ate?: number | undefined;
  /** 1, 2, or 0 for changes of the whole cliente (no instância). */
  instancia?: 0 | 1 | 2 | undefined;
  /** Page cursor: events strictly older than this. */
  antesDe?: number | undefined;
};

/** A name for an id an audit event points at, as the painel shows it instead of `grp_…`. */
export type ResolvedName = { id: string; nome: string };

/**
 * The auditoria's events, written in the caller's transaction and read back. Besides its own table it reads the *names* of what events point at
 * (grupos, funcionalidades, formulários, tokens, origens, painel users, convites) — names only,
 * for the auditoria screen, within the same cliente; another cliente's ids resolve to nothing.
 */
export function createAuditRepo(db: Executor) {
  function filtered(filter: AuditFilter, trx: Executor) {
    let query = trx.selectFrom('audit_events').where('cliente_id', '=', filter.clienteId);
    if (filter.acao !== undefined) query = filter.acao.endsWith('.') ? query.where('action', 'like', `${filter.acao.replace(/[%_]/g, '')}%`) : query.where('action', '=', filter.acao);
    if (filter.atorId !== undefined) query = filter.atorId === 'sistema' ? query.where('actor_user_id', 'is', null) : query.where('actor_user_id', '=', filter.atorId);
    if (filter.de !== undefined) query = query.where('created_at', '>=', filter.de);
    if (filter.ate !== undefined) query = query.where('created_at', '<=', filter.ate);
    if (filter.instancia !== undefined) query = filter.instancia === 0 ? query.where('instancia', 'is', null) : query.where('instancia', '=', filter.instancia);
    if (filter.antesDe !== undefined) query = query.where('created_at', '<', filter.antesDe);
    return query;
  }

  return {
    /** Writes one event; callers pass their own transaction so the event commits or rolls back with the change. */
    async insert(row: AuditEventsTable, trx: Executor = db): Promise<void> {
      await trx.insertInto('audit_events').values(row).execute();
    },

    /** Newest first, at most `limit`; events of the same millisecond in reverse order of writing (their ids sort by time). */
    async list(filter: AuditFilter, limit: number, trx: Executor = db): Promise<AuditEventsTable[]> {
      return filtered(filter, trx).selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    },

    async count(filter: AuditFilter, trx: Executor = db): Promise<number> {
      const row = await filtered(filter, trx)
        .select((eb) => eb.fn.countAll().as('total'))
        .executeTakeFirstOrThrow();
      return Number(row.total);
    },

    /** Who ever changed something in this cliente, for the "quem" filter. */
    async actors(clienteId: string, trx: Executor = db): Promise<{ atorId: string | null; ator: string }[]> {
      const rows = await trx
        .selectFrom('audit_events')
        .select(['actor_user_id', 'actor_label'])
        .where('cliente_id', '=', clienteId)
        .groupBy(['actor_user_id', 'actor_label'])
        .orderBy('actor_label')
        .limit(500)
        .execute();
      return rows.map((r) => ({ atorId: r.actor_user_id, ator: r.actor_label }));
    },

    /** Current names of `ids` inside the cliente; ids of other clientes (or deleted rows) are left out. */
    async names(clienteId: string, ids: readonly string[], trx: Executor = db): Promise<ResolvedName[]> {
      const byPrefix = (prefix: string) => [...new Set(ids.filter((id) => id.startsWith(`${prefix}_`)))].slice(0, 500);
      const out: ResolvedName[] = [];
      const grupos = byPrefix('grp');
      if (grupos.length > 0) {
        for (const r of await trx.selectFrom('grupos_autorizacao').select(['id', 'nome']).where('cliente_id', '=', clienteId).where('id', 'in', grupos).execute()) out.push({ id: r.id, nome: r.nome });
      }
      const funcionalidades = byPrefix('fun');
      if (funcionalidades.length > 0) {
        for (const r of await trx.selectFrom('funcionalidades').select(['id', 'nome']).where('cliente_id', '=', clienteId).where('id', 'in', funcionalidades).execute()) out.push({ id: r.id, nome: r.nome });
      }
      const formularios = byPrefix('frm');
      if (formularios.length > 0) {
        for (const r of await trx.selectFrom('formularios').select(['id', 'nome']).where('cliente_id', '=', clienteId).where('id', 'in', formularios).execute()) out.push({ id: r.id, nome: r.nome });
      }
      const tokens = byPrefix('tok');
      if (tokens.length > 0) {
        for (const r of await trx.selectFrom('client_tokens').select(['id', 'token_start', 'descricao']).where('cliente_id', '=', clienteId).where('id', 'in', tokens).execute()) {
          out.push({ id: r.id, nome: `${r.token_start}…${r.descricao ? ` (${r.descricao})` : ''}` });
        }
      }
      const origens = byPrefix('org');
      if (origens.length > 0) {
        for (const r of await trx.selectFrom('origens').select(['id', 'origem']).where('cliente_id', '=', clienteId).where('id', 'in', origens).execute()) out.push({ id: r.id, nome: r.origem });
      }
      const users = byPrefix('usr');
      if (users.length > 0) {
        // Only people who are (or were made) members of this cliente: the membership join keeps other clientes' accounts out.
        const rows = await trx
          .selectFrom('painel_users')
          .innerJoin('painel_memberships', 'painel_memberships.user_id', 'painel_users.id')
          .select(['painel_users.id', 'painel_users.nome', 'painel_users.email'])
          .where('painel_memberships.cliente_id', '=', clienteId)
          .where('painel_users.id', 'in', users)
          .execute();
        for (const r of rows) out.push({ id: r.id, nome: `${r.nome} (${r.email})` });
      }
      return out;
    },
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;

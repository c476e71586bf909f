import { PostgresIntrospector, sql } from 'kysely';
import type { Executor } from '../../platform/db/schema.ts';

export type Instancia = { id: string; numero: 1 | 2; appId: string };
/** `codigo`: the cliente's stable numeric code (the `idCliente` claim of its temp tokens). */
export type Cliente = { id: string; codigo: number; nome: string; createdAt: number; instancias: Instancia[]; retencaoLogsDias: number };

/** Whether `error` is a unique-constraint violation, on SQLite or PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function createClientesRepo(db: Executor) {
  // SQLite runs one write transaction at a time; PostgreSQL needs a lock for "highest plus one".
  const serializesWrites = !(db.introspection instanceof PostgresIntrospector);
  async function instanciasOf(trx: Executor, clienteIds: string[]): Promise<Map<string, Instancia[]>> {
    const byCliente = new Map<string, Instancia[]>();
    if (clienteIds.length === 0) return byCliente;
    const rows = await trx.selectFrom('instancias').select(['id', 'cliente_id', 'numero', 'app_id']).where('cliente_id', 'in', clienteIds).orderBy('numero').execute();
    for (const row of rows) {
      const list = byCliente.get(row.cliente_id) ?? [];
      list.push({ id: row.id, numero: row.numero as 1 | 2, appId: row.app_id });
      byCliente.set(row.cliente_id, list);
    }
    return byCliente;
  }

  return {
    /**
     * Inserts the cliente, numbered with the next `codigo` (the highest so far plus one), and its
     * instâncias; returns the `codigo`. Call inside a transaction so all or none exist. On
     * PostgreSQL the transaction first takes an advisory lock held until it ends, so concurrent
     * creations number themselves one after the other; the unique index stays the last guard
     * (`isUniqueViolation`) for a database shared with an older node.
     */
    async insert(cliente: Omit<Cliente, 'codigo'>, trx: Executor = db): Promise<number> {
      if (!serializesWrites) await sql`select pg_advisory_xact_lock(hashtext('ponte.clientes.codigo'))`.execute(trx);
      const { codigo } = await trx
        .insertInto('clientes')
        .values({
          id: cliente.id,
          codigo: sql<number>`(select coalesce(max(codigo), 0) + 1 from clientes)`,
          nome: cliente.nome,
          created_at: cliente.createdAt,
          updated_at: cliente.createdAt,
          log_retention_days: cliente.retencaoLogsDias,
        })
        .returning('codigo')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('instancias')
        .values(cliente.instancias.map((i) => ({ id: i.id, cliente_id: cliente.id, numero: i.numero, app_id: i.appId, created_at: cliente.createdAt })))
        .execute();
      return Number(codigo);
    },

    async findById(id: string, trx: Executor = db): Promise<Cliente | undefined> {
      const row = await trx.selectFrom('clientes').select(['id', 'codigo', 'nome', 'created_at', 'log_retention_days']).where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      const instancias = (await instanciasOf(trx, [row.id])).get(row.id) ?? [];
      return { id: row.id, codigo: Number(row.codigo), nome: row.nome, createdAt: row.created_at, instancias, retencaoLogsDias: row.log_retention_days };
    },

    async setLogRetention(id: string, days: number, now: number, trx: Executor = db): Promise<void> {
      await trx.updateTable('clientes').set({ log_retention_days: days, updated_at: now }).where('id', '=', id).execute();
    },

    /** The cliente and instância a public app id names, or undefined. */
    async findByAppId(appId: string, trx: Executor = db): Promise<{ clienteId: string; clienteNome: string; instancia: 1 | 2 } | undefined> {
      const row = await trx
        .selectFrom('instancias')
        .innerJoin('clientes', 'clientes.id', 'instancias.cliente_id')
        .select(['instancias.cliente_id', 'instancias.numero', 'clientes.nome'])
        .where('instancias.app_id', '=', appId)
        .executeTakeFirst();
      return row && { clienteId: row.cliente_id, clienteNome: row.nome, instancia: row.numero as 1 | 2 };
    },

    /** All clientes, or only `ids` when given; ordered by name. */
    async list(filter: { ids?: string[] } = {}, trx: Executor = db): Promise<Cliente[]> {
      if (filter.ids && filter.ids.length === 0) return [];
      let query = trx.selectFrom('clientes').select(['id', 'codigo', 'nome', 'created_at', 'log_retention_days']).orderBy('nome').orderBy('id');
      if (filter.ids) query = query.where('id', 'in', filter.ids);
      const rows = await query.execute();
      const instancias = await instanciasOf(trx, rows.map((r) => r.id));
      return rows.map((r) => ({ id: r.id, codigo: Number(r.codigo), nome: r.nome, createdAt: r.created_at, instancias: instancias.get(r.id) ?? [], retencaoLogsDias: r.log_retention_days }));
    },
  };
}

export type ClientesRepo = ReturnType<typeof createClientesRepo>;

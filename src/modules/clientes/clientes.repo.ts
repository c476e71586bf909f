import type { Executor } from '../../platform/db/schema.ts';

export type Instancia = { id: string; numero: 1 | 2; appId: string };
export type Cliente = { id: string; nome: string; createdAt: number; instancias: Instancia[]; retencaoLogsDias: number };

export function createClientesRepo(db: Executor) {
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
    /** Inserts the cliente and its instâncias; call inside a transaction so both or neither exist. */
    async insert(cliente: Cliente, trx: Executor = db): Promise<void> {
      await trx
        .insertInto('clientes')
        .values({ id: cliente.id, nome: cliente.nome, created_at: cliente.createdAt, updated_at: cliente.createdAt, log_retention_days: cliente.retencaoLogsDias })
        .execute();
      await trx
        .insertInto('instancias')
        .values(cliente.instancias.map((i) => ({ id: i.id, cliente_id: cliente.id, numero: i.numero, app_id: i.appId, created_at: cliente.createdAt })))
        .execute();
    },

    async findById(id: string, trx: Executor = db): Promise<Cliente | undefined> {
      const row = await trx.selectFrom('clientes').select(['id', 'nome', 'created_at', 'log_retention_days']).where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      const instancias = (await instanciasOf(trx, [row.id])).get(row.id) ?? [];
      return { id: row.id, nome: row.nome, createdAt: row.created_at, instancias, retencaoLogsDias: row.log_retention_days };
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
      let query = trx.selectFrom('clientes').select(['id', 'nome', 'created_at', 'log_retention_days']).orderBy('nome').orderBy('id');
      if (filter.ids) query = query.where('id', 'in', filter.ids);
      const rows = await query.execute();
      const instancias = await instanciasOf(trx, rows.map((r) => r.id));
      return rows.map((r) => ({ id: r.id, nome: r.nome, createdAt: r.created_at, instancias: instancias.get(r.id) ?? [], retencaoLogsDias: r.log_retention_days }));
    },
  };
}

export type ClientesRepo = ReturnType<typeof createClientesRepo>;

import type { Executor } from '../../platform/db/schema.ts';

export type OrigemRow = { id: string; clienteId: string; origem: string; criadaEm: number };

/** The `origens` table: the browser origins each cliente registered. */
export function createOrigensRepo(db: Executor) {
  const toOrigem = (r: { id: string; cliente_id: string; origem: string; created_at: number }): OrigemRow => ({
    id: r.id,
    clienteId: r.cliente_id,
    origem: r.origem,
    criadaEm: r.created_at,
  });

  return {
    async listForCliente(clienteId: string, trx: Executor = db): Promise<OrigemRow[]> {
      const rows = await trx.selectFrom('origens').selectAll().where('cliente_id', '=', clienteId).orderBy('origem').execute();
      return rows.map(toOrigem);
    },

    async find(clienteId: string, origemId: string, trx: Executor = db): Promise<OrigemRow | undefined> {
      const row = await trx.selectFrom('origens').selectAll().where('id', '=', origemId).where('cliente_id', '=', clienteId).executeTakeFirst();
      return row && toOrigem(row);
    },

    async isRegistered(clienteId: string, origem: string, trx: Executor = db): Promise<boolean> {
      const row = await trx.selectFrom('origens').select('id').where('cliente_id', '=', clienteId).where('origem', '=', origem).executeTakeFirst();
      return row !== undefined;
    },

    async insert(origem: OrigemRow, trx: Executor = db): Promise<void> {
      await trx.insertInto('origens').values({ id: origem.id, cliente_id: origem.clienteId, origem: origem.origem, created_at: origem.criadaEm }).execute();
    },

    async delete(id: string, trx: Executor = db): Promise<void> {
      await trx.deleteFrom('origens').where('id', '=', id).execute();
    },

    /** Every cliente that registered `origem`. */
    async clientesAllowing(origem: string, trx: Executor = db): Promise<string[]> {
      const rows = await trx.selectFrom('origens').select('cliente_id').where('origem', '=', origem).execute();
      return rows.map((r) => r.cliente_id);
    },
  };
}

export type OrigensRepo = ReturnType<typeof createOrigensRepo>;

import type { Executor, FuncionalidadesTable } from '../../platform/db/schema.ts';

export type Funcionalidade = {
  id: string;
  clienteId: string;
  instancia: 1 | 2;
  nome: string;
  url: string;
  /** The public `chaveFuncionalidade` (UUID), generated at creation, never changed. */
  chave: string;
  /** What `permissoes[].funcionalidade` in the operator's login names this feature by. */
  codigo: string;
  validadeMinutos: number;
  ativa: boolean;
  createdAt: number;
  updatedAt: number;
};

function toFuncionalidade(row: FuncionalidadesTable): Funcionalidade {
  return {
    id: row.id,
    clienteId: row.cliente_id,
    instancia: row.instancia as 1 | 2,
    nome: row.nome,
    url: row.url,
    chave: row.chave,
    codigo: row.codigo,
    validadeMinutos: row.validade_minutos,
    ativa: row.ativa === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createFuncionalidadesRepo(db: Executor) {
  const columns = (f: Funcionalidade) => ({
    nome: f.nome,
    url: f.url,
    codigo: f.codigo,
    validade_minutos: f.validadeMinutos,
    ativa: f.ativa ? 1 : 0,
    updated_at: f.updatedAt,
  });
  return {
    async insert(f: Funcionalidade, trx: Executor = db): Promise<void> {
      await trx
        .insertInto('funcionalidades')
        .values({ id: f.id, cliente_id: f.clienteId, instancia: f.instancia, chave: f.chave, created_at: f.createdAt, ...columns(f) })
        .execute();
    },
    async update(f: Funcionalidade, trx: Executor = db): Promise<void> {
      await trx.updateTable('funcionalidades').set(columns(f)).where('id', '=', f.id).execute();
    },
    async delete(id: string, trx: Executor = db): Promise<void> {
      await trx.deleteFrom('funcionalidades').where('id', '=', id).execute();
    },
    async findById(id: string, trx: Executor = db): Promise<Funcionalidade | undefined> {
      const row = await trx.selectFrom('funcionalidades').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toFuncionalidade(row);
    },
    async findByChave(chave: string, trx: Executor = db): Promise<Funcionalidade | undefined> {
      const row = await trx.selectFrom('funcionalidades').selectAll().where('chave', '=', chave).executeTakeFirst();
      return row && toFuncionalidade(row);
    },
    async list(clienteId: string, instancia: 1 | 2, trx: Executor = db): Promise<Funcionalidade[]> {
      const rows = await trx.selectFrom('funcionalidades').selectAll().where('cliente_id', '=', clienteId).where('instancia', '=', instancia).orderBy('nome').orderBy('id').execute();
      return rows.map(toFuncionalidade);
    },
  };
}

export type FuncionalidadesRepo = ReturnType<typeof createFuncionalidadesRepo>;

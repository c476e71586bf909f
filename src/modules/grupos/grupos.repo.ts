import type { Executor, GruposAutorizacaoTable } from '../../platform/db/schema.ts';

export type GrupoStatus = 'ativo' | 'falhando';

export type Grupo = {
  id: string;
  clienteId: string;
  instancia: 1 | 2;
  nome: string;
  url: string;
  usuario: string;
  senhaSelada: string;
  ttlSegundos: number;
  status: GrupoStatus;
  ultimaRenovacaoEm: number | null;
  ultimoErro: string | null;
  ultimoErroEm: number | null;
  createdAt: number;
  updatedAt: number;
};

function toGrupo(row: GruposAutorizacaoTable): Grupo {
  return {
    id: row.id,
    clienteId: row.cliente_id,
    instancia: row.instancia as 1 | 2,
    nome: row.nome,
    url: row.url,
    usuario: row.usuario,
    senhaSelada: row.senha_selada,
    ttlSegundos: row.ttl_segundos,
    status: row.status as GrupoStatus,
    ultimaRenovacaoEm: row.ultima_renovacao_em,
    ultimoErro: row.ultimo_erro,
    ultimoErroEm: row.ultimo_erro_em,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The columns a grupo's owner can change (everything but identity and creation). */
function editable(grupo: Grupo) {
  return {
    nome: grupo.nome,
    url: grupo.url,
    usuario: grupo.usuario,
    senha_selada: grupo.senhaSelada,
    ttl_segundos: grupo.ttlSegundos,
    status: grupo.status,
    ultima_renovacao_em: grupo.ultimaRenovacaoEm,
    ultimo_erro: grupo.ultimoErro,
    ultimo_erro_em: grupo.ultimoErroEm,
    updated_at: grupo.updatedAt,
  };
}

export function createGruposRepo(db: Executor) {
  return {
    async insert(grupo: Grupo, trx: Executor = db): Promise<void> {
      await trx
        .insertInto('grupos_autorizacao')
        .values({ id: grupo.id, cliente_id: grupo.clienteId, instancia: grupo.instancia, created_at: grupo.createdAt, ...editable(grupo) })
        .execute();
    },

    async update(grupo: Grupo, trx: Executor = db): Promise<void> {
      await trx
        .updateTable('grupos_autorizacao')
        .set(editable(grupo))
        .where('id', '=', grupo.id)
        .execute();
    },

    /** Records the outcome of a refresh without touching the configuration. */
    async recordRefresh(id: string, outcome: { ok: true; at: number } | { ok: false; at: number; error: string }, trx: Executor = db): Promise<void> {
      await trx
        .updateTable('grupos_autorizacao')
        .set(
          outcome.ok
            ? { status: 'ativo', ultima_renovacao_em: outcome.at, ultimo_erro: null }
            : { status: 'falhando', ultimo_erro: outcome.error.slice(0, 1000), ultimo_erro_em: outcome.at },
        )
        .where('id', '=', id)
        .execute();
    },

    /**
     * Replaces the sealed senha only if it is still `from` (a compare-and-set): a lazy re-seal
     * never overwrites a senha someone saved meanwhile. Returns whether the row changed.
     */
    async replaceSenhaSelada(id: string, from: string, to: string, trx: Executor = db): Promise<boolean> {
      const result = await trx.updateTable('grupos_autorizacao').set({ senha_selada: to }).where('id', '=', id).where('senha_selada', '=', from).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async findById(id: string, trx: Executor = db): Promise<Grupo | undefined> {
      const row = await trx.selectFrom('grupos_autorizacao').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toGrupo(row);
    },

    async list(clienteId: string, instancia: 1 | 2, trx: Executor = db): Promise<Grupo[]> {
      const rows = await trx.selectFrom('grupos_autorizacao').selectAll().where('cliente_id', '=', clienteId).where('instancia', '=', instancia).orderBy('nome').execute();
      return rows.map(toGrupo);
    },

    /** The instâncias whose integração sends this grupo's headers. */
    async instanciasUsing(id: string, trx: Executor = db): Promise<(1 | 2)[]> {
      const rows = await trx.selectFrom('integracoes').select('instancia').where('grupo_id', '=', id).orderBy('instancia').execute();
      return rows.map((row) => row.instancia as 1 | 2);
    },

    async delete(id: string, trx: Executor = db): Promise<void> {
      await trx.deleteFrom('grupos_autorizacao').where('id', '=', id).execute();
    },
  };
}

export type GruposRepo = ReturnType<typeof createGruposRepo>;

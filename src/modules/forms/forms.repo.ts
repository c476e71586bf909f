import type { Executor, FormulariosTable } from '../../platform/db/schema.ts';
import type { Campo, FormFinalidade, FormularioDefinicao } from './forms.schemas.ts';

/** A saved form of one cliente's instância. */
export type Formulario = FormularioDefinicao & {
  id: string;
  clienteId: string;
  instancia: 1 | 2;
  createdAt: number;
  updatedAt: number;
};

function toFormulario(row: FormulariosTable): Formulario {
  return {
    id: row.id,
    clienteId: row.cliente_id,
    instancia: row.instancia as 1 | 2,
    nome: row.nome,
    finalidade: row.finalidade as FormFinalidade,
    campos: JSON.parse(row.campos_json) as Campo[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createFormsRepo(db: Executor) {
  return {
    async insert(formulario: Formulario, trx: Executor = db): Promise<void> {
      await trx
        .insertInto('formularios')
        .values({
          id: formulario.id,
          cliente_id: formulario.clienteId,
          instancia: formulario.instancia,
          nome: formulario.nome,
          finalidade: formulario.finalidade,
          campos_json: JSON.stringify(formulario.campos),
          created_at: formulario.createdAt,
          updated_at: formulario.updatedAt,
        })
        .execute();
    },

    async update(formulario: Formulario, trx: Executor = db): Promise<void> {
      await trx
        .updateTable('formularios')
        .set({ nome: formulario.nome, finalidade: formulario.finalidade, campos_json: JSON.stringify(formulario.campos), updated_at: formulario.updatedAt })
        .where('id', '=', formulario.id)
        .execute();
    },

    async delete(id: string, trx: Executor = db): Promise<void> {
      await trx.deleteFrom('formularios').where('id', '=', id).execute();
    },

    async findById(id: string, trx: Executor = db): Promise<Formulario | undefined> {
      const row = await trx.selectFrom('formularios').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toFormulario(row);
    },

    /** The instância's forms, oldest first. */
    async list(clienteId: string, instancia: 1 | 2, trx: Executor = db): Promise<Formulario[]> {
      const rows = await trx
        .selectFrom('formularios')
        .selectAll()
        .where('cliente_id', '=', clienteId)
        .where('instancia', '=', instancia)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toFormulario);
    },

    async count(clienteId: string, instancia: 1 | 2, trx: Executor = db): Promise<number> {
      const row = await trx
        .selectFrom('formularios')
        .select((eb) => eb.fn.countAll<string | number>().as('total'))
        .where('cliente_id', '=', clienteId)
        .where('instancia', '=', instancia)
        .executeTakeFirstOrThrow();
      return Number(row.total);
    },
  };
}

export type FormsRepo = ReturnType<typeof createFormsRepo>;

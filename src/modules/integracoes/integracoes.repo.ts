import type { Executor, IntegracoesTable } from '../../platform/db/schema.ts';
import type { OperatorMethod } from '../contracts/contract-spec.ts';

/** The methods whose body comes from a Formbuilder form (a form per method). */
export const formMethods = ['login', 'recuperarSenhaIdentificacao', 'recuperarSenhaNovaSenha', 'trocarSenha'] as const satisfies readonly OperatorMethod[];
export type FormMethod = (typeof formMethods)[number];

/**
 * The methods configured in an integração; `autorizacao` belongs to grupos de autorização.
 * `elegibilidade` has no form (Ponte builds its body) and must also be activated (`elegibilidadeAtiva`).
 */
export const integrationMethods = [...formMethods, 'elegibilidade'] as const satisfies readonly OperatorMethod[];
export type IntegrationMethod = (typeof integrationMethods)[number];

export const isFormMethod = (method: IntegrationMethod): method is FormMethod => (formMethods as readonly string[]).includes(method);

export type MethodConfig = { url?: string | undefined; formularioId?: string | undefined };

/** A static header; a secret one keeps only its sealed value. */
export type StaticHeader = {
  nome: string;
  secreto: boolean;
  valor?: string | undefined;
  valorSelado?: string | undefined;
  /**
   * The origins a secret value was sealed for (they are in its associated data): it is sent
   * only while every URL of the integração stays within them. Absent: sealed before secrets
   * were bound to their destination, re-sealed for the current URLs on the next read.
   */
  destinos?: string[] | undefined;
  /**
   * A random id given to a secret value when someone types it, kept when it is re-sealed and
   * carried by the copy to Produção: equal ids mean "this very value was copied", while the
   * values themselves are never compared.
   */
  segredoId?: string | undefined;
};

export type Integracao = {
  id: string;
  clienteId: string;
  instancia: 1 | 2;
  baseUrl: string | null;
  metodos: Partial<Record<IntegrationMethod, MethodConfig>>;
  timeoutMs: number;
  headers: StaticHeader[];
  grupoId: string | null;
  /**
   * The origins the grupo's live tokens may be sent to, confirmed with the grupo's senha when the
   * integração was saved (grupo-destinos.ts). Absent: saved before that rule, or no grupo.
   */
  grupoDestinos?: string[] | undefined;
  /** Elegibilidade activated in the painel (after a passing live check): chaveAuth, embeds and relogin depend on it. */
  elegibilidadeAtiva?: boolean | undefined;
  /** Sessions older than this many hours refresh through elegibilidade (relogin); null/absent: off. */
  reloginHoras?: number | null | undefined;
  updatedBy: string | null;
  createdAt: number;
  updatedAt: number;
};

function toIntegracao(row: IntegracoesTable): Integracao {
  return {
    id: row.id,
    clienteId: row.cliente_id,
    instancia: row.instancia as 1 | 2,
    baseUrl: row.base_url,
    metodos: JSON.parse(row.metodos_json) as Integracao['metodos'],
    timeoutMs: row.timeout_ms,
    headers: JSON.parse(row.headers_json) as StaticHeader[],
    grupoId: row.grupo_id,
    ...(row.grupo_destinos_json ? { grupoDestinos: JSON.parse(row.grupo_destinos_json) as string[] } : {}),
    elegibilidadeAtiva: row.elegibilidade_ativa === 1,
    reloginHoras: row.relogin_horas ?? null,
    updatedBy: row.updated_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createIntegracoesRepo(db: Executor) {
  return {
    async find(clienteId: string, instancia: 1 | 2, trx: Executor = db): Promise<Integracao | undefined> {
      const row = await trx.selectFrom('integracoes').selectAll().where('cliente_id', '=', clienteId).where('instancia', '=', instancia).executeTakeFirst();
      return row && toIntegracao(row);
    },

    /**
     * Replaces the static headers only if they are still `fromJson` (a compare-and-set): a lazy
     * re-seal never overwrites headers someone saved meanwhile. Returns whether the row changed.
     */
    async replaceHeaders(id: string, fromJson: string, headers: StaticHeader[], trx: Executor = db): Promise<boolean> {
      const result = await trx.updateTable('integracoes').set({ headers_json: JSON.stringify(headers) }).where('id', '=', id).where('headers_json', '=', fromJson).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Activation of elegibilidade and the relogin interval: their own columns, which `upsert` never touches. */
    async setElegibilidade(id: string, config: { ativa: boolean; reloginHoras: number | null; updatedBy: string | null; updatedAt: number }, trx: Executor = db): Promise<void> {
      await trx
        .updateTable('integracoes')
        .set({ elegibilidade_ativa: config.ativa ? 1 : 0, relogin_horas: config.reloginHoras, updated_by: config.updatedBy, updated_at: config.updatedAt })
        .where('id', '=', id)
        .execute();
    },

    /** Inserts or replaces the integração of the cliente's instância (one per instância). */
    async upsert(integracao: Integracao, trx: Executor = db): Promise<void> {
      const values = {
        base_url: integracao.baseUrl,
        metodos_json: JSON.stringify(integracao.metodos),
        timeout_ms: integracao.timeoutMs,
        headers_json: JSON.stringify(integracao.headers),
        grupo_id: integracao.grupoId,
        grupo_destinos_json: integracao.grupoId && integracao.grupoDestinos ? JSON.stringify(integracao.grupoDestinos) : null,
        updated_by: integracao.updatedBy,
        updated_at: integracao.updatedAt,
      };
      await trx
        .insertInto('integracoes')
        .values({ id: integracao.id, cliente_id: integracao.clienteId, instancia: integracao.instancia, created_at: integracao.createdAt, ...values })
        .onConflict((oc) => oc.columns(['cliente_id', 'instancia']).doUpdateSet(values))
        .execute();
    },
  };
}

export type IntegracoesRepo = ReturnType<typeof createIntegracoesRepo>;

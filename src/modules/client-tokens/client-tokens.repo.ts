import type { Executor } from '../../platform/db/schema.ts';

export const clientApis = ['chavePasse', 'seguranca'] as const;
export type ClientApi = (typeof clientApis)[number];

export type ClientToken = {
  id: string;
  clienteId: string;
  /** 64 lowercase hex characters naming this token in its temp tokens (`key` claim); not a secret. */
  chavePublica: string;
  tokenStart: string;
  apis: ClientApi[];
  descricao: string;
  createdBy: string | null;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
};

type Row = {
  id: string;
  cliente_id: string;
  chave_publica: string;
  token_start: string;
  apis: string;
  descricao: string;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
};

const columns = ['id', 'cliente_id', 'chave_publica', 'token_start', 'apis', 'descricao', 'created_by', 'created_at', 'last_used_at', 'revoked_at'] as const;

function toToken(row: Row): ClientToken {
  return {
    id: row.id,
    clienteId: row.cliente_id,
    chavePublica: row.chave_publica,
    tokenStart: row.token_start,
    apis: JSON.parse(row.apis) as ClientApi[],
    descricao: row.descricao,
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** A token and the `codigo` of its cliente (the `idCliente` claim of its temp tokens). */
export type TokenWithCodigo = ClientToken & { clienteCodigo: number };

const withCodigo = (trx: Executor) =>
  trx
    .selectFrom('client_tokens')
    .innerJoin('clientes', 'clientes.id', 'client_tokens.cliente_id')
    .select([...columns.map((c) => `client_tokens.${c}` as const), 'clientes.codigo as cliente_codigo']);

export function createClientTokensRepo(db: Executor) {
  return {
    async insert(token: ClientToken & { tokenHash: string }, trx: Executor = db): Promise<void> {
      await trx
        .insertInto('client_tokens')
        .values({
          id: token.id,
          cliente_id: token.clienteId,
          chave_publica: token.chavePublica,
          token_hash: token.tokenHash,
          token_start: token.tokenStart,
          apis: JSON.stringify(token.apis),
          descricao: token.descricao,
          created_by: token.createdBy,
          created_at: token.createdAt,
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
    },

    /** The token with this hash, with its cliente's `codigo` (what a temp token minted from it carries). */
    async findByHash(tokenHash: string, trx: Executor = db): Promise<TokenWithCodigo | undefined> {
      const row = await withCodigo(trx).where('client_tokens.token_hash', '=', tokenHash).executeTakeFirst();
      return row && { ...toToken(row), clienteCodigo: Number(row.cliente_codigo) };
    },

    async findById(id: string, trx: Executor = db): Promise<(ClientToken & { tokenHash: string }) | undefined> {
      const row = await trx.selectFrom('client_tokens').select([...columns, 'token_hash']).where('id', '=', id).executeTakeFirst();
      return row && { ...toToken(row), tokenHash: row.token_hash };
    },

    /** The token whose temp tokens carry `chavePublica` as their `key`, with its cliente's `codigo`. */
    async findByChavePublica(chavePublica: string, trx: Executor = db): Promise<TokenWithCodigo | undefined> {
      const row = await withCodigo(trx).where('client_tokens.chave_publica', '=', chavePublica).executeTakeFirst();
      return row && { ...toToken(row), clienteCodigo: Number(row.cliente_codigo) };
    },

    async listByCliente(clienteId: string, trx: Executor = db): Promise<ClientToken[]> {
      const rows = await trx.selectFrom('client_tokens').select(columns).where('cliente_id', '=', clienteId).orderBy('created_at', 'desc').orderBy('id').execute();
      return rows.map(toToken);
    },

    /**
     * Marks the token revoked if it belongs to the cliente and is still active. A guarded UPDATE:
     * returns false when there was nothing to revoke, so two concurrent revokes report once.
     */
    async revoke(clienteId: string, id: string, now: number, trx: Executor = db): Promise<boolean> {
      const result = await trx
        .updateTable('client_tokens')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('cliente_id', '=', clienteId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async touchLastUsed(id: string, now: number, trx: Executor = db): Promise<void> {
      await trx.updateTable('client_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
    },
  };
}

export type ClientTokensRepo = ReturnType<typeof createClientTokensRepo>;

import type { Executor } from '../../platform/db/schema.ts';
import type { Role } from './painel-users.repo.ts';

export type Convite = {
  id: string;
  clienteId: string;
  email: string;
  papel: Role;
  /** Name of who invited, while that account exists. */
  convidadoPor: string | null;
  criadoEm: number;
  expiraEm: number;
};

type ConviteRow = { id: string; cliente_id: string; email: string; papel: string; criado_em: number; expira_em: number };

function toConvite(row: ConviteRow, convidadoPor: string | null = null): Convite {
  return { id: row.id, clienteId: row.cliente_id, email: row.email, papel: row.papel as Role, convidadoPor, criadoEm: row.criado_em, expiraEm: row.expira_em };
}

const columns = ['painel_convites.id', 'painel_convites.cliente_id', 'painel_convites.email', 'painel_convites.papel', 'painel_convites.criado_em', 'painel_convites.expira_em'] as const;

/** Invitations into a cliente (`painel_convites`): only the token's hash is stored. */
export function createPainelConvitesRepo(db: Executor) {
  return {
    /**
     * Creates the cliente's invitation of this e-mail, or replaces the one it had (new papel,
     * token and expiry: the old link stops working). One statement, so two admins inviting the
     * same e-mail at once leave exactly one invitation.
     */
    async upsert(input: { id: string; clienteId: string; email: string; papel: Role; tokenHash: string; convidadoPor: string | null; now: number; expiraEm: number }, trx: Executor = db): Promise<Convite> {
      const row = await trx
        .insertInto('painel_convites')
        .values({
          id: input.id,
          cliente_id: input.clienteId,
          email: input.email,
          papel: input.papel,
          token_hash: input.tokenHash,
          convidado_por: input.convidadoPor,
          criado_em: input.now,
          expira_em: input.expiraEm,
        })
        .onConflict((oc) =>
          oc.columns(['cliente_id', 'email']).doUpdateSet({
            papel: input.papel,
            token_hash: input.tokenHash,
            convidado_por: input.convidadoPor,
            criado_em: input.now,
            expira_em: input.expiraEm,
          }),
        )
        .returning(['id', 'cliente_id', 'email', 'papel', 'criado_em', 'expira_em'])
        .executeTakeFirstOrThrow();
      return toConvite(row);
    },

    /** The name of the cliente, for the invitation e-mail. */
    async clienteNome(clienteId: string, trx: Executor = db): Promise<string | undefined> {
      const row = await trx.selectFrom('clientes').select('nome').where('id', '=', clienteId).executeTakeFirst();
      return row?.nome;
    },

    /** The cliente's invitations, pending and expired, newest first. */
    async listForCliente(clienteId: string, trx: Executor = db): Promise<Convite[]> {
      const rows = await trx
        .selectFrom('painel_convites')
        .leftJoin('painel_users', 'painel_users.id', 'painel_convites.convidado_por')
        .select(columns)
        .select('painel_users.nome as convidado_por_nome')
        .where('painel_convites.cliente_id', '=', clienteId)
        .orderBy('painel_convites.criado_em', 'desc')
        .orderBy('painel_convites.id', 'desc')
        .execute();
      return rows.map((row) => toConvite(row, row.convidado_por_nome));
    },

    async findInCliente(clienteId: string, id: string, trx: Executor = db): Promise<Convite | undefined> {
      const row = await trx.selectFrom('painel_convites').select(columns).where('cliente_id', '=', clienteId).where('id', '=', id).executeTakeFirst();
      return row && toConvite(row);
    },

    /** A live invitation by its token's hash, with its cliente's name. */
    async findLiveByTokenHash(tokenHash: string, now: number, trx: Executor = db): Promise<(Convite & { clienteNome: string }) | undefined> {
      const row = await trx
        .selectFrom('painel_convites')
        .innerJoin('clientes', 'clientes.id', 'painel_convites.cliente_id')
        .select(columns)
        .select('clientes.nome as cliente_nome')
        .where('painel_convites.token_hash', '=', tokenHash)
        .where('painel_convites.expira_em', '>', now)
        .executeTakeFirst();
      return row && { ...toConvite(row), clienteNome: row.cliente_nome };
    },

    /**
     * Consume-once: deletes the live invitation with this token and returns it. Of two
     * acceptances at once, one gets the row and the other undefined.
     */
    async consume(tokenHash: string, now: number, trx: Executor = db): Promise<Convite | undefined> {
      const row = await trx
        .deleteFrom('painel_convites')
        .where('token_hash', '=', tokenHash)
        .where('expira_em', '>', now)
        .returning(['id', 'cliente_id', 'email', 'papel', 'criado_em', 'expira_em'])
        .executeTakeFirst();
      return row && toConvite(row);
    },

    /** Gives the invitation a new token and expiry (the old link stops working); undefined when it is gone. */
    async renew(clienteId: string, id: string, tokenHash: string, now: number, expiraEm: number, trx: Executor = db): Promise<Convite | undefined> {
      const row = await trx
        .updateTable('painel_convites')
        .set({ token_hash: tokenHash, criado_em: now, expira_em: expiraEm })
        .where('cliente_id', '=', clienteId)
        .where('id', '=', id)
        .returning(['id', 'cliente_id', 'email', 'papel', 'criado_em', 'expira_em'])
        .executeTakeFirst();
      return row && toConvite(row);
    },

    /** Deletes the invitation; false when it was not there (already accepted or cancelled). */
    async delete(clienteId: string, id: string, trx: Executor = db): Promise<boolean> {
      const result = await trx.deleteFrom('painel_convites').where('cliente_id', '=', clienteId).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

export type PainelConvitesRepo = ReturnType<typeof createPainelConvitesRepo>;

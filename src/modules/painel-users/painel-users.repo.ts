import { sql, type ExpressionBuilder } from 'kysely';
import type { DatabaseSchema, Executor } from '../../platform/db/schema.ts';
import type { Membership, PainelUser, Role } from '../../platform/http/painel-authz.ts';

// The painel's people and papéis are defined with the authorization they serve (platform/http).
export { roles, type Membership, type PainelUser, type Role } from '../../platform/http/painel-authz.ts';


type UserRow = {
  id: string;
  email: string;
  nome: string;
  is_platform_admin: number;
  active: number;
  last_login_at: number | null;
  created_at: number;
};

const userColumns = ['id', 'email', 'nome', 'is_platform_admin', 'active', 'last_login_at', 'created_at'] as const;

function toUser(row: UserRow): PainelUser {
  return {
    id: row.id,
    email: row.email,
    nome: row.nome,
    isPlatformAdmin: row.is_platform_admin === 1,
    active: row.active === 1,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
  };
}

export function createPainelUsersRepo(db: Executor) {
  return {
    async insert(user: PainelUser & { passwordHash: string }, trx: Executor = db): Promise<void> {
      await trx
        .insertInto('painel_users')
        .values({
          id: user.id,
          email: user.email,
          nome: user.nome,
          password_hash: user.passwordHash,
          is_platform_admin: user.isPlatformAdmin ? 1 : 0,
          active: user.active ? 1 : 0,
          last_login_at: null,
          created_at: user.createdAt,
          updated_at: user.createdAt,
        })
        .execute();
    },

    async findById(id: string, trx: Executor = db): Promise<PainelUser | undefined> {
      const row = await trx.selectFrom('painel_users').select(userColumns).where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },

    /** The user and the stored password hash, for the login check only. */
    async findCredentialsByEmail(email: string, trx: Executor = db) {
      const row = await trx.selectFrom('painel_users').select([...userColumns, 'password_hash']).where('email', '=', email).executeTakeFirst();
      return row && { user: toUser(row), passwordHash: row.password_hash };
    },

    async recordSuccessfulLogin(id: string, now: number, trx: Executor = db): Promise<void> {
      await trx.updateTable('painel_users').set({ last_login_at: now }).where('id', '=', id).execute();
    },

    async updatePassword(id: string, passwordHash: string, now: number, trx: Executor = db): Promise<void> {
      await trx.updateTable('painel_users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', id).execute();
    },

    /** The papel of whoever has this e-mail in the cliente, or undefined when nobody there has it. */
    async roleInClienteByEmail(clienteId: string, email: string, trx: Executor = db): Promise<Role | undefined> {
      const row = await trx
        .selectFrom('painel_memberships')
        .innerJoin('painel_users', 'painel_users.id', 'painel_memberships.user_id')
        .select('painel_memberships.role')
        .where('painel_memberships.cliente_id', '=', clienteId)
        .where('painel_users.email', '=', email)
        .executeTakeFirst();
      return row?.role as Role | undefined;
    },

    /**
     * A cliente to file the user's painel e-mails under in the development outbox (which is kept
     * per cliente): their oldest membership, or else the oldest cliente. Undefined without clientes.
     */
    async outboxClienteFor(userId: string, trx: Executor = db): Promise<string | undefined> {
      const own = await trx.selectFrom('painel_memberships').select('cliente_id').where('user_id', '=', userId).orderBy('created_at').orderBy('cliente_id').limit(1).executeTakeFirst();
      if (own) return own.cliente_id;
      const any = await trx.selectFrom('clientes').select('id').orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
      return any?.id;
    },

    async setActive(id: string, active: boolean, now: number, trx: Executor = db): Promise<void> {
      await trx.updateTable('painel_users').set({ active: active ? 1 : 0, updated_at: now }).where('id', '=', id).execute();
    },

    /** Inserts or replaces the user's role in the cliente. */
    async putMembership(userId: string, membership: Membership, now: number, trx: Executor = db): Promise<void> {
      await trx
        .insertInto('painel_memberships')
        .values({ user_id: userId, cliente_id: membership.clienteId, role: membership.role, created_at: now })
        .onConflict((oc) => oc.columns(['user_id', 'cliente_id']).doUpdateSet({ role: membership.role }))
        .execute();
    },

    /** Adds the user to the cliente unless they are already there; true when a row was inserted. */
    async insertMembershipIfAbsent(userId: string, membership: Membership, now: number, trx: Executor = db): Promise<boolean> {
      const result = await trx
        .insertInto('painel_memberships')
        .values({ user_id: userId, cliente_id: membership.clienteId, role: membership.role, created_at: now })
        .onConflict((oc) => oc.columns(['user_id', 'cliente_id']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async deleteMembership(userId: string, clienteId: string, trx: Executor = db): Promise<void> {
      await trx.deleteFrom('painel_memberships').where('user_id', '=', userId).where('cliente_id', '=', clienteId).execute();
    },

    /** Active users holding the admin role in the cliente (platform admins count only as members). */
    async countActiveAdmins(clienteId: string, trx: Executor = db): Promise<number> {
      const row = await trx
        .selectFrom('painel_memberships')
        .innerJoin('painel_users', 'painel_users.id', 'painel_memberships.user_id')
        .select((eb) => eb.fn.countAll<string | number>().as('total'))
        .where('painel_memberships.cliente_id', '=', clienteId)
        .where('painel_memberships.role', '=', 'admin')
        .where('painel_users.active', '=', 1)
        .executeTakeFirstOrThrow();
      return Number(row.total);
    },

    /**
     * Takes the cliente row's write lock until the transaction ends (a no-op UPDATE): membership
     * changes of one cliente run one at a time, so two admins demoting each other cannot both pass
     * the "last admin" check. SQLite serializes writers anyway; PostgreSQL needs the row lock.
     */
    async lockCliente(clienteId: string, trx: Executor): Promise<void> {
      await trx.updateTable('clientes').set({ updated_at: sql`updated_at` }).where('id', '=', clienteId).execute();
    },

    async membershipsOf(userId: string, trx: Executor = db): Promise<Membership[]> {
      const rows = await trx.selectFrom('painel_memberships').select(['cliente_id', 'role']).where('user_id', '=', userId).execute();
      return rows.map((r) => ({ clienteId: r.cliente_id, role: r.role as Role }));
    },

    async listMembers(clienteId: string, trx: Executor = db): Promise<(PainelUser & { role: Role })[]> {
      const rows = await trx
        .selectFrom('painel_memberships')
        .innerJoin('painel_users', 'painel_users.id', 'painel_memberships.user_id')
        .select(userColumns.map((c) => `painel_users.${c}` as const))
        .select('painel_memberships.role')
        .where('painel_memberships.cliente_id', '=', clienteId)
        .orderBy('painel_users.nome')
        .execute();
      return rows.map((r) => ({ ...toUser(r), role: r.role as Role }));
    },
  };
}

export function createPainelSessionsRepo(db: Executor) {
  return {
    async insert(session: { id: string; tokenHash: string; userId: string; now: number; idleExpiresAt: number; expiresAt: number }, trx: Executor = db) {
      await trx
        .insertInto('painel_sessions')
        .values({
          id: session.id,
          token_hash: session.tokenHash,
          user_id: session.userId,
          created_at: session.now,
          last_seen_at: session.now,
          idle_expires_at: session.idleExpiresAt,
          expires_at: session.expiresAt,
        })
        .execute();
    },

    async findByTokenHash(tokenHash: string, trx: Executor = db) {
      return trx.selectFrom('painel_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    },

    async touch(id: string, now: number, idleExpiresAt: number, trx: Executor = db): Promise<void> {
      await trx.updateTable('painel_sessions').set({ last_seen_at: now, idle_expires_at: idleExpiresAt }).where('id', '=', id).execute();
    },

    async deleteByTokenHash(tokenHash: string, trx: Executor = db): Promise<void> {
      await trx.deleteFrom('painel_sessions').where('token_hash', '=', tokenHash).execute();
    },

    async deleteForUser(userId: string, trx: Executor = db): Promise<void> {
      await trx.deleteFrom('painel_sessions').where('user_id', '=', userId).execute();
    },

    /** Ends every session of the user but the one with `keepTokenHash` (a password change keeps the session that made it). */
    async deleteForUserExcept(userId: string, keepTokenHash: string, trx: Executor = db): Promise<number> {
      const result = await trx.deleteFrom('painel_sessions').where('user_id', '=', userId).where('token_hash', '<>', keepTokenHash).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /**
     * Deletes at most `batchSize` (default 1000) sessions expired at `now` (epoch ms), idle or
     * absolute, and returns how many went: the guard answers the same for a missing session as for
     * an expired one. Race-safe on both databases: one bounded statement whose condition is
     * repeated on the DELETE itself, so PostgreSQL checks it again on the row version it deletes
     * (a session touched meanwhile stays) and two nodes purging at once delete each row once.
     */
    async deleteExpired(now: number, batchSize = 1000, trx: Executor = db): Promise<number> {
      const expired = (eb: ExpressionBuilder<DatabaseSchema, 'painel_sessions'>) => eb.or([eb('expires_at', '<=', now), eb('idle_expires_at', '<=', now)]);
      const result = await trx
        .deleteFrom('painel_sessions')
        .where((eb) => eb.and([eb('id', 'in', eb.selectFrom('painel_sessions').select('id').where(expired).limit(batchSize)), expired(eb)]))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type PainelUsersRepo = ReturnType<typeof createPainelUsersRepo>;
export type PainelSessionsRepo = ReturnType<typeof createPainelSessionsRepo>;

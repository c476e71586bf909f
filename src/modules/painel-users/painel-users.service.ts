import { hash, verify } from '@node-rs/argon2';
import pino, { type Logger } from 'pino';
import type { Clock } from '../../platform/clock.ts';
import { newSecretToken, sha256Hex } from '../../platform/crypto.ts';
import type { Db, Executor } from '../../platform/db/schema.ts';
import { AppError, assertThat } from '../../platform/errors.ts';
import { createAttemptLimiter } from '../../platform/http/auth-failure-limiter.ts';
import { newId } from '../../platform/ids.ts';
import type { KeyValueStore } from '../../platform/kv/kv.ts';
import { createMemoryKv } from '../../platform/kv/memory-kv.ts';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import { csrfTokenFor, roleIn, type PainelActor } from '../../platform/http/painel-authz.ts';
import { createLoginBackoff } from './login-backoff.ts';
import { createPainelConvitesService } from './painel-convites.service.ts';
import type { PainelMail } from './painel-mail.ts';
import { createPainelSenhasService } from './painel-senhas.service.ts';
import { normalizeEmail } from './painel-users.rules.ts';
import type { Membership, PainelSessionsRepo, PainelUser, PainelUsersRepo, Role } from './painel-users.repo.ts';
import type { PainelConvitesRepo } from './painel-convites.repo.ts';
import type { PainelRedefinicoesRepo } from './painel-redefinicoes.repo.ts';

// Who may do what lives with the HTTP guard; re-exported for the module's own files.
export { assertClienteRole, assertPlatformAdmin, csrfTokenFor, roleIn, type PainelActor } from '../../platform/http/painel-authz.ts';

/** OWASP's Argon2id baseline: 19 MiB, 2 iterations, 1 lane (Argon2id is the library's default algorithm). */
const argon2Options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(senha: string): Promise<string> {
  return hash(senha, argon2Options);
}

export const sessionPolicy = {
  /** A session unused for this long ends. */
  idleMs: 2 * 60 * 60 * 1000,
  /** A session ends this long after login, used or not. */
  absoluteMs: 12 * 60 * 60 * 1000,
  /** `last_seen_at` is written at most this often per session. */
  touchEveryMs: 60 * 1000,
} as const;

/** Painel e-mails refused: what a service built without a mailer (in-process tools) answers. */
const noMail: PainelMail = {
  sender: {
    async send() {
      throw new AppError('SERVICE_UNAVAILABLE', 'O envio de e-mails do painel não está configurado neste processo. Use o servidor da Ponte (ponte serve).');
    },
  },
  painelUrl: undefined,
};

/**
 * Painel accounts: login and sessions, members of each cliente, invitations (`convites`) and
 * passwords (`senhas`). `kv` shares the login backoff and the attempt limits between nodes (an
 * in-process store when not given, e.g. by tools that only create users); `mail` sends the
 * invitation and "esqueci minha senha" links.
 */
export function createPainelUsersService(deps: {
  db: Db;
  repos: { painelUsers: PainelUsersRepo; painelSessions: PainelSessionsRepo; painelConvites: PainelConvitesRepo; painelRedefinicoes: PainelRedefinicoesRepo };
  clock: Clock;
  audit: AuditService;
  kv?: KeyValueStore;
  mail?: PainelMail;
  logger?: Logger;
}) {
  const users = deps.repos.painelUsers;
  const sessions = deps.repos.painelSessions;
  const kv = deps.kv ?? createMemoryKv({ clock: deps.clock });
  const backoff = createLoginBackoff(kv);
  const logger = deps.logger ?? pino({ level: 'silent' });
  // Verifying against a real hash when the e-mail is unknown keeps both paths equally slow.
  const dummyHash = hash('ponte-dummy-password', argon2Options);
  // E-mails sent after the answer ("esqueci minha senha" answers before knowing whether there is anyone to write to).
  const background = new Set<Promise<void>>();

  /** Opens a session for the user and returns its token (the browser gets it once, as a cookie). */
  async function openSession(userId: string, trx: Executor = deps.db): Promise<string> {
    const now = deps.clock.now();
    const sessionToken = newSecretToken('psess');
    await sessions.insert(
      { id: newId('painelSession'), tokenHash: sha256Hex(sessionToken), userId, now, idleExpiresAt: now + sessionPolicy.idleMs, expiresAt: now + sessionPolicy.absoluteMs },
      trx,
    );
    return sessionToken;
  }

  const shared = {
    db: deps.db,
    repos: deps.repos,
    clock: deps.clock,
    audit: deps.audit,
    mail: deps.mail ?? noMail,
    logger,
    limiter: createAttemptLimiter(kv),
    hashPassword,
    openSession,
    inBackground(work: () => Promise<void>): void {
      const task = work().catch((error: unknown) => logger.error({ err: error }, 'painel: falha num envio de e-mail em segundo plano'));
      background.add(task);
      void task.finally(() => background.delete(task));
    },
  };

  const service = {
    /**
     * Creates an account with a password — for whoever runs Ponte (`ponte admin create`, the demo,
     * tests). Nobody in the painel can: people join a cliente only through `convites`.
     */
    async create(input: {
      email: string;
      nome: string;
      senha: string;
      isPlatformAdmin?: boolean;
      memberships?: Membership[];
      actor?: { userId: string | null; label: string };
    }): Promise<PainelUser> {
      const email = normalizeEmail(input.email);
      const existing = await users.findCredentialsByEmail(email);
      assertThat(!existing, 'CONFLICT', `Já existe um usuário do painel com o e-mail "${email}".`);
      const passwordHash = await hashPassword(input.senha);
      const now = deps.clock.now();
      const user: PainelUser = {
        id: newId('painelUser'),
        email,
        nome: input.nome.trim(),
        isPlatformAdmin: input.isPlatformAdmin ?? false,
        active: true,
        lastLoginAt: null,
        createdAt: now,
      };
      await deps.db.transaction().execute(async (trx) => {
        await users.insert({ ...user, passwordHash }, trx);
        for (const membership of input.memberships ?? []) {
          await users.putMembership(user.id, membership, now, trx);
          await deps.audit.record(
            {
              clienteId: membership.clienteId,
              actor: input.actor ?? { userId: null, label: 'sistema' },
              action: 'usuario.criado',
              targetType: 'usuario',
              targetId: user.id,
              after: { email, nome: user.nome, role: membership.role },
            },
            trx,
          );
        }
      });
      return user;
    },

    /**
     * Checks e-mail and senha; on success opens a session and returns its token (shown to the
     * browser once, as a cookie). Unknown e-mail, wrong password and inactive account are the same
     * 401; repeated failures make that e-mail wait from that IP only (`login-backoff.ts`).
     * `ip` is the caller's address; in-process callers leave it out and share one bucket.
     */
    async login(emailInput: string, senha: string, ip = 'processo'): Promise<{ sessionToken: string; user: PainelUser }> {
      const email = normalizeEmail(emailInput);
      await backoff.assertMayTry(email, ip);
      const found = await users.findCredentialsByEmail(email);
      const passwordOk = await verify(found?.passwordHash ?? (await dummyHash), senha);
      if (!found || !passwordOk || !found.user.active) {
        await backoff.recordFailure(email, ip);
        throw new AppError('INVALID_CREDENTIALS');
      }
      const now = deps.clock.now();
      await backoff.clear(email, ip);
      await users.recordSuccessfulLogin(found.user.id, now);
      const sessionToken = await openSession(found.user.id);
      return { sessionToken, user: { ...found.user, lastLoginAt: now } };
    },

    /** The actor behind a session cookie, or undefined when the session is unknown, expired or its user inactive. */
    async resolveSession(sessionToken: string): Promise<PainelActor | undefined> {
      const tokenHash = sha256Hex(sessionToken);
      const session = await sessions.findByTokenHash(tokenHash);
      const now = deps.clock.now();
      if (!session || session.expires_at <= now || session.idle_expires_at <= now) return undefined;
      const user = await users.findById(session.user_id);
      if (!user?.active) return undefined;
      if (now - session.last_seen_at >= sessionPolicy.touchEveryMs) {
        await sessions.touch(session.id, now, Math.min(session.expires_at, now + sessionPolicy.idleMs));
      }
      return { user, memberships: await users.membershipsOf(user.id), sessionTokenHash: tokenHash };
    },

    async logout(sessionTokenHash: string): Promise<void> {
      await sessions.deleteByTokenHash(sessionTokenHash);
    },

    async listMembers(clienteId: string) {
      return users.listMembers(clienteId);
    },

    async setActive(userId: string, active: boolean): Promise<void> {
      await users.setActive(userId, active, deps.clock.now());
      if (!active) await sessions.deleteForUser(userId);
    },

    /**
     * Changes a member's papel. Nobody changes their own, and the cliente keeps at least one
     * active admin: both are 409. Runs under the cliente's lock (see `lockCliente`).
     */
    async changeRole(input: { clienteId: string; userId: string; papel: Role; actor: PainelActor }): Promise<PainelUser & { role: Role }> {
      return deps.db.transaction().execute(async (trx) => {
        await users.lockCliente(input.clienteId, trx);
        const member = await memberOf(input.clienteId, input.userId, trx);
        if (member.role === input.papel) return member;
        assertThat(member.id !== input.actor.user.id, 'CONFLICT', 'Você não pode mudar o seu próprio papel. Peça a outro administrador.');
        if (member.role === 'admin') await assertAnotherActiveAdmin(input.clienteId, member, 'rebaixar', trx);
        await users.putMembership(member.id, { clienteId: input.clienteId, role: input.papel }, deps.clock.now(), trx);
        await deps.audit.record(
          {
            clienteId: input.clienteId,
            actor: auditActor(input.actor),
            action: 'usuario.papel_alterado',
            targetType: 'usuario',
            targetId: member.id,
            before: { email: member.email, role: member.role },
            after: { email: member.email, role: input.papel },
          },
          trx,
        );
        return { ...member, role: input.papel };
      });
    },

    /** Takes the member out of the cliente (the account stays). Same guard rails as `changeRole`. */
    async removeMember(input: { clienteId: string; userId: string; actor: PainelActor }): Promise<void> {
      await deps.db.transaction().execute(async (trx) => {
        await users.lockCliente(input.clienteId, trx);
        const member = await memberOf(input.clienteId, input.userId, trx);
        assertThat(member.id !== input.actor.user.id, 'CONFLICT', 'Você não pode remover a si mesmo do cliente. Peça a outro administrador.');
        if (member.role === 'admin') await assertAnotherActiveAdmin(input.clienteId, member, 'remover', trx);
        await users.deleteMembership(member.id, input.clienteId, trx);
        await deps.audit.record(
          {
            clienteId: input.clienteId,
            actor: auditActor(input.actor),
            action: 'usuario.removido',
            targetType: 'usuario',
            targetId: member.id,
            before: { email: member.email, nome: member.nome, role: member.role },
          },
          trx,
        );
      });
    },

    /**
     * Deactivates or reactivates a member's account — in every cliente at once, so a cliente admin
     * may do it only when every cliente of that person is one they administer; a platform admin
     * always may, and only a platform admin touches another platform admin. Deactivation ends the
     * person's painel sessions in the same transaction (and `resolveSession` refuses inactive users).
     */
    async setMemberActive(input: { clienteId: string; userId: string; ativo: boolean; actor: PainelActor }): Promise<PainelUser & { role: Role }> {
      return deps.db.transaction().execute(async (trx) => {
        const member = await memberOf(input.clienteId, input.userId, trx);
        assertThat(member.id !== input.actor.user.id, 'CONFLICT', input.ativo ? 'Sua conta já está ativa.' : 'Você não pode desativar a sua própria conta. Peça a outro administrador.');
        const memberships = await users.membershipsOf(member.id, trx);
        const refusal = activeChangeRefusal(input.actor, member, memberships);
        if (refusal) throw new AppError('FORBIDDEN', refusal);
        if (member.active === input.ativo) return member;
        const now = deps.clock.now();
        await users.setActive(member.id, input.ativo, now, trx);
        if (!input.ativo) await sessions.deleteForUser(member.id, trx);
        for (const membership of memberships) {
          await deps.audit.record(
            {
              clienteId: membership.clienteId,
              actor: auditActor(input.actor),
              action: input.ativo ? 'usuario.reativado' : 'usuario.desativado',
              targetType: 'usuario',
              targetId: member.id,
              before: { email: member.email, ativo: member.active },
              after: { email: member.email, ativo: input.ativo },
            },
            trx,
          );
        }
        return { ...member, active: input.ativo };
      });
    },

    /** The members of the cliente, each with whether `actor` may deactivate or reactivate them. */
    async listMembersFor(actor: PainelActor, clienteId: string) {
      const members = await users.listMembers(clienteId);
      return Promise.all(
        members.map(async (member) => ({
          ...member,
          podeAlterarStatus: member.id !== actor.user.id && activeChangeRefusal(actor, member, await users.membershipsOf(member.id)) === undefined,
        })),
      );
    },

    /** Invitations into a cliente: the only way a person gets into one from the painel. */
    convites: createPainelConvitesService(shared),

    /** Changing, forgetting and resetting one's own password. */
    senhas: createPainelSenhasService({ ...shared, verifyPassword: (passwordHash: string, senha: string) => verify(passwordHash, senha) }),

    /** Waits for the e-mails still being sent in the background (before closing the database). */
    async settle(): Promise<void> {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
  };
  return service;

  async function memberOf(clienteId: string, userId: string, trx: Executor): Promise<PainelUser & { role: Role }> {
    const user = await users.findById(userId, trx);
    const membership = user && (await users.membershipsOf(user.id, trx)).find((m) => m.clienteId === clienteId);
    if (!user || !membership) throw new AppError('NOT_FOUND', 'Usuário não encontrado neste cliente.');
    return { ...user, role: membership.role };
  }

  async function assertAnotherActiveAdmin(clienteId: string, member: PainelUser, verb: string, trx: Executor): Promise<void> {
    // An inactive admin is not counted: demoting or removing them leaves the active ones as they are.
    if (!member.active) return;
    const admins = await users.countActiveAdmins(clienteId, trx);
    assertThat(admins > 1, 'CONFLICT', `"${member.email}" é o único administrador ativo deste cliente. Promova outra pessoa a administrador antes de ${verb}.`);
  }
}

function auditActor(actor: PainelActor): AuditActor {
  return { userId: actor.user.id, label: actor.user.email };
}

/** Why `actor` may not deactivate or reactivate `target` (who belongs to `memberships`), or undefined when they may. */
function activeChangeRefusal(actor: PainelActor, target: PainelUser, memberships: Membership[]): string | undefined {
  if (actor.user.isPlatformAdmin) return undefined;
  if (target.isPlatformAdmin) return 'Só um administrador da plataforma pode desativar ou reativar outro administrador da plataforma.';
  if (memberships.some((m) => roleIn(actor, m.clienteId) !== 'admin')) {
    return 'Esta pessoa também participa de clientes que você não administra: desativar a conta a tiraria deles também. Remova-a deste cliente ou peça a um administrador da plataforma.';
  }
  return undefined;
}

export type PainelUsersService = ReturnType<typeof createPainelUsersService>;

import { hash, verify } from '@node-rs/argon2';
import type { Clock } from '../../platform/clock.ts';
import { newSecretToken, sha256Hex } from '../../platform/crypto.ts';
import type { Db } from '../../platform/db/schema.ts';
import { AppError, assertThat } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { AuditService } from '../audit/audit.service.ts';
import {
  createPainelSessionsRepo,
  createPainelUsersRepo,
  type Membership,
  type PainelUser,
  type Role,
} from './painel-users.repo.ts';

/** OWASP's Argon2id baseline: 19 MiB, 2 iterations, 1 lane (Argon2id is the library's default algorithm). */
const argon2Options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const sessionPolicy = {
  /** A session unused for this long ends. */
  idleMs: 2 * 60 * 60 * 1000,
  /** A session ends this long after login, used or not. */
  absoluteMs: 12 * 60 * 60 * 1000,
  /** `last_seen_at` is written at most this often per session. */
  touchEveryMs: 60 * 1000,
  maxFailedLogins: 5,
  lockMs: 15 * 60 * 1000,
} as const;

const roleRank: Record<Role, number> = { leitor: 1, editor: 2, admin: 3 };

/** The authenticated painel user of a request, with what they may reach. */
export type PainelActor = {
  user: PainelUser;
  memberships: Membership[];
  sessionTokenHash: string;
};

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * CSRF token derived from the session token: recomputable on every page load without storing it,
 * and useless to an attacker who cannot read the HttpOnly cookie it derives from.
 */
export function csrfTokenFor(sessionToken: string): string {
  return sha256Hex(`csrf:${sessionToken}`);
}

export function createPainelUsersService(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const users = createPainelUsersRepo(deps.db);
  const sessions = createPainelSessionsRepo(deps.db);
  // Verifying against a real hash when the e-mail is unknown keeps both paths equally slow.
  const dummyHash = hash('ponte-dummy-password', argon2Options);

  return {
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
      const passwordHash = await hash(input.senha, argon2Options);
      const now = deps.clock.now();
      const user: PainelUser = {
        id: newId('painelUser'),
        email,
        nome: input.nome.trim(),
        isPlatformAdmin: input.isPlatformAdmin ?? false,
        active: true,
        failedLogins: 0,
        lockedUntil: null,
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
     * browser once, as a cookie). Five failures in a row lock the account for 15 minutes.
     */
    async login(emailInput: string, senha: string): Promise<{ sessionToken: string; user: PainelUser }> {
      const found = await users.findCredentialsByEmail(normalizeEmail(emailInput));
      const now = deps.clock.now();
      if (found?.user.lockedUntil && found.user.lockedUntil > now) {
        throw new AppError('ACCOUNT_LOCKED', undefined, { retryAfterSeconds: Math.ceil((found.user.lockedUntil - now) / 1000) });
      }
      const passwordOk = await verify(found?.passwordHash ?? (await dummyHash), senha);
      if (!found || !passwordOk || !found.user.active) {
        if (found && !passwordOk) await users.recordFailedLogin(found.user.id, sessionPolicy.maxFailedLogins, now + sessionPolicy.lockMs);
        throw new AppError('INVALID_CREDENTIALS');
      }
      await users.recordSuccessfulLogin(found.user.id, now);
      const sessionToken = newSecretToken('psess');
      await sessions.insert({
        id: newId('painelSession'),
        tokenHash: sha256Hex(sessionToken),
        userId: found.user.id,
        now,
        idleExpiresAt: now + sessionPolicy.idleMs,
        expiresAt: now + sessionPolicy.absoluteMs,
      });
      return { sessionToken, user: { ...found.user, failedLogins: 0, lockedUntil: null, lastLoginAt: now } };
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
  };
}

export type PainelUsersService = ReturnType<typeof createPainelUsersService>;

/** The actor's role in the cliente, or undefined when they have none. Platform admins act as admin everywhere. */
export function roleIn(actor: PainelActor, clienteId: string): Role | undefined {
  if (actor.user.isPlatformAdmin) return 'admin';
  return actor.memberships.find((m) => m.clienteId === clienteId)?.role;
}

/**
 * Throws unless the actor has at least `minimum` in the cliente. Someone with no role there gets
 * NOT_FOUND — another tenant's resources do not exist for them — and a weaker role gets FORBIDDEN.
 */
export function assertClienteRole(actor: PainelActor, clienteId: string, minimum: Role): Role {
  const role = roleIn(actor, clienteId);
  if (!role) throw new AppError('NOT_FOUND', 'Cliente não encontrado.');
  if (roleRank[role] < roleRank[minimum]) throw new AppError('FORBIDDEN');
  return role;
}

export function assertPlatformAdmin(actor: PainelActor): void {
  if (!actor.user.isPlatformAdmin) throw new AppError('FORBIDDEN', 'Apenas administradores da plataforma podem fazer isso.');
}

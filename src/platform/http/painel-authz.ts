import { sha256Hex } from '../crypto.ts';
import { AppError } from '../errors.ts';

/**
 * Who is calling the painel and what they may reach: people, papéis per cliente and the checks
 * every painel route makes. The guard (painel-guard.ts) puts the actor on the request; routes ask
 * `assertClienteRole` for their minimum papel. Defined here, below every module, so a capability's
 * routes depend on the platform rather than on the painel-users module.
 */

export const roles = ['admin', 'editor', 'leitor'] as const;
export type Role = (typeof roles)[number];

export type PainelUser = {
  id: string;
  email: string;
  nome: string;
  isPlatformAdmin: boolean;
  active: boolean;
  lastLoginAt: number | null;
  createdAt: number;
};

export type Membership = { clienteId: string; role: Role };

/** The authenticated painel user of a request, with what they may reach. */
export type PainelActor = {
  user: PainelUser;
  memberships: Membership[];
  sessionTokenHash: string;
};

const roleRank: Record<Role, number> = { leitor: 1, editor: 2, admin: 3 };

/**
 * CSRF token derived from the session token: recomputable on every page load without storing it,
 * and useless to an attacker who cannot read the HttpOnly cookie it derives from.
 */
export function csrfTokenFor(sessionToken: string): string {
  return sha256Hex(`csrf:${sessionToken}`);
}

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

import type { FastifyReply } from 'fastify';
import type { AuthFailureLimiter } from '../../platform/http/auth-failure-limiter.ts';
import type { ClientesService } from '../clientes/clientes.service.ts';
import { SESSION_COOKIE } from '../../platform/http/painel-guard.ts';
import { toPainelUserDto } from './painel-users.schemas.ts';
import { csrfTokenFor, roleIn, sessionPolicy, type PainelActor, type PainelUsersService } from './painel-users.service.ts';

export type PainelSessionDeps = { users: PainelUsersService; clientes: ClientesService; limiter: AuthFailureLimiter; secureCookies: boolean };

/** What the painel gets about its session: the user, their clientes with papel, the CSRF token. */
export async function sessionView(deps: Pick<PainelSessionDeps, 'clientes'>, actor: PainelActor, sessionToken: string) {
  const clientes = await deps.clientes.list(actor.user.isPlatformAdmin ? {} : { ids: actor.memberships.map((m) => m.clienteId) });
  return {
    usuario: toPainelUserDto(actor.user),
    clientes: clientes.map((c) => ({ id: c.id, codigo: c.codigo, nome: c.nome, papel: roleIn(actor, c.id) ?? 'leitor' })),
    csrfToken: csrfTokenFor(sessionToken),
  };
}

/** The HttpOnly session cookie, set by login and by accepting an invitation as a new account. */
export function setSessionCookie(reply: FastifyReply, deps: Pick<PainelSessionDeps, 'secureCookies'>, sessionToken: string): void {
  reply.setCookie(SESSION_COOKIE, sessionToken, {
    httpOnly: true,
    sameSite: 'strict',
    secure: deps.secureCookies,
    path: '/',
    maxAge: sessionPolicy.absoluteMs / 1000,
  });
}

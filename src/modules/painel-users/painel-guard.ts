import type { FastifyRequest } from 'fastify';
import { safeEqual } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { assertPlatformAdmin, csrfTokenFor, roleIn, type PainelActor, type PainelUsersService } from './painel-users.service.ts';

export const SESSION_COOKIE = 'ponte_sessao';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    painelActor: PainelActor | null;
  }
  interface FastifyContextConfig {
    /** A painel route with an unsafe method that changes nothing (a dry run): a leitor may call it. */
    leitorPode?: boolean;
    /** A painel route only platform admins may call. */
    somenteAdminPlataforma?: boolean;
  }
}

/**
 * `onRequest` hook for the painel API: resolves the session cookie into `request.painelActor`
 * and, for every unsafe method, requires the `X-CSRF-Token` header derived from that session.
 *
 * It also applies, before any body is parsed or validated, the rules every cliente route shares:
 * a cliente where the user has no papel does not exist for them (404), and a leitor changes
 * nothing (403 on unsafe methods unless the route says `config.leitorPode`). Each route still
 * checks its own minimum papel; doing these here first means a refused caller gets the same
 * answer whatever body they send, instead of a 400 that describes the body's rules.
 */
export function createPainelGuard(users: PainelUsersService) {
  return async function requirePainelActor(request: FastifyRequest): Promise<void> {
    const sessionToken = request.cookies[SESSION_COOKIE];
    const actor = sessionToken ? await users.resolveSession(sessionToken) : undefined;
    if (!actor || !sessionToken) throw new AppError('UNAUTHENTICATED');
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, csrfTokenFor(sessionToken))) throw new AppError('CSRF_REJECTED');
    }
    const config = request.routeOptions.config;
    const clienteId = (request.params as Record<string, unknown> | undefined)?.clienteId;
    if (typeof clienteId === 'string') {
      const role = roleIn(actor, clienteId.trim());
      if (!role) throw new AppError('NOT_FOUND', 'Cliente não encontrado.');
      if (role === 'leitor' && !SAFE_METHODS.has(request.method) && !config.leitorPode) throw new AppError('FORBIDDEN');
    }
    if (config.somenteAdminPlataforma) assertPlatformAdmin(actor);
    request.painelActor = actor;
  };
}

/** The actor set by the guard; routes behind it can rely on it being there. */
export function actorOf(request: FastifyRequest): PainelActor {
  if (!request.painelActor) throw new AppError('UNAUTHENTICATED');
  return request.painelActor;
}

export function auditActorOf(request: FastifyRequest) {
  const actor = actorOf(request);
  return { userId: actor.user.id, label: actor.user.email };
}

import type { FastifyRequest } from 'fastify';
import { safeEqual } from '../crypto.ts';
import { AppError } from '../errors.ts';
import { assertPlatformAdmin, csrfTokenFor, roleIn, type PainelActor } from './painel-authz.ts';

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
    /**
     * A painel route anyone may call (invitation links, "esqueci minha senha"). The guard still
     * tells it who is logged in — `request.painelActor`, null when nobody is — but only through a
     * session that passes every check (with its CSRF token on unsafe methods): anything less is
     * anonymous, never an error.
     */
    publica?: boolean;
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
export function createPainelGuard(users: { resolveSession(sessionToken: string): Promise<PainelActor | undefined> }) {
  const csrfOk = (request: FastifyRequest, sessionToken: string) => {
    if (SAFE_METHODS.has(request.method)) return true;
    const sent = request.headers[CSRF_HEADER];
    return typeof sent === 'string' && safeEqual(sent, csrfTokenFor(sessionToken));
  };

  return async function requirePainelActor(request: FastifyRequest): Promise<void> {
    const config = request.routeOptions.config;
    const sessionToken = request.cookies[SESSION_COOKIE];
    if (config.publica) {
      const actor = sessionToken && csrfOk(request, sessionToken) ? await users.resolveSession(sessionToken) : undefined;
      request.painelActor = actor ?? null;
      return;
    }
    const actor = sessionToken ? await users.resolveSession(sessionToken) : undefined;
    if (!actor || !sessionToken) throw new AppError('UNAUTHENTICATED');
    if (!csrfOk(request, sessionToken)) throw new AppError('CSRF_REJECTED');
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

/** The actor set by the guard; routes behind it (not `publica`) can rely on it being there. */
export function actorOf(request: FastifyRequest): PainelActor {
  if (!request.painelActor) throw new AppError('UNAUTHENTICATED');
  return request.painelActor;
}

export function auditActorOf(request: FastifyRequest) {
  const actor = actorOf(request);
  return { userId: actor.user.id, label: actor.user.email };
}

import type { FastifyRequest } from 'fastify';
import { safeEqual } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { csrfTokenFor, type PainelActor, type PainelUsersService } from './painel-users.service.ts';

export const SESSION_COOKIE = 'ponte_sessao';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    painelActor: PainelActor | null;
  }
}

/**
 * `onRequest` hook for the painel API: resolves the session cookie into `request.painelActor`
 * and, for every unsafe method, requires the `X-CSRF-Token` header derived from that session.
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

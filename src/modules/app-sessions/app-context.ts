import type { FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { AppError } from '../../platform/errors.ts';
import type { ClientesService } from '../clientes/clientes.service.ts';
import { APP_ID_HEADER } from './app-api.schemas.ts';
import type { AppContext } from './app-sessions.service.ts';

/**
 * An app id never changes nor moves to another instância, so a known one is kept a minute. An
 * unknown one is kept only a second: it may be a cliente just created on another node or by the
 * CLI, and nothing else is published when a cliente is created.
 */
const KNOWN_APP_TTL_MS = 60_000;
const UNKNOWN_APP_TTL_MS = 1_000;

/**
 * Resolves `X-App-Id` (the instância's public app id) into the cliente and instância an app
 * request speaks for. Use `hook` as an `onRequest` hook — before body validation, so an unknown
 * app is told so whatever it sent — and `of(request)` in handlers.
 */
export function createAppContextResolver(clientes: Pick<ClientesService, 'findByAppId'>) {
  const byAppId = new LRUCache<string, AppContext | 'desconhecido'>({ max: 10_000, ttl: KNOWN_APP_TTL_MS });
  const byRequest = new WeakMap<FastifyRequest, AppContext>();

  return {
    async hook(request: FastifyRequest): Promise<void> {
      const appId = request.headers[APP_ID_HEADER];
      if (typeof appId !== 'string' || appId.length === 0 || appId.length > 64) throw new AppError('APP_NOT_FOUND');
      let context = byAppId.get(appId);
      if (!context) {
        context = (await clientes.findByAppId(appId)) ?? 'desconhecido';
        byAppId.set(appId, context, { ttl: context === 'desconhecido' ? UNKNOWN_APP_TTL_MS : KNOWN_APP_TTL_MS });
      }
      if (context === 'desconhecido') throw new AppError('APP_NOT_FOUND');
      byRequest.set(request, context);
    },
    of(request: FastifyRequest): AppContext {
      const context = byRequest.get(request);
      if (!context) throw new AppError('APP_NOT_FOUND');
      return context;
    },
  };
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientesFailure } from '../../platform/http/envelope.ts';
import type { ClientAuthenticator } from '../client-auth/client-auth.service.ts';
import type { OrigensService } from './origens.service.ts';

const ALLOWED_METHODS = 'GET, POST';
const ALLOWED_HEADERS = 'Authorization, Content-Type';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS for the public client API only (`/clientes/*`), per cliente (Segurança → Origens):
 *
 * - a preflight from an origin some cliente registered passes; from any other origin it is a 403
 *   in the `/clientes` envelope that says where to register it (not a misleading 404);
 * - an actual response is readable by the page only when the token it presented belongs to a
 *   cliente that registered the origin — an origin registered by cliente A can't read cliente B's
 *   data with B's token. A response to a bad or missing token stays readable (it carries no data),
 *   so the page can show the error.
 */
export function registerClientesCors(scope: FastifyInstance, deps: { origens: OrigensService; authenticator: ClientAuthenticator }): void {
  scope.options('/clientes/*', { schema: { hide: true } }, async (request, reply) => {
    const origin = request.headers.origin;
    reply.header('vary', 'Origin');
    if (!origin) return reply.code(204).send();
    const owners = await deps.origens.clientesAllowing(origin);
    if (owners.length === 0) {
      const message = `A origem ${origin.slice(0, 200)} não está autorizada a chamar a API da Ponte pelo navegador. Cadastre-a no painel em Segurança → Origens.`;
      return reply.code(403).send(clientesFailure(message, 403));
    }
    return reply
      .code(204)
      .headers({
        'access-control-allow-origin': origin,
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
      })
      .send();
  });

  scope.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
    const origin = request.headers.origin;
    if (!origin || request.method === 'OPTIONS') return payload;
    reply.header('vary', 'Origin');
    if (await mayRead(request, origin)) reply.header('access-control-allow-origin', origin);
    return payload;
  });

  async function mayRead(request: FastifyRequest, origin: string): Promise<boolean> {
    const owners = await deps.origens.clientesAllowing(origin).catch((): string[] => []);
    if (owners.length === 0) return false;
    // A map lookup for a token the route just accepted; a refused one is never looked up again or counted twice.
    const principal = await deps.authenticator.cached(request.headers.authorization).catch(() => undefined);
    return principal === undefined || owners.includes(principal.clienteId);
  }
}

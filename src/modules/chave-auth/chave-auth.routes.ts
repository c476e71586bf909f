import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, type ErrorDetail } from '../../platform/errors.ts';
import { clientesFailureSchema, clientesSuccess } from '../../platform/http/envelope.ts';
import type { ClientAuthenticator } from '../client-auth/client-auth.service.ts';
import { chaveAuthPolicy, CHAVE_AUTH_SUCCESS_MESSAGE, type ChaveAuthService } from './chave-auth.service.ts';
import { chaveAuthBodySchema, chaveAuthQuerySchema, chaveAuthSuccessSchema } from './chave-auth.schemas.ts';

export const CHAVE_AUTH_PATH = '/clientes/utilitarios/seguranca/chaveAuth';

/** `instanciaApp` as the chave passe data API takes it ("1" or "2"), from the query string or the body. */
function instanciaOf(raw: unknown): 1 | 2 | 'ausente' | 'invalida' {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return 'ausente';
  const value = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  return value === '1' ? 1 : value === '2' ? 2 : 'invalida';
}

/**
 * `POST /clientes/utilitarios/seguranca/chaveAuth`: a token do cliente with the `seguranca` API
 * (or a temp token made from one) opens a 30-minute beneficiary session for a chave única the
 * operator's elegibilidade recognises. Order of refusals: the token (401; 429 once its IP is past
 * the failure limit), its API (403), its requests per minute (429), the body (400), then the
 * service's (elegibilidade inactive, person not recognised: 422; per-person limit: 429; operator
 * outage: 502 + Retry-After).
 */
export function chaveAuthRoutes(deps: { authenticator: ClientAuthenticator; chaveAuth: ChaveAuthService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      CHAVE_AUTH_PATH,
      {
        schema: {
          tags: ['API do cliente — segurança'],
          summary: 'Abre uma sessão de beneficiário para uma chave única conhecida (chaveAuth)',
          description:
            'Header `Authorization`: token do cliente com a API **seguranca** (cru ou `Bearer`), ou um token temporário gerado com ele. Corpo JSON `{"chaveUnica": "…"}`; `instanciaApp` (1 Sandbox, 2 Produção) na query string ou no corpo. Requer a elegibilidade configurada e ativa na instância. O token devolvido vale 30 minutos como sessão do app (`Authorization: Bearer` em /app/v1) e no SDK de funcionalidades embutidas.',
          querystring: chaveAuthQuerySchema,
          body: chaveAuthBodySchema,
          response: {
            200: chaveAuthSuccessSchema,
            400: clientesFailureSchema,
            401: clientesFailureSchema,
            403: clientesFailureSchema,
            422: clientesFailureSchema,
            429: clientesFailureSchema,
            502: clientesFailureSchema,
          },
        },
      },
      async (request) => {
        const principal = await deps.authenticator.authenticate(request.headers.authorization, { api: 'seguranca', allowTemp: true, ip: request.ip, countRequest: true });
        const body = request.body ?? {};
        const details: ErrorDetail[] = [];
        const chaveUnica = typeof body.chaveUnica === 'string' ? body.chaveUnica.trim() : '';
        if (body.chaveUnica === undefined || body.chaveUnica === null || chaveUnica === '') {
          details.push({ field: 'chaveUnica', message: 'O campo chaveUnica é obrigatório (texto não vazio).' });
        } else if (typeof body.chaveUnica !== 'string') {
          details.push({ field: 'chaveUnica', message: 'O campo chaveUnica deve ser um texto.' });
        } else if (chaveUnica.length > chaveAuthPolicy.maxChaveUnicaLength) {
          details.push({ field: 'chaveUnica', message: `O campo chaveUnica deve ter no máximo ${chaveAuthPolicy.maxChaveUnicaLength} caracteres.` });
        }
        const instancia = instanciaOf(request.query.instanciaApp ?? body.instanciaApp);
        if (instancia === 'ausente') details.push({ field: 'instanciaApp', message: 'O parâmetro instanciaApp é obrigatório (1 = Sandbox, 2 = Produção).' });
        if (instancia === 'invalida') details.push({ field: 'instanciaApp', message: 'instanciaApp deve ser 1 (Sandbox) ou 2 (Produção).' });
        if (details.length > 0) throw new AppError('MISSING_PARAMETERS', details.map((d) => d.message).join(' '), { details });
        const opened = await deps.chaveAuth.authenticate({ clienteId: principal.clienteId, instancia: instancia as 1 | 2, chaveUnica, correlationId: request.id });
        return clientesSuccess({ token: opened.token, expireAt: opened.expireAt }, CHAVE_AUTH_SUCCESS_MESSAGE) as { status: true; data: { token: string; expireAt: number }; message: string; critical: unknown[]; statusCode: number; timestamp: number };
      },
    );
  };
}

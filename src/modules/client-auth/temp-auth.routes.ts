import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { invalidTokenSchema, tempAuthSuccess, tempAuthSuccessSchema } from '../../platform/http/envelope.ts';
import { noteCaller } from '../log-center/log-center.inbound.ts';
import type { ClientAuthenticator } from './client-auth.service.ts';
import type { TempTokenService } from '../temp-auth/temp-tokens.service.ts';

export const TEMP_AUTH_SUCCESS_MESSAGE = 'Token gerado com sucesso!';

const schema = {
  tags: ['API do cliente'],
  summary: 'Gera um token temporário (12 horas)',
  description:
    'Troca um token do cliente (header `Authorization`, cru ou `Bearer <token>`) por um JWT válido por 12 horas, aceito onde o token de origem é aceito. Um token temporário não gera outro. Toda recusa é o 401 do seed; depois de muitas falhas a partir do mesmo endereço, a recusa traz também `Retry-After` (um token válido continua aceito).',
  // No length bound here: a schema failure would be a 400, but the seed makes every bad token a 401;
  // the authenticator refuses headers over 4096 characters with that 401.
  headers: z.object({ authorization: z.string().optional() }),
  response: {
    // Exactly the seed's five attributes: no `critical` here, unlike the rest of /clientes.
    200: tempAuthSuccessSchema,
    401: invalidTokenSchema,
  },
} as const;

/**
 * Temp-authorization answers every refusal with the seed's 401, even past the per-IP failure limit
 * (then with `Retry-After`). It is also outside the per-token request limit: answering a valid
 * token "Invalid token." would make an operator throw a good token away, and minting is a local
 * signature over a cached verification.
 */
export function tempAuthRoutes(deps: { authenticator: ClientAuthenticator; tempTokens: TempTokenService }): FastifyPluginAsyncZod {
  return async (app) => {
    const handler = async (request: FastifyRequest<{ Headers: { authorization?: string | undefined } }>) => {
      let principal;
      try {
        principal = await deps.authenticator.authenticate(request.headers.authorization, {
          allowTemp: false,
          ip: request.ip,
          // The central de logs records the call for this cliente (an unknown token has no cliente to show it to).
          onPrincipal: (caller) => noteCaller(request, caller),
        });
      } catch (error) {
        if (error instanceof AppError && error.code === 'RATE_LIMITED') throw new AppError('INVALID_TOKEN', undefined, { retryAfterSeconds: error.options.retryAfterSeconds });
        throw error;
      }
      const minted = await deps.tempTokens.mint({ clienteCodigo: principal.clienteCodigo, parentChave: principal.tokenChave });
      return tempAuthSuccess(minted, TEMP_AUTH_SUCCESS_MESSAGE);
    };
    app.post('/clientes/auth/temp-authorization', { schema }, handler);
    app.get('/clientes/auth/temp-authorization', { schema: { ...schema, summary: `${schema.summary} (GET também aceito)` } }, handler);
  };
}
